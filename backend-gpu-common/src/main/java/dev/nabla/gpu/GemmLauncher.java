package dev.nabla.gpu;

/**
 * Launch geometry of {@code gemm.cl}: a work-group per {@code BM×BN} tile of C, batches along the
 * third axis. CUDA limits grid axes y and z to 65535 blocks, so taller matrices and larger batches
 * are split into several launches (offsets advanced on the host).
 */
final class GemmLauncher {
    private static final long MAX_GRID_YZ = 65535;

    private final Launcher launcher;
    private final boolean vectorLoads;
    /** Per tile configuration: float scalar, float vector, double (built on first use). */
    private final java.util.Map<GemmConfig, GpuDevice.Kernel[]> kernels = new java.util.HashMap<>();

    GemmLauncher(Launcher launcher) {
        this.launcher = launcher;
        this.vectorLoads = !"false".equalsIgnoreCase(System.getProperty("nabla.gpu.gemm.vectorLoads", "true"));
    }

    /**
     * Whether every row of A and B starts on a 16-byte boundary (allocations are at least 256-byte
     * aligned), so the float kernel may load four elements at once.
     */
    static boolean aligned(KernelBackend.GemmCall g) {
        return g.dtype() == dev.nabla.DType.FLOAT32
                && g.lda() % 4 == 0 && g.ldb() % 4 == 0 && g.aOffset() % 4 == 0 && g.bOffset() % 4 == 0
                && (g.batch() == 1 || g.strideA() % 4 == 0 && g.strideB() % 4 == 0);
    }

    private GpuDevice.Kernel kernel(dev.nabla.DType t, GemmConfig config, boolean vector) {
        GpuDevice.Kernel[] perVariant = kernels.computeIfAbsent(config, c -> new GpuDevice.Kernel[3]);
        int variant = t == dev.nabla.DType.FLOAT64 ? 2 : vector ? 1 : 0;
        GpuDevice.Kernel k = perVariant[variant];
        if (k == null) {
            k = launcher.kernel(KernelSources.gemm(Launcher.realName(t), config, vector), "gemm");
            perVariant[variant] = k;
        }
        return k;
    }

    void run(KernelBackend.GemmCall g, GemmConfig config) {
        if (g.m() == 0 || g.n() == 0 || g.batch() == 0) {
            return;
        }
        GpuDevice.Kernel kernel = kernel(g.dtype(), config, vectorLoads && aligned(g));
        Object alpha = Launcher.real(g.dtype(), g.alpha());
        Object beta = Launcher.real(g.dtype(), g.beta());
        int tx = config.threadsX(), ty = config.threadsY();
        long colTiles = (g.n() + (long) config.bn() - 1) / config.bn();
        long rowsPerLaunch = MAX_GRID_YZ * config.bm();
        for (long row0 = 0; row0 < g.m(); row0 += rowsPerLaunch) {
            int rows = (int) Math.min(rowsPerLaunch, g.m() - row0);
            long rowTiles = (rows + (long) config.bm() - 1) / config.bm();
            long aOffset = g.aOffset() + (g.transA() ? row0 : row0 * g.lda());
            long cOffset = g.cOffset() + row0 * g.ldc();
            for (long batch0 = 0; batch0 < g.batch(); batch0 += MAX_GRID_YZ) {
                long batches = Math.min(MAX_GRID_YZ, g.batch() - batch0);
                launcher.device().launch(kernel,
                        new long[] {colTiles * tx, rowTiles * ty, batches}, new long[] {tx, ty, 1},
                        g.transA() ? 1 : 0, g.transB() ? 1 : 0, rows, g.n(), g.k(), alpha,
                        g.a(), aOffset, g.lda(), g.strideA(),
                        g.b(), g.bOffset(), g.ldb(), g.strideB(),
                        beta, g.c(), cOffset, g.ldc(), g.strideC(), (int) batch0);
            }
        }
    }
}
