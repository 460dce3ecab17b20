package dev.nabla.cuda;


import dev.nabla.DType;
import dev.nabla.backend.Backend;
import dev.nabla.backend.BackendReport;
import dev.nabla.backend.Buffer;
import dev.nabla.testing.HostArrays;
import java.util.Arrays;
import java.util.Locale;

/**
 * Run by {@link FakeDriverTest} in a JVM whose {@code libcuda.so.1} is {@code src/test/c/fake_cuda.c}:
 * opens the CUDA backend through the real JCuda JNI code, checks kernels the fake runs (fill,
 * contiguous and strided copy) through the SPI, and times tiny launches. Prints {@code key: value}
 * lines; exits 1 on a wrong result.
 */
public final class FakeDriverMain {
    private FakeDriverMain() {
    }

    public static void main(String[] args) {
        CudaProvider provider = new CudaProvider();
        BackendReport report = provider.report();
        System.out.println("available: " + report.available() + (report.available() ? "" : " (" + report.reason() + ")"));
        if (!report.available()) {
            System.exit(1);
        }
        try (Backend backend = provider.open(0)) {
            System.out.println("device: " + report.devices().get(0).name());
            System.out.println("kernel arguments: " + backend.report().details().get("kernel arguments"));
            System.out.println("provider kernel arguments: " + report.details().get("kernel arguments"));
            boolean ok = check(backend);
            System.out.println("results: " + (ok ? "ok" : "WRONG"));
            int n = args.length > 0 ? Integer.parseInt(args[0]) : 0;
            if (n > 0) {
                time(backend, n);
            }
            System.exit(ok ? 0 : 1);
        }
    }

    private static boolean check(Backend backend) {
        boolean ok = true;
        try (Buffer a = backend.allocate(DType.INT32, 12); Buffer b = backend.allocate(DType.INT32, 12);
             Buffer f = backend.allocate(DType.FLOAT32, 5)) {
            int[] in = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11};
            backend.copyFromHost(HostArrays.wrap(in, 0, 12), a, 0);
            backend.fill(b, 0, 12, -1);
            backend.fill(b, 3, 4, 42);
            ok &= expect("fill", backend, b, new int[] {-1, -1, -1, 42, 42, 42, 42, -1, -1, -1, -1, -1});
            backend.copy(a, 2, new long[] {1}, b, 5, new long[] {1}, new int[] {3});
            ok &= expect("contiguous copy", backend, b, new int[] {-1, -1, -1, 42, 42, 2, 3, 4, -1, -1, -1, -1});
            // b[i][j] = a[j][i] for a 4x3 source: a transposing copy through copy_strided_u32.
            backend.copy(a, 0, new long[] {1, 3}, b, 0, new long[] {4, 1}, new int[] {3, 4});
            ok &= expect("strided copy", backend, b, new int[] {0, 3, 6, 9, 1, 4, 7, 10, 2, 5, 8, 11});
            backend.fill(f, 1, 3, 2.5);
            float[] floats = new float[5];
            backend.copyToHost(f, 0, HostArrays.wrap(floats, 0, 5));
            ok &= floats[1] == 2.5f && floats[2] == 2.5f && floats[3] == 2.5f;
            System.out.println("float fill: " + Arrays.toString(Arrays.copyOfRange(floats, 1, 4)));
        }
        return ok;
    }

    private static boolean expect(String what, Backend backend, Buffer b, int[] expected) {
        int[] out = new int[expected.length];
        backend.copyToHost(b, 0, HostArrays.wrap(out, 0, out.length));
        boolean ok = Arrays.equals(out, expected);
        System.out.println(what + ": " + (ok ? "ok" : "got " + Arrays.toString(out) + ", expected "
                + Arrays.toString(expected)));
        return ok;
    }

    /**
     * Microseconds of host time per launch through the SPI: a fill (4 arguments) and a transposing
     * copy (30 arguments), best of 5 rounds of {@code n} after a warm-up round.
     */
    private static void time(Backend backend, int n) {
        try (Buffer x = backend.allocate(DType.FLOAT32, 12); Buffer y = backend.allocate(DType.FLOAT32, 12)) {
            long[] srcStrides = {1, 3};
            long[] dstStrides = {4, 1};
            int[] shape = {3, 4};
            System.out.printf(Locale.ROOT, "us per fill launch (4 arguments): %.3f%n",
                    best(backend, n, () -> backend.fill(x, 0, 1, 1)));
            System.out.printf(Locale.ROOT, "us per strided copy launch (30 arguments): %.3f%n",
                    best(backend, n, () -> backend.copy(x, 0, srcStrides, y, 0, dstStrides, shape)));
        }
    }

    private static double best(Backend backend, int n, Runnable call) {
        double best = Double.MAX_VALUE;
        for (int round = 0; round < 6; round++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                call.run();
            }
            backend.synchronize();
            double us = (System.nanoTime() - t0) / 1e3 / n;
            if (round > 0) {
                best = Math.min(best, us);
            }
        }
        return best;
    }
}
