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
 * ({@code 2·m·k·n / time}). {@code bench-report} adds n=4096 on GPUs. {@code layout} times the
 * transposed products backward runs ({@code xᵀ·dy} for weight gradients, {@code dy·Wᵀ} for input
 * gradients), which reach GEMM as transposed views, not copies.
 */
public class GemmBenchmark extends BenchmarkBase {
    /** {@code n} for square products or {@code MxKxN} (see {@link GemmShape}). */
    @Param({"256", "512", "1024", "2048", "512x784x1024"})
    public String shape;

    /**
     * {@code nn}: {@code A·B}; {@code tn}: {@code Aᵀ·B} with A stored {@code [k, m]}; {@code nt}:
     * {@code A·Bᵀ} with B stored {@code [n, k]}.
     */
    @Param({"nn"})
    public String layout;

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
        if (!layout.equals("nn") && !layout.equals("tn") && !layout.equals("nt")) {
            throw new IllegalArgumentException("layout '" + layout + "': expected nn, tn or nt");
        }
        a = layout.equals("tn") ? Tensor.randn(device, rng, s.k(), s.m()) : Tensor.randn(device, rng, s.m(), s.k());
        b = layout.equals("nt") ? Tensor.randn(device, rng, s.n(), s.k()) : Tensor.randn(device, rng, s.k(), s.n());
        check(s);
    }

    private Tensor left() {
        return layout.equals("tn") ? a.transpose() : a;
    }

    private Tensor right() {
        return layout.equals("nt") ? b.transpose() : b;
    }

    /** A few entries of the product against float64 dot products on the host. */
    private void check(GemmShape s) {
        float[] av = a.toFloatArray();
        float[] bv = b.toFloatArray();
        float[] cv;
        try (Scope scope = Nabla.scope()) {
            cv = left().matmul(right()).toFloatArray();
        }
        Rng rng = new Rng(5);
        double diff = 0;
        double scale = 0;
        for (int t = 0; t < 64; t++) {
            int i = rng.nextInt(s.m());
            int j = rng.nextInt(s.n());
            double r = 0;
            for (int p = 0; p < s.k(); p++) {
                double x = layout.equals("tn") ? av[p * s.m() + i] : av[i * s.k() + p];
                double y = layout.equals("nt") ? bv[j * s.k() + p] : bv[p * s.n() + j];
                r += x * y;
            }
            diff = Math.max(diff, Math.abs(cv[i * s.n() + j] - r));
            scale = Math.max(scale, Math.abs(r));
        }
        double error = diff / Math.max(scale, 1e-12);
        if (!(error <= 1e-3)) {
            throw new IllegalStateException(String.format(Locale.ROOT,
                    "matmul %s (%s) on %s is wrong: max rel. error %.3e against float64 dot products", shape, layout,
                    device, error));
        }
    }

    @Benchmark
    public void matmul() {
        try (Scope s = Nabla.scope()) {
            left().matmul(right());
            device.synchronize();
        }
    }

    @TearDown
    public void tearDown() {
        a.close();
        b.close();
    }
}
