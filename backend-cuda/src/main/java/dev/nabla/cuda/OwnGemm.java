package dev.nabla.cuda;

import dev.nabla.DType;
import dev.nabla.gpu.GpuDevice;

/**
 * Our own CUDA SGEMM ({@code src/main/cuda/sgemm.cu}, committed as {@code sgemm.ptx}): 128×128
 * tiles of 8×8 per thread, 64×64 tiles when 128×128 tiles would leave SMs idle; float4 loads
 * where operands are 16-byte aligned; FLOAT32 only (FLOAT64 goes to the portable kernel). It is
 * used only after {@link GemmVerifier} has compared it with the portable kernel on this device.
 */
final class OwnGemm implements GemmEngine {
    static final String NAME = "own";
    static final String PTX_TAG = "sgemm";
    static final String SOURCE = "sgemm.cu";
    /** CUDA limits grid axes y and z to 65535 blocks: taller problems and larger batches are split. */
    private static final int MAX_GRID_YZ = 65535;

    private final CudaDevice device;
    private final GpuDevice.Kernel[] kernels = new GpuDevice.Kernel[8];

    /** Loads the module (driver JIT); a refusal is {@link GemmEngineUnavailableException}. */
    OwnGemm(CudaDevice device) {
        this.device = device;
        try {
            GpuDevice.Module module = device.loadPtx(PTX_TAG);
            String[] tiles = {"128x128", "64x64"};
            String[] ops = {"nn", "nt", "tn", "tt"};
            for (int t = 0; t < 2; t++) {
                for (int o = 0; o < 4; o++) {
                    kernels[t * 4 + o] = device.kernel(module, "sgemm_" + tiles[t] + "_" + ops[o]);
                }
            }
        } catch (IllegalStateException e) {
            throw new GemmEngineUnavailableException("own CUDA GEMM: " + e.getMessage(), e);
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "own CUDA SGEMM (sgemm.cu: 128x128x8 and 64x64x8 tiles, 8x8 per thread, float4 loads, "
                + "double-buffered shared memory), FP32; FLOAT64 on the portable kernel";
    }

    @Override
    public boolean supports(DType dtype) {
        return dtype == DType.FLOAT32;
    }

    /** The tile edge for a problem: 128 unless that gives fewer blocks than about two waves of SMs need. */
    static int tile(int m, int n, int batch, int multiprocessors) {
        long big = ceil(m, 128) * ceil(n, 128) * (long) batch;
        return big >= 2L * multiprocessors ? 128 : 64;
    }

    /** Bit flags of {@code sgemm.cu}: an operand takes float4 loads when every matrix of the batch is 16-byte aligned. */
    static int vectorFlags(GemmArgs g) {
        int flags = 0;
        if (aligned(g.a(), g.lda(), g.strideA())) {
            flags |= 1;
        }
        if (aligned(g.b(), g.ldb(), g.strideB())) {
            flags |= 2;
        }
        if (aligned(g.c(), g.ldc(), g.strideC())) {
            flags |= 4;
        }
        return flags;
    }

    private static boolean aligned(long address, int ld, long stride) {
        return address % 16 == 0 && ld % 4 == 0 && stride % 4 == 0;
    }

    @Override
    public void gemm(GemmArgs g) {
        int edge = tile(g.m(), g.n(), g.batch(), device.info().computeUnits());
        int threads = (edge / 8) * (edge / 8);
        GpuDevice.Kernel kernel = kernels[(edge == 128 ? 0 : 4) + (g.transA() ? 2 : 0) + (g.transB() ? 1 : 0)];
        int flags = vectorFlags(g);
        long colTiles = ceil(g.n(), edge);
        long rowsPerLaunch = (long) MAX_GRID_YZ * edge;
        for (long row0 = 0; row0 < g.m(); row0 += rowsPerLaunch) {
            int rows = (int) Math.min(rowsPerLaunch, g.m() - row0);
            // Rows of op(A) advance along A's rows, or along its columns when transposed; the
            // split keeps 16-byte alignment because rowsPerLaunch is a multiple of 4.
            long a = g.a() + 4L * (g.transA() ? row0 : row0 * g.lda());
            long c = g.c() + 4L * row0 * g.ldc();
            for (long batch0 = 0; batch0 < g.batch(); batch0 += MAX_GRID_YZ) {
                long batches = Math.min(MAX_GRID_YZ, g.batch() - batch0);
                device.launch(kernel, new long[] {colTiles * threads, ceil(rows, edge), batches},
                        new long[] {threads, 1, 1}, rows, g.n(), g.k(), (float) g.alpha(), a, g.lda(), g.strideA(),
                        g.b(), g.ldb(), g.strideB(), (float) g.beta(), c, g.ldc(), g.strideC(), (int) batch0, flags);
            }
        }
    }

    private static long ceil(long a, int b) {
        return (a + b - 1) / b;
    }

    @Override
    public void close() {
        // The module belongs to the device and is unloaded with it.
    }
}
