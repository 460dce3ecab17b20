package dev.nabla.cuda;

/**
 * A row-major {@link GemmArgs} as the column-major call cuBLAS takes. A row-major {@code m×n}
 * matrix with row stride {@code ld} is, read column-major, its transpose ({@code n×m}, leading
 * dimension {@code ld}); so {@code C = op(A)·op(B)} is computed as {@code Cᵀ = op(B)ᵀ·op(A)ᵀ}:
 * the operands swap places, {@code m} and {@code n} swap, and each operand keeps its own
 * transpose flag and leading dimension.
 *
 * @param transa  {@link #OP_N} or {@link #OP_T} for cuBLAS's first operand (our B)
 * @param transb  the same for cuBLAS's second operand (our A)
 * @param m       rows of cuBLAS's C: our {@code n}
 * @param n       columns of cuBLAS's C: our {@code m}
 * @param a       address of cuBLAS's A: our B, with {@code lda}/{@code strideA} ours of B
 * @param b       address of cuBLAS's B: our A
 */
public record ColumnMajorGemm(int transa, int transb, int m, int n, int k,
                              long a, int lda, long strideA, long b, int ldb, long strideB,
                              long c, int ldc, long strideC, int batch) {

    /** {@code CUBLAS_OP_N}. */
    public static final int OP_N = 0;
    /** {@code CUBLAS_OP_T}. */
    public static final int OP_T = 1;

    public static ColumnMajorGemm of(GemmArgs g) {
        return new ColumnMajorGemm(g.transB() ? OP_T : OP_N, g.transA() ? OP_T : OP_N, g.n(), g.m(), g.k(),
                g.b(), g.ldb(), g.strideB(), g.a(), g.lda(), g.strideA(), g.c(), g.ldc(), g.strideC(), g.batch());
    }
}
