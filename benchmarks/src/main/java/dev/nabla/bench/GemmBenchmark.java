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
 * Float32 matrix product {@code [m, k] @ [k, n]} through {@code Tensor.matmul}: square sizes and
 * the first layer of an MNIST-sized MLP. The report turns the time into GFLOP/s
 * ({@code 2·m·k·n / time}). {@code bench-report} adds n=4096 on GPUs.
 */
public class GemmBenchmark extends BenchmarkBase {
    /** {@code n} for square products or {@code MxKxN} (see {@link GemmShape}). */
    @Param({"256", "512", "1024", "2048", "512x784x1024"})
    public String shape;

    /** CPU worker threads ({@code nabla.threads}); 0 keeps the backend's default. */
    @Param({"0"})
    public int threads;

    private Tensor a;
    private Tensor b;

    @Setup
    public void setup() {
        open(threads);
        GemmShape s = GemmShape.parse(shape);
        Rng rng = new Rng(11);
        a = Tensor.randn(device, rng, s.m(), s.k());
        b = Tensor.randn(device, rng, s.k(), s.n());
        check(s);
    }

    /** A few entries of the product against float64 dot products on the host. */
    private void check(GemmShape s) {
        float[] av = a.toFloatArray();
        float[] bv = b.toFloatArray();
        float[] cv;
        try (Scope scope = Nabla.scope()) {
            cv = a.matmul(b).toFloatArray();
        }
        Rng rng = new Rng(5);
        double diff = 0;
        double scale = 0;
        for (int t = 0; t < 64; t++) {
            int i = rng.nextInt(s.m());
            int j = rng.nextInt(s.n());
            double r = 0;
            for (int p = 0; p < s.k(); p++) {
                r += (double) av[i * s.k() + p] * bv[p * s.n() + j];
            }
            diff = Math.max(diff, Math.abs(cv[i * s.n() + j] - r));
            scale = Math.max(scale, Math.abs(r));
        }
        double error = diff / Math.max(scale, 1e-12);
        if (!(error <= 1e-3)) {
            throw new IllegalStateException(String.format(Locale.ROOT,
                    "matmul %s on %s is wrong: max rel. error %.3e against float64 dot products", shape, device, error));
        }
    }

    @Benchmark
    public void matmul() {
        try (Scope s = Nabla.scope()) {
            a.matmul(b);
            device.synchronize();
        }
    }

    @TearDown
    public void tearDown() {
        a.close();
        b.close();
    }
}
