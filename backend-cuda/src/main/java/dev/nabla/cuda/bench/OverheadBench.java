package dev.nabla.cuda.bench;

import dev.nabla.DType;
import dev.nabla.Device;
import dev.nabla.Tensor;
import dev.nabla.backend.Backend;
import dev.nabla.backend.Buffer;
import dev.nabla.backend.UnaryOp;

/**
 * {@code GpuBench --only overhead}: what one call costs on the host when the GPU has (almost)
 * nothing to do, each the mean of {@code calls} calls in a row followed by one
 * {@code synchronize()} (after as many warm-up calls): an empty synchronize; a 1-element
 * {@code unary} through the backend; a 1-element {@code Tensor.add} through the Tensor API (a new
 * tensor each call, closed); a 64×64×64 GEMM through the backend (cuBLAS on CUDA where it loads).
 * Then the MLP step split in its parts, timed like the whole step (median, synchronised): forward
 * with the loss, forward + backward. {@code dist/bench_torch.py} measures the same keys.
 */
final class OverheadBench {
    private final GpuBench bench;
    private final Device device;
    private final Backend backend;
    private final String label;
    private final int calls;

    OverheadBench(GpuBench bench, Device device, String label, int calls) {
        this.bench = bench;
        this.device = device;
        this.backend = device.backend();
        this.label = label;
        this.calls = calls;
    }

    void run(String mlpSpec) {
        perCall("overhead_sync", backend::synchronize);
        try (Buffer x = backend.allocate(DType.FLOAT32, 1); Buffer y = backend.allocate(DType.FLOAT32, 1)) {
            backend.fill(x, 0, 1, -1);
            perCall("overhead_unary_1", () -> backend.unary(UnaryOp.RELU, 0, x, 0, y, 0, 1));
        }
        try (Tensor a = Tensor.ones(device, 1); Tensor b = Tensor.ones(device, 1)) {
            perCall("overhead_tensor_add_1", () -> a.add(b).close());
        }
        int n = 64;
        try (Buffer a = backend.allocate(DType.FLOAT32, n * n); Buffer b = backend.allocate(DType.FLOAT32, n * n);
             Buffer c = backend.allocate(DType.FLOAT32, n * n)) {
            backend.fill(a, 0, n * n, 0.5);
            backend.fill(b, 0, n * n, 0.25);
            perCall("overhead_gemm_64", () -> backend.gemm(false, false, n, n, n, 1, a, 0, n, b, 0, n, 0, c, 0, n));
        }
        try (GpuStepMlp m = new GpuStepMlp(device, mlpSpec)) {
            double forward = bench.time(m::forward, 30);
            bench.record(m.key() + "_forward_" + label, forward * 1e3, "ms", m.key() + "_forward", "lower");
            double both = bench.time(m::forwardBackward, 30);
            bench.record(m.key() + "_fwd_bwd_" + label, both * 1e3, "ms", m.key() + "_fwd_bwd", "lower");
        }
    }

    /** Mean microseconds per call over {@code calls} calls and one synchronize, after as many warm-up calls. */
    private void perCall(String key, Runnable call) {
        double best = Double.MAX_VALUE;
        for (int round = 0; round < 3; round++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < calls; i++) {
                call.run();
            }
            backend.synchronize();
            double us = (System.nanoTime() - t0) / 1e3 / calls;
            if (round > 0) {
                best = Math.min(best, us);
            }
        }
        bench.record(key + "_" + label, best, "us/call", key, "lower");
    }
}
