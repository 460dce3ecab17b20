/*
 * Our own single-precision GEMM for CUDA (used when neither cuBLAS path is available), row-major
 * like the Backend SPI, strided-batched:
 *     C_i = alpha * op(A_i) * op(B_i) + beta * C_i,   op(A_i) is M x K, op(B_i) is K x N.
 * Compiled to PTX by backend-cuda/src/main/ptx/generate.sh (nvcc -ptx -arch=compute_80) and
 * committed as dev/nabla/cuda/ptx/sgemm.ptx; dev.nabla.cuda.OwnGemm launches it and verifies it
 * against the portable gemm.cl kernel the first time it runs on a device.
 *
 * Design (the usual register-blocked SGEMM):
 *  - a block computes a BM x BN tile of C, stepping BK = 8 through K; each thread owns 8 x 8
 *    outputs in registers, as two 4-row by two 4-column groups (rows ty*4.. and BM/2 + ty*4..),
 *    so its shared-memory reads are four float4s per step;
 *  - warp tiling: the 32 threads of a warp cover 8 (ty) x 4 (tx) thread positions, so one step's
 *    shared reads of a warp touch 8 distinct float4s of A and 4 of B (no bank conflicts);
 *  - tiles are read from global memory as float4 along each operand's contiguous axis (both
 *    transposes coalesce) when the operand is 16-byte aligned (address, leading dimension and
 *    batch stride multiples of 4 floats: the host sets the flags); scalar loads otherwise and at
 *    ragged edges, zero-filled outside the matrix;
 *  - double-buffered shared memory: the next tile's global loads are issued before the current
 *    tile's arithmetic and stored after it, with one barrier per step;
 *  - beta == 0 never reads C (NaN in C does not propagate).
 * Entry points: sgemm_<BM>x<BN>_<nn|nt|tn|tt> for 128x128 (256 threads) and 64x64 (64 threads,
 * for problems with too few 128x128 tiles to fill the SMs). Grid: (ceil(N/BN), ceil(M/BM), batches).
 */

typedef long long i64;

#define BK 8
#define FLAG_VEC_A 1
#define FLAG_VEC_B 2
#define FLAG_VEC_C 4

/* Four consecutive elements base[row * ld + col .. col + 3]; zero outside rows x cols. */
__device__ __forceinline__ float4 load4(const float* __restrict__ base, int row, int col, int rows, int cols,
                                        int ld, bool vec) {
    if (row < rows && vec && col + 3 < cols) {
        return __ldg(reinterpret_cast<const float4*>(base + (i64) row * ld + col));
    }
    float4 v = make_float4(0.f, 0.f, 0.f, 0.f);
    if (row < rows) {
        const float* p = base + (i64) row * ld;
        if (col < cols) v.x = __ldg(p + col);
        if (col + 1 < cols) v.y = __ldg(p + col + 1);
        if (col + 2 < cols) v.z = __ldg(p + col + 2);
        if (col + 3 < cols) v.w = __ldg(p + col + 3);
    }
    return v;
}

template <int BM, int BN, bool TA, bool TB>
__device__ __forceinline__ void sgemm_tile(int M, int N, int K, float alpha,
                                           const float* __restrict__ A, int lda, i64 strideA,
                                           const float* __restrict__ B, int ldb, i64 strideB,
                                           float beta, float* __restrict__ C, int ldc, i64 strideC,
                                           int batchBase, int flags) {
    constexpr int TX = BN / 8;               /* threads along n */
    constexpr int TY = BM / 8;               /* threads along m */
    constexpr int THREADS = TX * TY;
    constexpr int LOADS_A = BM * BK / 4 / THREADS;   /* float4 loads per thread per tile */
    constexpr int LOADS_B = BN * BK / 4 / THREADS;
    static_assert(TX % 4 == 0 && TY % 8 == 0, "warp tiling needs 4 x 8 thread positions per warp");
    static_assert(LOADS_A >= 1 && LOADS_B >= 1, "tile too small for the block");

    /* +4 floats per row: transposed stores hit distinct banks, rows stay 16-byte aligned. */
    __shared__ __align__(16) float As[2][BK][BM + 4];
    __shared__ __align__(16) float Bs[2][BK][BN + 4];

    const int tid = threadIdx.x;
    const int lane = tid & 31, warp = tid >> 5;
    const int warpsX = TX / 4;
    const int ty = (warp / warpsX) * 8 + (lane >> 2);
    const int tx = (warp % warpsX) * 4 + (lane & 3);

    const int row0 = blockIdx.y * BM;
    const int col0 = blockIdx.x * BN;
    const i64 batch = (i64) blockIdx.z + batchBase;
    A += batch * strideA;
    B += batch * strideB;
    C += batch * strideC;
    const bool vecA = flags & FLAG_VEC_A, vecB = flags & FLAG_VEC_B, vecC = flags & FLAG_VEC_C;

    float4 ra[LOADS_A], rb[LOADS_B];

    /* Global -> registers for the tile starting at depth k0. */
    auto fetch = [&](int k0) {
#pragma unroll
        for (int l = 0; l < LOADS_A; l++) {
            int f = tid + l * THREADS;
            if (!TA) {          /* A is M x K row-major: float4 along k */
                int i = f / 2, p = (f % 2) * 4;
                ra[l] = load4(A, row0 + i, k0 + p, M, K, lda, vecA);
            } else {            /* A is stored K x M: float4 along m */
                int p = f / (BM / 4), i = (f % (BM / 4)) * 4;
                ra[l] = load4(A, k0 + p, row0 + i, K, M, lda, vecA);
            }
        }
#pragma unroll
        for (int l = 0; l < LOADS_B; l++) {
            int f = tid + l * THREADS;
            if (!TB) {          /* B is K x N row-major: float4 along n */
                int p = f / (BN / 4), j = (f % (BN / 4)) * 4;
                rb[l] = load4(B, k0 + p, col0 + j, K, N, ldb, vecB);
            } else {            /* B is stored N x K: float4 along k */
                int j = f / 2, p = (f % 2) * 4;
                rb[l] = load4(B, col0 + j, k0 + p, N, K, ldb, vecB);
            }
        }
    };

    /* Registers -> shared buffer s, as As[p][i] and Bs[p][j]. */
    auto stash = [&](int s) {
#pragma unroll
        for (int l = 0; l < LOADS_A; l++) {
            int f = tid + l * THREADS;
            if (!TA) {
                int i = f / 2, p = (f % 2) * 4;
                As[s][p][i] = ra[l].x;
                As[s][p + 1][i] = ra[l].y;
                As[s][p + 2][i] = ra[l].z;
                As[s][p + 3][i] = ra[l].w;
            } else {
                int p = f / (BM / 4), i = (f % (BM / 4)) * 4;
                *reinterpret_cast<float4*>(&As[s][p][i]) = ra[l];
            }
        }
#pragma unroll
        for (int l = 0; l < LOADS_B; l++) {
            int f = tid + l * THREADS;
            if (!TB) {
                int p = f / (BN / 4), j = (f % (BN / 4)) * 4;
                *reinterpret_cast<float4*>(&Bs[s][p][j]) = rb[l];
            } else {
                int j = f / 2, p = (f % 2) * 4;
                Bs[s][p][j] = rb[l].x;
                Bs[s][p + 1][j] = rb[l].y;
                Bs[s][p + 2][j] = rb[l].z;
                Bs[s][p + 3][j] = rb[l].w;
            }
        }
    };

    float acc[8][8];
#pragma unroll
    for (int i = 0; i < 8; i++)
#pragma unroll
        for (int j = 0; j < 8; j++)
            acc[i][j] = 0.f;

    const int tiles = (K + BK - 1) / BK;
    if (tiles > 0) {
        fetch(0);
        stash(0);
        __syncthreads();
    }
    for (int t = 0; t < tiles; t++) {
        const int cur = t & 1;
        if (t + 1 < tiles) fetch((t + 1) * BK);
#pragma unroll
        for (int p = 0; p < BK; p++) {
            float4 a0 = *reinterpret_cast<const float4*>(&As[cur][p][ty * 4]);
            float4 a1 = *reinterpret_cast<const float4*>(&As[cur][p][BM / 2 + ty * 4]);
            float4 b0 = *reinterpret_cast<const float4*>(&Bs[cur][p][tx * 4]);
            float4 b1 = *reinterpret_cast<const float4*>(&Bs[cur][p][BN / 2 + tx * 4]);
            float a[8] = {a0.x, a0.y, a0.z, a0.w, a1.x, a1.y, a1.z, a1.w};
            float b[8] = {b0.x, b0.y, b0.z, b0.w, b1.x, b1.y, b1.z, b1.w};
#pragma unroll
            for (int i = 0; i < 8; i++)
#pragma unroll
                for (int j = 0; j < 8; j++)
                    acc[i][j] = fmaf(a[i], b[j], acc[i][j]);
        }
        if (t + 1 < tiles) stash(cur ^ 1);
        __syncthreads();
    }

    /* C = alpha * acc + beta * C, never reading C when beta == 0. */
#pragma unroll
    for (int i = 0; i < 8; i++) {
        int r = row0 + (i < 4 ? ty * 4 + i : BM / 2 + ty * 4 + i - 4);
        if (r >= M) continue;
        float* crow = C + (i64) r * ldc;
#pragma unroll
        for (int h = 0; h < 2; h++) {
            int col = col0 + (h == 0 ? tx * 4 : BN / 2 + tx * 4);
            float v[4];
#pragma unroll
            for (int q = 0; q < 4; q++) v[q] = alpha * acc[i][h * 4 + q];
            if (vecC && col + 3 < N) {
                float4* out = reinterpret_cast<float4*>(crow + col);
                if (beta != 0.f) {
                    float4 old = *out;
                    v[0] += beta * old.x;
                    v[1] += beta * old.y;
                    v[2] += beta * old.z;
                    v[3] += beta * old.w;
                }
                *out = make_float4(v[0], v[1], v[2], v[3]);
            } else {
#pragma unroll
                for (int q = 0; q < 4; q++) {
                    if (col + q < N) {
                        float o = v[q];
                        if (beta != 0.f) o += beta * crow[col + q];
                        crow[col + q] = o;
                    }
                }
            }
        }
    }
}

/* The entry points; src/test/cuda/sgemm_emulation.cpp runs sgemm_tile on the host without them. */
#ifndef NABLA_HOST_EMULATION
#define SGEMM_ENTRY(BM, BN, TA, TB, SUFFIX)                                                              \
    extern "C" __global__ void __launch_bounds__((BM / 8) * (BN / 8))                                    \
    sgemm_##BM##x##BN##_##SUFFIX(int M, int N, int K, float alpha, const float* __restrict__ A, int lda, \
                                 i64 strideA, const float* __restrict__ B, int ldb, i64 strideB,         \
                                 float beta, float* __restrict__ C, int ldc, i64 strideC, int batchBase, \
                                 int flags) {                                                            \
        sgemm_tile<BM, BN, TA, TB>(M, N, K, alpha, A, lda, strideA, B, ldb, strideB, beta, C, ldc,      \
                                   strideC, batchBase, flags);                                           \
    }

SGEMM_ENTRY(128, 128, false, false, nn)
SGEMM_ENTRY(128, 128, false, true, nt)
SGEMM_ENTRY(128, 128, true, false, tn)
SGEMM_ENTRY(128, 128, true, true, tt)
SGEMM_ENTRY(64, 64, false, false, nn)
SGEMM_ENTRY(64, 64, false, true, nt)
SGEMM_ENTRY(64, 64, true, false, tn)
SGEMM_ENTRY(64, 64, true, true, tt)
#endif
