package dev.nabla.cpu;

/**
 * Cache blocking of the packed GEMM (CPU_GEMM.md): a B micro-panel ({@code KC x nr}) and an A
 * micro-panel ({@code mr x KC}) stay in L1, the packed A block ({@code MC x KC}) in L2, the packed
 * B block ({@code KC x NC}) in L2/L3. Overridable for tuning with {@code nabla.cpu.gemm.kc},
 * {@code .mc} and {@code .nc}.
 */
final class GemmBlocking {
    static final int KC = Integer.getInteger("nabla.cpu.gemm.kc", 256);
    private static final int MC = Integer.getInteger("nabla.cpu.gemm.mc", 192);
    private static final int NC = Integer.getInteger("nabla.cpu.gemm.nc", 1024);
    /** Below this many flops a GEMM runs on the calling thread. */
    static final long PARALLEL_FLOPS = 1L << 21;

    private GemmBlocking() {
    }

    /** MC rounded up to a multiple of the kernel's rows. */
    static int mc(int mr) {
        return (Math.max(MC, mr) + mr - 1) / mr * mr;
    }

    static int nc(int nr) {
        return (Math.max(NC, nr) + nr - 1) / nr * nr;
    }
}
