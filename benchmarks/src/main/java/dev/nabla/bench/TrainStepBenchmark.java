package dev.nabla.bench;

import dev.nabla.DType;
import dev.nabla.Nabla;
import dev.nabla.Rng;
import dev.nabla.Scope;
import dev.nabla.Tensor;
import java.util.Locale;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One training step of an MLP (forward, backward, SGD update), and its parts: the forward pass
 * alone (recording the graph, as in training) and forward + backward. Their ratio is the
 * cheap-gradient principle: backward costs a small constant times forward, whatever the number
 * of parameters. {@code bench-report} adds the GPU-sized {@code 4096-4096-4096-10:4096} on GPUs.
 */
public class TrainStepBenchmark extends BenchmarkBase {
    /** Learning rate of the SGD step. */
    public static final double LEARNING_RATE = 1e-3;

    /** Network and batch, e.g. {@code 784-1024-1024-10:512} (see {@link BenchModel}). */
    @Param({"784-1024-1024-10:512", "4-256-3:120"})
    public String model;

    /** CPU worker threads ({@code nabla.threads}); 0 keeps the backend's default. */
    @Param({"0"})
    public int threads;

    private Mlp mlp;
    private Tensor x;
    private Tensor labels;

    @Setup
    public void setup() {
        open(threads);
        BenchModel spec = BenchModel.parse(model);
        Rng rng = new Rng(7);
        mlp = Mlp.create(device, DType.FLOAT32, rng, spec.sizes());
        Tensor[] batch = Mlp.randomBatch(device, rng, spec.batch(), spec.sizes()[0],
                spec.sizes()[spec.sizes().length - 1]);
        x = batch[0];
        labels = batch[1];
        check();
    }

    /** A step on a batch must lower the loss on that batch (a small step along minus the gradient). */
    private void check() {
        double before;
        double after;
        try (Scope s = Nabla.scope()) {
            Tensor loss = mlp.loss(x, labels);
            before = loss.item();
            loss.backward();
            mlp.sgdStep(LEARNING_RATE);
        }
        try (Scope s = Nabla.scope(); var g = Nabla.noGrad()) {
            after = mlp.loss(x, labels).item();
        }
        if (!(Double.isFinite(before) && after < before)) {
            throw new IllegalStateException(String.format(Locale.ROOT,
                    "train step %s on %s is wrong: loss %.6f before an SGD step and %.6f after", model, device,
                    before, after));
        }
    }

    @Benchmark
    public void forward() {
        try (Scope s = Nabla.scope()) {
            mlp.loss(x, labels);
            device.synchronize();
        }
    }

    @Benchmark
    public void forwardBackward() {
        try (Scope s = Nabla.scope()) {
            mlp.zeroGrad();
            mlp.loss(x, labels).backward();
            device.synchronize();
        }
    }

    @Benchmark
    public void step() {
        try (Scope s = Nabla.scope()) {
            mlp.zeroGrad();
            mlp.loss(x, labels).backward();
            mlp.sgdStep(LEARNING_RATE);
            device.synchronize();
        }
    }

    @TearDown
    public void tearDown() {
        mlp.close();
        x.close();
        labels.close();
    }
}
