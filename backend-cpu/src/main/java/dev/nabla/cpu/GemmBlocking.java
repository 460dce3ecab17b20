package dev.nabla.cpu;

/**
 * Cache blocking of the packed GEMM, in float32 elements (float64 halves KC and NC so that each
 * cache holds the same bytes). Chosen by a sweep on the Zen 5 (48 KB L1, 1 MB L2 per core; ±10%
 * run to run): KC=512, MC=12 (one 12-row A micro-panel, 24 KB, stays in L1), NC=1024 (the C strip
 * stays in L1/L2 across K), KB=2048 (the packed B chunk, 8 MB, in L3). Larger MC with smaller KC
 * (the textbook BLIS shape, B micro-panel in L1) measured 15–20% slower here. Overridable for
 * tuning with {@code nabla.cpu.gemm.kc}, {@code .mc}, {@code .nc} and {@code .kb}.
 */
final class GemmBlocking {
    private static final int KC = Integer.getInteger("nabla.cpu.gemm.kc", 512);
    private static final int MC = Integer.getInteger("nabla.cpu.gemm.mc", 12);
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
