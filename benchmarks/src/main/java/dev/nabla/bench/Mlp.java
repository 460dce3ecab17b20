package dev.nabla.bench;

import dev.nabla.DType;
import dev.nabla.Device;
import dev.nabla.Nabla;
import dev.nabla.Rng;
import dev.nabla.Tensor;
import dev.nabla.autograd.GradMode;
import dev.nabla.nn.Init;
import dev.nabla.nn.Linear;
import dev.nabla.nn.Module;
import dev.nabla.nn.ReLU;
import dev.nabla.nn.Sequential;
import dev.nabla.optim.SGD;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The benchmarks' network, as users build it: {@code Sequential(Linear, ReLU, ..., Linear)} with
 * He-normal weights from a seeded {@link Rng}, softmax cross-entropy on the logits, plain
 * {@link SGD}. A copy on another device or dtype ({@link #to}) holds the same values, so a float64
 * copy on the CPU checks a float32 network on a GPU.
 */
public final class Mlp implements AutoCloseable {
    private final int[] sizes;
    private final Sequential model;
    private SGD optimizer;

    private Mlp(int[] sizes, Sequential model) {
        this.sizes = sizes.clone();
        this.model = model;
    }

    /** A network of layer widths {@code sizes} (input first, classes last). */
    public static Mlp create(Device device, DType dtype, Rng rng, int... sizes) {
        if (sizes.length < 2) {
            throw new IllegalArgumentException("Mlp: need at least input and output sizes, got "
                    + Arrays.toString(sizes));
        }
        List<Module> layers = new ArrayList<>();
        for (int l = 0; l + 1 < sizes.length; l++) {
            if (l > 0) {
                layers.add(new ReLU());
            }
            layers.add(new Linear(device, dtype, sizes[l], sizes[l + 1], true, Init.HE_NORMAL, rng));
        }
        return new Mlp(sizes, new Sequential(layers));
    }

    /** A copy of the network (same values, own buffers) on another device and dtype. */
    public Mlp to(Device device, DType dtype) {
        Mlp copy = create(device, dtype, new Rng(0), sizes);
        try (GradMode.Guard g = Nabla.noGrad(); var scope = Nabla.scope()) {
            Map<String, Tensor> state = new LinkedHashMap<>();
            model.stateDict().forEach((k, v) -> state.put(k, v.to(dtype)));
            copy.model.loadStateDict(state);
        }
        return copy;
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
        return model.parameterCount();
    }

    /** Weights and biases, layer by layer ({@code W0, b0, W1, b1, ...}). */
    public List<Tensor> parameters() {
        return model.parameters();
    }

    /** Logits {@code [batch, classes]} of inputs {@code [batch, in]}. */
    public Tensor logits(Tensor x) {
        return model.forward(x);
    }

    /** Mean softmax cross-entropy of the logits against INT32 labels. */
    public Tensor loss(Tensor x, Tensor labels) {
        return logits(x).softmaxCrossEntropy(labels);
    }

    /** Zeroes every gradient in place (keeping the buffers). */
    public void zeroGrad() {
        model.zeroGrad();
    }

    /** One step of plain SGD, {@code p ← p − lr·∇p} (the backends' fused update). */
    public void sgdStep(double lr) {
        if (optimizer == null) {
            optimizer = new SGD(parameters(), lr);
        } else if (optimizer.lr() != lr) {
            optimizer.setLr(lr);
        }
        optimizer.step();
    }

    @Override
    public void close() {
        if (optimizer != null) {
            optimizer.close();
        }
        model.close();
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
