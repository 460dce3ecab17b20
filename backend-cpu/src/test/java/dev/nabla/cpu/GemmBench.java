package dev.nabla.cpu;

import dev.nabla.DType;
import dev.nabla.backend.Buffer;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Manual throughput check of sgemm through the backend (not a test, no assertion; JMH is where
 * performance is proven). Run after {@code mvn -pl core,backend-cpu -am test-compile}:
 * <pre>
 * java --add-modules jdk.incubator.vector -cp backend-cpu/target/classes:backend-cpu/target/test-classes:core/target/classes \
 *      dev.nabla.cpu.GemmBench [threads] [sizes...]
 * </pre>
 */
public final class GemmBench {
    private static final java.lang.management.ThreadMXBean THREAD_MX =
            java.lang.management.ManagementFactory.getThreadMXBean();

    private GemmBench() {
    }

    /** About two seconds of mid-size products, so that C2 has compiled everything before the first size. */
    private static void warmUp(CpuBackend cpu) {
        int n = 192;
        try (Buffer a = cpu.allocate(DType.FLOAT32, (long) n * n); Buffer c = cpu.allocate(DType.FLOAT32, (long) n * n)) {
            cpu.fill(a, 0, (long) n * n, 0.5);
            long end = System.nanoTime() + 2_000_000_000L;
            while (System.nanoTime() < end) {
                cpu.gemm(false, false, n, n, n, 1, a, 0, n, a, 0, n, 0, c, 0, n);
                cpu.gemm(true, true, n - 5, n - 3, n - 1, 1, a, 0, n, a, 0, n, 1, c, 0, n);
            }
        }
    }

    public static void main(String[] args) {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 1;
        int[] sizes = {256, 512, 1024, 2048};
        if (args.length > 1) {
            sizes = new int[args.length - 1];
            for (int i = 1; i < args.length; i++) {
                sizes[i - 1] = Integer.parseInt(args[i]);
            }
        }
        String gemm = System.getProperty("nabla.cpu.gemm", "auto");
        try (CpuBackend cpu = new CpuBackend(threads, gemm)) {
            System.out.println(cpu);
            warmUp(cpu);
            for (int n : sizes) {
                float[] host = new float[n * n];
                SplittableRandom r = new SplittableRandom(n);
                for (int i = 0; i < host.length; i++) {
                    host[i] = (float) r.nextDouble();
                }
                try (Buffer a = cpu.allocate(DType.FLOAT32, (long) n * n);
                     Buffer b = cpu.allocate(DType.FLOAT32, (long) n * n);
                     Buffer c = cpu.allocate(DType.FLOAT32, (long) n * n)) {
                    cpu.copyFromHost(java.nio.FloatBuffer.wrap(host), a, 0);
                    cpu.copyFromHost(java.nio.FloatBuffer.wrap(host), b, 0);
                    double flop = 2.0 * n * n * n;
                    int reps = (int) Math.max(3, Math.min(200, 2e10 / flop));
                    double best = 0;
                    double bestCpu = 0;
                    for (int round = 0; round < 6; round++) {
                        long t0 = System.nanoTime();
                        long c0 = THREAD_MX.getCurrentThreadCpuTime();
                        for (int i = 0; i < reps; i++) {
                            cpu.gemm(false, false, n, n, n, 1, a, 0, n, b, 0, n, 0, c, 0, n);
                        }
                        double s = (System.nanoTime() - t0) * 1e-9;
                        double cs = (THREAD_MX.getCurrentThreadCpuTime() - c0) * 1e-9;
                        best = Math.max(best, flop * reps / s / 1e9);
                        bestCpu = Math.max(bestCpu, flop * reps / cs / 1e9);
                    }
                    // With one thread the work runs on this thread, so its CPU time excludes what other
                    // processes on the machine took; with more threads only wall time means anything.
                    System.out.printf(Locale.ROOT, "n=%d threads=%d: %.1f GFLOP/s%s (best of 6 x %d)%n", n, threads,
                            best, threads == 1 ? String.format(Locale.ROOT, ", %.1f per CPU second", bestCpu) : "",
                            reps);
                }
            }
        }
    }
}
