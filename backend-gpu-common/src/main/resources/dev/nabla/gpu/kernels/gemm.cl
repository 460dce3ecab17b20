/*
 * Portable strided-batched GEMM on REAL, row-major: C = alpha * op(A) * op(B) + beta * C.
 *
 * Compile-time tile parameters (dev.nabla.gpu.GemmConfig):
 *   BM x BN  tile of C per work-group, BK  depth of one step through k,
 *   TM x TN  outputs per work-item (register blocking),
 *   WT       0: the plain kernel below; 1: the warp-tiled, double-buffered kernel (float only, see
 *            the second half of this file).
 * Work-group: (BN/TN) x (BM/TM) work-items, axis 0 along n. Global size:
 *   (ceil(n/BN) * BN/TN, ceil(m/BM) * BM/TM, batches), so it is always a multiple of the local size.
 * Tiles are staged through local memory, read from global memory along the contiguous axis of
 * each operand (so loads coalesce for both transposes), with zero padding at the edges.
 * Vector loads only with VEC=1 (see below): offsets and leading dimensions are arbitrary.
 * beta == 0 does not read C.
 */

#ifndef BM
#define BM 64
#endif
#ifndef BN
#define BN 64
#endif
#ifndef BK
#define BK 16
#endif
#ifndef TM
#define TM 4
#endif
#ifndef TN
#define TN 4
#endif
/* VEC=1: 16-byte vector loads; only for float, and only when the host has checked that every
 * row of A and B starts 16-byte aligned (offsets, leading dimensions, batch strides % 4 == 0). */
#ifndef VEC
#define VEC 0
#endif
#if VEC && (BK % 4 != 0 || BM % 4 != 0 || BN % 4 != 0)
#error "VEC=1 needs BM, BN and BK to be multiples of 4"
#endif

#ifndef WT
#define WT 0
#endif

#define TX (BN / TN)
#define TY (BM / TM)
#define THREADS (TX * TY)

#if !WT
/*
 * The plain kernel. Work-item (tx, ty) owns rows ty + i*(BM/TM) and columns tx + j*(BN/TN) of the
 * tile: neighbouring work-items read neighbouring local-memory words of B and write neighbouring
 * words of C. One local buffer per operand, two barriers per step through k.
 */

KERNEL void gemm(int transA, int transB, int M, int N, int K, REAL alpha,
                 GLOBAL const REAL* RESTRICT A, i64 aOffset, int lda, i64 strideA,
                 GLOBAL const REAL* RESTRICT B, i64 bOffset, int ldb, i64 strideB,
                 REAL beta, GLOBAL REAL* RESTRICT C, i64 cOffset, int ldc, i64 strideC, int batchBase) {
    LOCAL REAL As[BK][BM + 1];
    LOCAL REAL Bs[BK][BN];

    int tx = LOCAL_ID(0);
    int ty = LOCAL_ID(1);
    int tid = ty * TX + tx;
    int row0 = (int) GROUP_ID(1) * BM;
    int col0 = (int) GROUP_ID(0) * BN;
    i64 batch = GROUP_ID(2) + batchBase;
    GLOBAL const REAL* a = A + aOffset + batch * strideA;
    GLOBAL const REAL* b = B + bOffset + batch * strideB;
    GLOBAL REAL* c = C + cOffset + batch * strideC;

    REAL acc[TM][TN];
    for (int i = 0; i < TM; i++)
        for (int j = 0; j < TN; j++)
            acc[i][j] = 0;

    for (int k0 = 0; k0 < K; k0 += BK) {
#if VEC
        /* Four consecutive elements of each operand's contiguous axis per load (float only). */
        for (int e = tid; e < BM * BK / 4; e += THREADS) {
            if (transA) {
                int p = e / (BM / 4), i = (e - p * (BM / 4)) * 4;
                int gi = row0 + i, gp = k0 + p;
                if (gp < K && gi + 3 < M) {
                    float4 v = LOAD_FLOAT4(a + (i64) gp * lda + gi);
                    As[p][i] = v.x; As[p][i + 1] = v.y; As[p][i + 2] = v.z; As[p][i + 3] = v.w;
                } else {
                    for (int q = 0; q < 4; q++) As[p][i + q] = gp < K && gi + q < M ? a[(i64) gp * lda + gi + q] : 0;
                }
            } else {
                int i = e / (BK / 4), p = (e - i * (BK / 4)) * 4;
                int gi = row0 + i, gp = k0 + p;
                if (gi < M && gp + 3 < K) {
                    float4 v = LOAD_FLOAT4(a + (i64) gi * lda + gp);
                    As[p][i] = v.x; As[p + 1][i] = v.y; As[p + 2][i] = v.z; As[p + 3][i] = v.w;
                } else {
                    for (int q = 0; q < 4; q++) As[p + q][i] = gi < M && gp + q < K ? a[(i64) gi * lda + gp + q] : 0;
                }
            }
        }
        for (int e = tid; e < BK * BN / 4; e += THREADS) {
            if (transB) {
                int j = e / (BK / 4), p = (e - j * (BK / 4)) * 4;
                int gj = col0 + j, gp = k0 + p;
                if (gj < N && gp + 3 < K) {
                    float4 v = LOAD_FLOAT4(b + (i64) gj * ldb + gp);
                    Bs[p][j] = v.x; Bs[p + 1][j] = v.y; Bs[p + 2][j] = v.z; Bs[p + 3][j] = v.w;
                } else {
                    for (int q = 0; q < 4; q++) Bs[p + q][j] = gj < N && gp + q < K ? b[(i64) gj * ldb + gp + q] : 0;
                }
            } else {
                int p = e / (BN / 4), j = (e - p * (BN / 4)) * 4;
                int gj = col0 + j, gp = k0 + p;
                if (gp < K && gj + 3 < N) {
                    float4 v = LOAD_FLOAT4(b + (i64) gp * ldb + gj);
                    Bs[p][j] = v.x; Bs[p][j + 1] = v.y; Bs[p][j + 2] = v.z; Bs[p][j + 3] = v.w;
                } else {
                    for (int q = 0; q < 4; q++) Bs[p][j + q] = gp < K && gj + q < N ? b[(i64) gp * ldb + gj + q] : 0;
                }
            }
        }
#else
        /* A tile: BM rows (i) x BK depths (p), read along A's contiguous axis. */
        for (int e = tid; e < BM * BK; e += THREADS) {
            int i, p;
            if (transA) { p = e / BM; i = e - p * BM; } else { i = e / BK; p = e - i * BK; }
            int gi = row0 + i, gp = k0 + p;
            REAL v = 0;
            if (gi < M && gp < K) v = transA ? a[(i64) gp * lda + gi] : a[(i64) gi * lda + gp];
            As[p][i] = v;
        }
        /* B tile: BK depths (p) x BN columns (j). */
        for (int e = tid; e < BK * BN; e += THREADS) {
            int j, p;
            if (transB) { j = e / BK; p = e - j * BK; } else { p = e / BN; j = e - p * BN; }
            int gj = col0 + j, gp = k0 + p;
            REAL v = 0;
            if (gj < N && gp < K) v = transB ? b[(i64) gj * ldb + gp] : b[(i64) gp * ldb + gj];
            Bs[p][j] = v;
        }
#endif
        BARRIER();
        for (int p = 0; p < BK; p++) {
            REAL ra[TM], rb[TN];
            for (int i = 0; i < TM; i++) ra[i] = As[p][ty + i * TY];
            for (int j = 0; j < TN; j++) rb[j] = Bs[p][tx + j * TX];
            for (int i = 0; i < TM; i++)
                for (int j = 0; j < TN; j++)
                    acc[i][j] += ra[i] * rb[j];
        }
        BARRIER();
    }

    for (int i = 0; i < TM; i++) {
        int r = row0 + ty + i * TY;
        if (r >= M) continue;
        for (int j = 0; j < TN; j++) {
            int col = col0 + tx + j * TX;
            if (col >= N) continue;
            i64 at = (i64) r * ldc + col;
            REAL v = alpha * acc[i][j];
            if (beta != 0) v += beta * c[at];
            c[at] = v;
        }
    }
}
#endif /* !WT */

#if WT
/*
 * The warp-tiled, double-buffered kernel: backend-cuda's sgemm.cu in portable OpenCL C, float only
 * (REAL=float; float64 runs the plain kernel of the same tile, see GemmConfig.forFloat64).
 *  - Each work-item owns 8 x 8 outputs as two 4-row by two 4-column groups: rows wy*4.. and
 *    BM/2 + wy*4.., columns wx*4.. and BN/2 + wx*4..; per step through k it reads four float4s
 *    from local memory and does 64 multiply-adds.
 *  - Warp tiling: the 32 consecutive work-items (linear id = y * TX + x, how NVIDIA forms warps)
 *    cover 8 (wy) x 4 (wx) positions, so a warp's local reads per step touch 8 distinct float4s of
 *    A and 4 of B: no bank conflicts, broadcasts for the rest.
 *  - A is stored transposed in local memory (As[p][i]), like B (Bs[p][j]); rows are padded by
 *    4 floats so the transposed scalar stores hit distinct banks and rows stay 16-byte aligned.
 *  - Global loads are four consecutive elements along each operand's contiguous axis, as one
 *    float4 when VEC=1 and the four are inside the matrix (the host checked the alignment),
 *    else element by element with zeros outside the matrix.
 *  - Double-buffered local memory: the next tile's global loads are issued into registers before
 *    the current tile's arithmetic and stored into the other buffer after it; one barrier per step.
 *  - C is written as float4 where the address is 16-byte aligned and the four columns exist.
 */
#if TM != 8 || TN != 8
#error "WT=1 needs TM = TN = 8"
#endif
#if TX % 4 != 0 || TY % 8 != 0
#error "WT=1 needs BN/8 to be a multiple of 4 and BM/8 a multiple of 8 (a warp is 4 x 8 work-items)"
#endif
#if BK % 8 != 0 || (BM * BK / 4) % THREADS != 0 || (BN * BK / 4) % THREADS != 0
#error "WT=1 needs BK % 8 == 0 and whole float4 loads per work-item"
#endif

#define LOADS_A (BM * BK / 4 / THREADS)
#define LOADS_B (BN * BK / 4 / THREADS)

/* base[row * ld + col .. col + 3], zero outside rows x cols (col is a multiple of 4). */
INLINE float4 gemm_load4(GLOBAL const float* RESTRICT base, int row, int col, int rows, int cols, int ld) {
    float4 v;
    v.x = 0;
    v.y = 0;
    v.z = 0;
    v.w = 0;
    if (row < rows) {
        GLOBAL const float* p = base + (i64) row * ld + col;
#if VEC
        if (col + 3 < cols) return LOAD_FLOAT4(p);
#endif
        if (col < cols) v.x = p[0];
        if (col + 1 < cols) v.y = p[1];
        if (col + 2 < cols) v.z = p[2];
        if (col + 3 < cols) v.w = p[3];
    }
    return v;
}

KERNEL REQD_WORK_GROUP_SIZE(TX, TY, 1)
void gemm(int transA, int transB, int M, int N, int K, float alpha,
          GLOBAL const float* RESTRICT A, i64 aOffset, int lda, i64 strideA,
          GLOBAL const float* RESTRICT B, i64 bOffset, int ldb, i64 strideB,
          float beta, GLOBAL float* RESTRICT C, i64 cOffset, int ldc, i64 strideC, int batchBase) {
    LOCAL float As[2][BK][BM + 4] ALIGNED(16);
    LOCAL float Bs[2][BK][BN + 4] ALIGNED(16);

    const int tid = LOCAL_ID(1) * TX + LOCAL_ID(0);
    const int lane = tid & 31, warp = tid >> 5;
    const int wy = (warp / (TX / 4)) * 8 + (lane >> 2);
    const int wx = (warp % (TX / 4)) * 4 + (lane & 3);
    const int row0 = (int) GROUP_ID(1) * BM;
    const int col0 = (int) GROUP_ID(0) * BN;
    const i64 batch = GROUP_ID(2) + batchBase;
    GLOBAL const float* a = A + aOffset + batch * strideA;
    GLOBAL const float* b = B + bOffset + batch * strideB;
    GLOBAL float* c = C + cOffset + batch * strideC;

    float4 ra[LOADS_A], rb[LOADS_B];
    float acc[8][8];
#pragma unroll
    for (int i = 0; i < 8; i++)
#pragma unroll
        for (int j = 0; j < 8; j++)
            acc[i][j] = 0;

    /*
     * Step t computes on buffer t & 1 while the tile of step t + 1 travels global -> registers ->
     * buffer (t + 1) & 1. Step -1 only loads the first tile. The barrier at the end of step t
     * publishes buffer (t + 1) & 1 and frees buffer t & 1 for the stores of step t + 1.
     */
    const int tiles = (K + BK - 1) / BK;
    for (int t = -1; t < tiles; t++) {
        const int next = t + 1 < tiles;
        if (next) {
            const int k0 = (t + 1) * BK;
#pragma unroll
            for (int l = 0; l < LOADS_A; l++) {
                const int f = tid + l * THREADS;
                if (transA) {   /* A stored K x M: float4 along m */
                    const int p = f / (BM / 4), i = (f % (BM / 4)) * 4;
                    ra[l] = gemm_load4(a, k0 + p, row0 + i, K, M, lda);
                } else {        /* A stored M x K: float4 along k, two work-items per row and 8 depths */
                    const int i = (f / 2) % BM, p = (f % 2) * 4 + f / (2 * BM) * 8;
                    ra[l] = gemm_load4(a, row0 + i, k0 + p, M, K, lda);
                }
            }
#pragma unroll
            for (int l = 0; l < LOADS_B; l++) {
                const int f = tid + l * THREADS;
                if (transB) {   /* B stored N x K: float4 along k */
                    const int j = (f / 2) % BN, p = (f % 2) * 4 + f / (2 * BN) * 8;
                    rb[l] = gemm_load4(b, col0 + j, k0 + p, N, K, ldb);
                } else {        /* B stored K x N: float4 along n */
                    const int p = f / (BN / 4), j = (f % (BN / 4)) * 4;
                    rb[l] = gemm_load4(b, k0 + p, col0 + j, K, N, ldb);
                }
            }
        }
        if (t >= 0) {
            const int cur = t & 1;
#pragma unroll
            for (int p = 0; p < BK; p++) {
                const float4 a0 = LOAD_LOCAL_FLOAT4(&As[cur][p][wy * 4]);
                const float4 a1 = LOAD_LOCAL_FLOAT4(&As[cur][p][BM / 2 + wy * 4]);
                const float4 b0 = LOAD_LOCAL_FLOAT4(&Bs[cur][p][wx * 4]);
                const float4 b1 = LOAD_LOCAL_FLOAT4(&Bs[cur][p][BN / 2 + wx * 4]);
                const float av[8] = {a0.x, a0.y, a0.z, a0.w, a1.x, a1.y, a1.z, a1.w};
                const float bv[8] = {b0.x, b0.y, b0.z, b0.w, b1.x, b1.y, b1.z, b1.w};
#pragma unroll
                for (int i = 0; i < 8; i++)
#pragma unroll
                    for (int j = 0; j < 8; j++)
                        acc[i][j] += av[i] * bv[j];
            }
        }
        if (next) {
            const int s = (t + 1) & 1;
#pragma unroll
            for (int l = 0; l < LOADS_A; l++) {
                const int f = tid + l * THREADS;
                if (transA) {
                    const int p = f / (BM / 4), i = (f % (BM / 4)) * 4;
                    STORE_LOCAL_FLOAT4(&As[s][p][i], ra[l]);
                } else {
                    const int i = (f / 2) % BM, p = (f % 2) * 4 + f / (2 * BM) * 8;
                    As[s][p][i] = ra[l].x;
                    As[s][p + 1][i] = ra[l].y;
                    As[s][p + 2][i] = ra[l].z;
                    As[s][p + 3][i] = ra[l].w;
                }
            }
#pragma unroll
            for (int l = 0; l < LOADS_B; l++) {
                const int f = tid + l * THREADS;
                if (transB) {
                    const int j = (f / 2) % BN, p = (f % 2) * 4 + f / (2 * BN) * 8;
                    Bs[s][p][j] = rb[l].x;
                    Bs[s][p + 1][j] = rb[l].y;
                    Bs[s][p + 2][j] = rb[l].z;
                    Bs[s][p + 3][j] = rb[l].w;
                } else {
                    const int p = f / (BN / 4), j = (f % (BN / 4)) * 4;
                    STORE_LOCAL_FLOAT4(&Bs[s][p][j], rb[l]);
                }
            }
        }
        BARRIER();
    }

    /* C = alpha * acc + beta * C; beta == 0 never reads C. */
#pragma unroll
    for (int i = 0; i < 8; i++) {
        const int r = row0 + (i < 4 ? wy * 4 + i : BM / 2 + wy * 4 + i - 4);
        if (r >= M) continue;
        GLOBAL float* crow = c + (i64) r * ldc;
#pragma unroll
        for (int h = 0; h < 2; h++) {
            const int col = col0 + (h == 0 ? wx * 4 : BN / 2 + wx * 4);
            GLOBAL float* out = crow + col;
            float4 v;
            v.x = alpha * acc[i][h * 4];
            v.y = alpha * acc[i][h * 4 + 1];
            v.z = alpha * acc[i][h * 4 + 2];
            v.w = alpha * acc[i][h * 4 + 3];
            if (col + 3 < N && ((u64) out & 15) == 0) {
                if (beta != 0) {
                    const float4 old = LOAD_FLOAT4(out);
                    v.x += beta * old.x;
                    v.y += beta * old.y;
                    v.z += beta * old.z;
                    v.w += beta * old.w;
                }
                STORE_FLOAT4(out, v);
            } else {
                if (col < N) out[0] = beta != 0 ? v.x + beta * out[0] : v.x;
                if (col + 1 < N) out[1] = beta != 0 ? v.y + beta * out[1] : v.y;
                if (col + 2 < N) out[2] = beta != 0 ? v.z + beta * out[2] : v.z;
                if (col + 3 < N) out[3] = beta != 0 ? v.w + beta * out[3] : v.w;
            }
        }
    }
}
#endif /* WT */
