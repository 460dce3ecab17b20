package dev.nabla.bench;

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
 * Fused softmax cross-entropy, forward and backward, on {@code rows×classes} logits
 * ({@code bench-report} uses 512×1000 on the CPU and 8192×1024 on GPUs).
 */
public class SoftmaxCrossEntropyBenchmark extends BenchmarkBase {
    /** {@code ROWSxCLASSES}. */
    @Param({"512x1000"})
    public String shape;

    private Tensor logits;
    private Tensor labels;

    /** Rows and classes of a {@code ROWSxCLASSES} parameter. */
    public static int[] dims(String shape) {
        String[] p = shape.trim().toLowerCase(Locale.ROOT).split("x");
        if (p.length != 2) {
            throw new IllegalArgumentException("shape '" + shape + "': expected ROWSxCLASSES, e.g. 512x1000");
        }
        return new int[] {Integer.parseInt(p[0].trim()), Integer.parseInt(p[1].trim())};
    }

    @Setup
    public void setup() {
        open();
        int[] d = dims(shape);
        Rng rng = new Rng(13);
        float[] lv = new float[d[0] * d[1]];
        for (int i = 0; i < lv.length; i++) {
            lv[i] = (float) (3 * rng.nextGaussian());
        }
        int[] yv = new int[d[0]];
        for (int i = 0; i < yv.length; i++) {
            yv[i] = rng.nextInt(d[1]);
        }
        logits = Tensor.of(device, lv, d[0], d[1]).requiresGrad(true);
        labels = Tensor.of(device, yv);
        check(lv, yv, d[0], d[1]);
    }

    /** The loss against a float64 log-sum-exp on the host. */
    private void check(float[] lv, int[] yv, int rows, int classes) {
        double expected = 0;
        for (int r = 0; r < rows; r++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < classes; c++) {
                max = Math.max(max, lv[r * classes + c]);
            }
            double sum = 0;
            for (int c = 0; c < classes; c++) {
                sum += Math.exp(lv[r * classes + c] - max);
            }
            expected += max + Math.log(sum) - lv[r * classes + yv[r]];
        }
        expected /= rows;
        double got;
        try (Scope s = Nabla.scope()) {
            got = logits.softmaxCrossEntropy(labels).item();
        }
        if (!(Math.abs(got - expected) <= 1e-4 * Math.abs(expected))) {
            throw new IllegalStateException(String.format(Locale.ROOT,
                    "softmaxCrossEntropy %s on %s is wrong: %.7f, expected %.7f", shape, device, got, expected));
        }
    }

    @Benchmark
    public void forwardBackward() {
        try (Scope s = Nabla.scope()) {
            logits.zeroGrad();
            logits.softmaxCrossEntropy(labels).backward();
            device.synchronize();
        }
    }

    @TearDown
    public void tearDown() {
        logits.clearGrad();
        logits.close();
        labels.close();
    }
}
