package dev.nabla.cuda.bench;

import dev.nabla.Device;
import dev.nabla.Nabla;
import dev.nabla.Rng;
import dev.nabla.Scope;
import dev.nabla.Tensor;
import dev.nabla.backend.Backend;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The benchmark MLP ({@code 784-1024-1024-10:512}: layer widths, then the batch): Linear layers
 * with ReLU between them, mean softmax cross-entropy, plain SGD through the backend's fused
 * {@code sgdStep} — the work {@code dist/bench_torch.py} times with {@code torch.nn} and
 * {@code torch.optim.SGD}. Each pass runs in a {@link Nabla#scope()}, so nothing but the
 * parameters and their gradients outlives it.
 */
final class GpuStepMlp implements AutoCloseable {
    private final Backend backend;
    private final String widths;
    private final int batch;
    private final List<Tensor> params = new ArrayList<>();
    private final Tensor x;
    private final Tensor y;

    GpuStepMlp(Device device, String spec) {
        String[] parts = spec.split(":");
        this.widths = parts[0];
        this.batch = Integer.parseInt(parts[1]);
        this.backend = device.backend();
        int[] w = Arrays.stream(widths.split("-")).mapToInt(Integer::parseInt).toArray();
        Rng rng = new Rng(42);
        for (int l = 0; l + 1 < w.length; l++) {
            double scale = Math.sqrt(2.0 / w[l]);
            params.add(Tensor.randn(device, rng, w[l], w[l + 1]).mul(scale).detach().requiresGrad(true));
            params.add(Tensor.zeros(device, w[l + 1]).requiresGrad(true));
        }
        x = Tensor.randn(device, rng, batch, w[0]);
        int classes = w[w.length - 1];
        int[] labels = new int[batch];
        for (int i = 0; i < batch; i++) {
            labels[i] = i % classes;
        }
        y = Tensor.of(device, labels);
    }

    int batch() {
        return batch;
    }

    /** The metric key shared with bench_torch.py: {@code mlp_784-1024-1024-10_b512}. */
    String key() {
        return "mlp_" + widths + "_b" + batch;
    }

    private Tensor loss() {
        Tensor h = x;
        for (int l = 0; l < params.size(); l += 2) {
            h = h.matmul(params.get(l)).add(params.get(l + 1));
            if (l + 2 < params.size()) {
                h = h.relu();
            }
        }
        return h.softmaxCrossEntropy(y);
    }

    /** The forward pass and the loss, recording the graph as training does. */
    void forward() {
        try (Scope s = Nabla.scope()) {
            loss();
        }
    }

    /** Forward and backward: gradients accumulate into the parameters' {@code grad()}. */
    void forwardBackward() {
        try (Scope s = Nabla.scope()) {
            loss().backward();
        }
    }

    /** One training step: forward, backward, then per parameter {@code sgdStep} and {@code zeroGrad}. */
    void step() {
        try (Scope s = Nabla.scope()) {
            loss().backward();
            for (Tensor p : params) {
                Tensor g = p.grad();
                backend.sgdStep(p.buffer(), p.offset(), g.buffer(), g.offset(), null, 0, p.numel(), 0.01, 0, 0, 0,
                        false, false);
                p.zeroGrad();
            }
        }
    }

    @Override
    public void close() {
        for (Tensor p : params) {
            p.clearGrad();
            p.close();
        }
        x.close();
        y.close();
    }
}
