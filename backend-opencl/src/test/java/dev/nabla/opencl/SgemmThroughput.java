package dev.nabla.opencl;

import dev.nabla.DType;
import dev.nabla.backend.Backend;
import dev.nabla.backend.Buffer;
import java.util.Locale;

/**
 * Prints sgemm GFLOP/s of the OpenCL backend for a few square sizes (a measurement, not a test):
 * {@code java -cp ... dev.nabla.opencl.SgemmThroughput [sizes...]}. With {@code -Dnabla.gpu.autotune=true}
 * the first GEMM autotunes (or reads the cache) and the report says which tiles won.
 */
public final class SgemmThroughput {
    private SgemmThroughput() {
    }

    public static void main(String[] args) {
        int[] sizes = args.length == 0 ? new int[] {128, 256, 512, 1024} : java.util.Arrays.stream(args).mapToInt(Integer::parseInt).toArray();
        try (Backend b = new OpenClProvider().open(0)) {
            System.out.println("gemm: " + b.report().devices().get(0).properties().get("gemm"));
            for (int n : sizes) {
                try (Buffer a = b.allocate(DType.FLOAT32, (long) n * n); Buffer bb = b.allocate(DType.FLOAT32, (long) n * n);
                     Buffer c = b.allocate(DType.FLOAT32, (long) n * n)) {
                    b.fill(a, 0, (long) n * n, 0.5);
                    b.fill(bb, 0, (long) n * n, 0.25);
                    b.gemm(false, false, n, n, n, 1, a, 0, n, bb, 0, n, 0, c, 0, n);
                    b.synchronize();
                    int reps = Math.max(2, (int) (2e9 / (2.0 * n * n * n)));
                    long t0 = System.nanoTime();
                    for (int r = 0; r < reps; r++) {
                        b.gemm(false, false, n, n, n, 1, a, 0, n, bb, 0, n, 0, c, 0, n);
                    }
                    b.synchronize();
                    double s = (System.nanoTime() - t0) / 1e9 / reps;
                    System.out.printf(Locale.ROOT, "n=%d: %.1f GFLOP/s (%.2f ms)%n", n, 2.0 * n * n * n / s / 1e9, s * 1e3);
                }
            }
        }
    }
}
