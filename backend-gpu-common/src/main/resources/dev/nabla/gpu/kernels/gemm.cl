/*
 * Portable strided-batched GEMM on REAL, row-major: C = alpha * op(A) * op(B) + beta * C.
 *
 * Compile-time tile parameters (dev.nabla.gpu.GemmConfig):
 *   BM x BN  tile of C per work-group, BK  depth of one step through k,
 *   TM x TN  outputs per work-item (register blocking).
 * Work-group: (BN/TN) x (BM/TM) work-items, axis 0 along n. Global size:
 *   (ceil(n/BN) * BN/TN, ceil(m/BM) * BM/TM, batches), so it is always a multiple of the local size.
 * Work-item (tx, ty) owns rows ty + i*(BM/TM) and columns tx + j*(BN/TN) of the tile: neighbouring
 * work-items read neighbouring local-memory words of B and write neighbouring words of C.
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

#define TX (BN / TN)
#define TY (BM / TM)
#define THREADS (TX * TY)

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
