package dev.nabla.cpu;

/**
 * Cache blocking of the packed GEMM (CPU_GEMM.md), in float32 elements (float64 halves KC and NC
 * to keep the same bytes in each cache): a B micro-panel ({@code KC x nr}) and an A
 * micro-panel ({@code mr x KC}) stay in L1, the C block ({@code MC x NC}) and the packed A block
 * ({@code MC x KC}) in L2, the packed B chunk ({@code KB x NC}) in L3. Overridable for tuning with
 * {@code nabla.cpu.gemm.kc}, {@code .mc}, {@code .nc} and {@code .kb}.
 */
final class GemmBlocking {
    private static final int KC = Integer.getInteger("nabla.cpu.gemm.kc", 256);
    private static final int MC = Integer.getInteger("nabla.cpu.gemm.mc", 96);
    private static final int NC = Integer.getInteger("nabla.cpu.gemm.nc", 1024);
    private static final int KB = Integer.getInteger("nabla.cpu.gemm.kb", 2048);
    /** Below this many flops a GEMM runs on the calling thread. */
    static final long PARALLEL_FLOPS = 1L << 21;

    private GemmBlocking() {
    }

    /** KC for elements of {@code bytes} bytes: the same L1 footprint as float32 at KC. */
    static int kc(int bytes) {
        return Math.max(16, KC * Float.BYTES / bytes);
    }

    /** MC rounded up to a multiple of the kernel's rows. */
    static int mc(int mr) {
        return (Math.max(MC, mr) + mr - 1) / mr * mr;
    }

    /** KB rounded up to a multiple of KC: the K extent of one packed chunk of B. */
    static int kb(int kc) {
        return (Math.max(KB, kc) + kc - 1) / kc * kc;
    }

    /** NC (scaled like {@link #kc}) rounded up to a multiple of the kernel's columns. */
    static int nc(int nr, int bytes) {
        int nc = Math.max(NC * Float.BYTES / bytes, nr);
        return (nc + nr - 1) / nr * nr;
    }
}
