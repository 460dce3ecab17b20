package dev.nabla.bench;

import dev.nabla.DType;
import dev.nabla.Device;
import dev.nabla.Nabla;
import dev.nabla.Rng;
import dev.nabla.Tensor;
import dev.nabla.autograd.GradMode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A multilayer perceptron written with raw tensor ops — {@code relu(x·W + b)} per hidden layer,
 * {@code x·W + b} logits, softmax cross-entropy — and a plain SGD step, so the benchmarks
 * measure the library's ops, not a framework around them. Weights are He-initialised from a
 * seeded {@link Rng}, so a float64 copy on the CPU and a float32 copy on a GPU hold the same
 * network.
 */
public final class Mlp implements AutoCloseable {
    private final int[] sizes;
    private final List<Tensor> weights;
    private final List<Tensor> biases;

    private Mlp(int[] sizes, List<Tensor> weights, List<Tensor> biases) {
        this.sizes = sizes.clone();
        this.weights = weights;
        this.biases = biases;
    }

    /** A network of layer widths {@code sizes} (input first, classes last) with parameters requiring grad. */
    public static Mlp create(Device device, DType dtype, Rng rng, int... sizes) {
        if (sizes.length < 2) {
            throw new IllegalArgumentException("Mlp: need at least input and output sizes, got "
                    + Arrays.toString(sizes));
        }
        List<Tensor> w = new ArrayList<>();
        List<Tensor> b = new ArrayList<>();
        try (GradMode.Guard g = Nabla.noGrad(); var scope = Nabla.scope()) {
            for (int l = 0; l + 1 < sizes.length; l++) {
                double scale = Math.sqrt(2.0 / sizes[l]);
                w.add(Tensor.randn(device, dtype, rng, sizes[l], sizes[l + 1]).mul(scale).requiresGrad(true));
                b.add(Tensor.randn(device, dtype, rng, sizes[l + 1]).mul(0.1).requiresGrad(true));
            }
        }
        return new Mlp(sizes, w, b);
    }

    /** A copy of the network (same values, own buffers) on another device and dtype. */
    public Mlp to(Device device, DType dtype) {
        List<Tensor> w = new ArrayList<>();
        List<Tensor> b = new ArrayList<>();
        try (GradMode.Guard g = Nabla.noGrad(); var scope = Nabla.scope()) {
            for (int l = 0; l < weights.size(); l++) {
                w.add(copy(weights.get(l), device, dtype));
                b.add(copy(biases.get(l), device, dtype));
            }
        }
        return new Mlp(sizes, w, b);
    }

    private static Tensor copy(Tensor t, Device device, DType dtype) {
        // to() returns the tensor itself when nothing changes; mul(1) makes sure of a buffer of its own.
        return t.to(device).to(dtype).mul(1.0).requiresGrad(true);
    }

    /** Parameters of a network with these layer widths: {@code Σ (in·out + out)}. */
    public static long parameterCount(int... sizes) {
        long n = 0;
        for (int l = 0; l + 1 < sizes.length; l++) {
            n += (long) sizes[l] * sizes[l + 1] + sizes[l + 1];
        }
        return n;
    }

    /** Number of parameters. */
    public long parameterCount() {
        return parameterCount(sizes);
    }

    /** Weights and biases, layer by layer ({@code W0, b0, W1, b1, ...}). */
    public List<Tensor> parameters() {
        List<Tensor> p = new ArrayList<>();
        for (int l = 0; l < weights.size(); l++) {
            p.add(weights.get(l));
            p.add(biases.get(l));
        }
        return p;
    }

    /** Logits {@code [batch, classes]} of inputs {@code [batch, in]}. */
    public Tensor logits(Tensor x) {
        Tensor h = x;
        for (int l = 0; l < weights.size(); l++) {
            h = h.matmul(weights.get(l)).add(biases.get(l));
            if (l + 1 < weights.size()) {
                h = h.relu();
            }
        }
        return h;
    }

    /** Mean softmax cross-entropy of the logits against INT32 labels. */
    public Tensor loss(Tensor x, Tensor labels) {
        return logits(x).softmaxCrossEntropy(labels);
    }

    /** Zeroes every gradient in place (keeps the buffers, as an optimizer's zero_grad does). */
    public void zeroGrad() {
        for (Tensor p : parameters()) {
            p.zeroGrad();
        }
    }

    /** Plain SGD, {@code p ← p − lr·∇p}, with the backends' fused update kernel. */
    public void sgdStep(double lr) {
        for (Tensor p : parameters()) {
            Tensor g = p.grad();
            if (g == null) {
                throw new IllegalStateException("Mlp.sgdStep: no gradient; call backward() first");
            }
            p.backend().sgdStep(p.buffer(), p.offset(), g.buffer(), g.offset(), null, 0, p.numel(), lr,
                    0, 0, 0, false, false);
        }
    }

    @Override
    public void close() {
        for (Tensor p : parameters()) {
            p.clearGrad();
            p.close();
        }
    }

    /** A batch of standard-normal inputs {@code [batch, in]} and uniform labels in {@code [0, classes)}. */
    public static Tensor[] randomBatch(Device device, Rng rng, int batch, int in, int classes) {
        Tensor x = Tensor.randn(device, rng, batch, in);
        int[] labels = new int[batch];
        for (int i = 0; i < batch; i++) {
            labels[i] = rng.nextInt(classes);
        }
        return new Tensor[] {x, Tensor.of(device, labels)};
    }
}
