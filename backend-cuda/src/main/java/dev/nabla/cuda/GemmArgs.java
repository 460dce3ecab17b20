package dev.nabla.cuda;

import dev.nabla.DType;

/**
 * One checked, row-major strided-batched GEMM for a {@link GemmEngine}, with operands as raw device
 * addresses: {@code C_i = alpha · op(A_i) · op(B_i) + beta · C_i}, {@code op(A_i)} is {@code m×k},
 * {@code op(B_i)} {@code k×n}; {@code A_i} starts at address {@code a + i·strideA·elementBytes} and
 * is stored {@code m×k} with row stride {@code lda}, or {@code k×m} when {@code transA}; likewise
 * B; C is {@code m×n} with row stride {@code ldc}. KernelStrides and leading dimensions count elements.
 * The backend hands engines only {@code m, n, k, batch >= 1}.
 */
public record GemmArgs(DType dtype, boolean transA, boolean transB, int m, int n, int k, double alpha,
                       long a, int lda, long strideA, long b, int ldb, long strideB,
                       double beta, long c, int ldc, long strideC, int batch) {
}
