package dev.nabla.backend;

import dev.nabla.DType;

/**
 * The primitive kernels one device offers. Small on purpose (tinygrad, not DJL): autodiff, shape
 * logic, broadcasting and op composition live once in {@code core}; a backend only moves and
 * computes numbers. A new backend passes {@code BackendContractTest} or is not done.
 *
 * <h2>Conventions for every method</h2>
 * <ul>
 *   <li>Every {@link Buffer} argument was allocated by this backend; offsets and strides count
 *       elements, not bytes; all layouts are row-major.</li>
 *   <li>"Contiguous" arguments are read/written as {@code count} consecutive elements from the
 *       offset. Outputs may alias inputs exactly (same buffer and offset) for elementwise methods,
 *       which is how in-place updates are done; partial overlap is undefined.</li>
 *   <li>Operands of one call have the same dtype unless the method says otherwise. An
 *       unsupported dtype is an {@link UnsupportedOperationException} naming backend, op and dtype.</li>
 *   <li>Bad arguments (foreign or closed buffers, ranges past a buffer's end, labels out of range)
 *       are an {@link IllegalArgumentException} or {@link IllegalStateException}; no bad input may
 *       crash the JVM or a device context.</li>
 *   <li>Calls are ordered: a later call sees the results of an earlier one. GPU backends may run
 *       asynchronously; {@code copyToHost} waits for what it reads.</li>
 *   <li>Implementations are thread-safe (GPU backends may serialise calls).</li>
 * </ul>
 */
public interface Backend extends AutoCloseable {

    /** Provider name: {@code cpu}, {@code opencl}, {@code cuda}. */
    String name();

    /** Index of the device this backend runs on (0 for the CPU). */
    int deviceIndex();

    /** Whether kernels exist for this dtype. */
    boolean supports(DType dtype);

    /** The provider's report narrowed to this device, with what is in use (e.g. the GEMM kernel). */
    BackendReport report();

    // ---------------------------------------------------------------- memory

    /**
     * Allocates {@code elements} elements (at least 1 is allocated when 0 is asked for). Contents
     * are unspecified. Out of device memory is an {@link OutOfMemoryError}-free
     * {@link IllegalStateException} whose message suggests a smaller batch.
     */
    Buffer allocate(DType dtype, long elements);

    /** Copies {@code count} floats from the host into a FLOAT32 buffer. */
    void copyFromHost(float[] src, int srcOffset, Buffer dst, long dstOffset, int count);

    /** Copies {@code count} doubles from the host into a FLOAT64 buffer. */
    void copyFromHost(double[] src, int srcOffset, Buffer dst, long dstOffset, int count);

    /** Copies {@code count} ints from the host into an INT32 buffer. */
    void copyFromHost(int[] src, int srcOffset, Buffer dst, long dstOffset, int count);

    /** Copies {@code count} elements of a FLOAT32 buffer to the host, waiting for pending work. */
    void copyToHost(Buffer src, long srcOffset, float[] dst, int dstOffset, int count);

    /** Copies {@code count} elements of a FLOAT64 buffer to the host, waiting for pending work. */
    void copyToHost(Buffer src, long srcOffset, double[] dst, int dstOffset, int count);

    /** Copies {@code count} elements of an INT32 buffer to the host, waiting for pending work. */
    void copyToHost(Buffer src, long srcOffset, int[] dst, int dstOffset, int count);

    /**
     * Strided copy between two buffers of the same dtype (any dtype):
     * {@code dst[dstOffset + Σ i_d·dstStrides[d]] = src[srcOffset + Σ i_d·srcStrides[d]]} for every
     * index {@code i} of {@code shape}. Strides may be 0 in {@code src} (broadcast) and must not
     * make two destination elements coincide. Used for {@code contiguous()}, concat, slices.
     */
    void copy(Buffer src, long srcOffset, long[] srcStrides, Buffer dst, long dstOffset, long[] dstStrides,
              int[] shape);

    /**
     * Contiguous conversion between dtypes ({@code count} elements). Float to INT32 truncates
     * toward zero; same dtype is a plain copy.
     */
    void cast(Buffer src, long srcOffset, Buffer dst, long dstOffset, long count);

    /** Sets {@code count} contiguous elements to {@code value} (converted to the buffer's dtype). */
    void fill(Buffer dst, long offset, long count, double value);

    // ---------------------------------------------------------------- arithmetic

    /**
     * Strided batched matrix product, row-major, floating dtypes:
     * {@code C_i = alpha · op(A_i) · op(B_i) + beta · C_i} for {@code i < batch}, where
     * {@code op(A_i)} is {@code m×k} and {@code op(B_i)} is {@code k×n}. {@code A_i} starts at
     * {@code aOffset + i·strideA} and is stored {@code m×k} with row stride {@code lda}, or
     * {@code k×m} when {@code transA}; likewise B. When {@code beta == 0}, C is not read (NaN in C
     * does not propagate). {@code k == 0} gives {@code beta · C}.
     */
    void gemmBatched(boolean transA, boolean transB, int m, int n, int k, double alpha,
                     Buffer a, long aOffset, int lda, long strideA,
                     Buffer b, long bOffset, int ldb, long strideB,
                     double beta, Buffer c, long cOffset, int ldc, long strideC, int batch);

    /** One matrix product: {@link #gemmBatched} with {@code batch == 1}. */
    default void gemm(boolean transA, boolean transB, int m, int n, int k, double alpha,
                      Buffer a, long aOffset, int lda, Buffer b, long bOffset, int ldb,
                      double beta, Buffer c, long cOffset, int ldc) {
        gemmBatched(transA, transB, m, n, k, alpha, a, aOffset, lda, 0, b, bOffset, ldb, 0,
                beta, c, cOffset, ldc, 0, 1);
    }

    /** {@code y = op(x, param)} over {@code count} contiguous elements (floating dtypes). */
    void unary(UnaryOp op, double param, Buffer x, long xOffset, Buffer y, long yOffset, long count);

    /**
     * {@code dx = dy · op'(x)} over {@code count} contiguous elements, where {@code y} is the forward
     * output {@code op(x, param)} (sigmoid, tanh, exp and sqrt use it).
     */
    void unaryGrad(UnaryOp op, double param, Buffer x, long xOffset, Buffer y, long yOffset,
                   Buffer dy, long dyOffset, Buffer dx, long dxOffset, long count);

    /**
     * {@code out[i] = op(a[i·aStrides], b[i·bStrides])} for every index {@code i} of {@code shape};
     * {@code out} is contiguous. A stride of 0 broadcasts that operand along the axis. FLOAT32 and
     * FLOAT64 required; INT32 optional.
     */
    void binary(BinaryOp op, Buffer a, long aOffset, long[] aStrides, Buffer b, long bOffset, long[] bStrides,
                Buffer out, long outOffset, int[] shape);

    /**
     * Reduces the middle axis of a contiguous {@code [outer, extent, inner]} block into a
     * contiguous {@code [outer, inner]} output. Any set of axes reduces to this after core merges
     * or permutes dimensions. {@code extent == 0}: SUM gives 0, MEAN NaN, MAX -inf, MIN +inf.
     */
    void reduce(ReduceOp op, Buffer x, long xOffset, int outer, int extent, int inner, Buffer out, long outOffset);

    /**
     * Index (0-based, first on ties) of the largest value along the middle axis of a contiguous
     * {@code [outer, extent, inner]} block, written to an INT32 buffer of {@code [outer, inner]}.
     * NaN counts as largest.
     */
    void argMax(Buffer x, long xOffset, int outer, int extent, int inner, Buffer out, long outOffset);

    /**
     * Softmax (or log-softmax when {@code log}) over each contiguous row of {@code cols} elements,
     * numerically stable (the row maximum is subtracted first).
     */
    void softmax(boolean log, Buffer x, long xOffset, int rows, int cols, Buffer y, long yOffset);

    /**
     * Fused, stable softmax cross-entropy over {@code rows} rows of {@code classes} logits:
     * {@code losses[r] = logsumexp(logits[r]) - logits[r][labels[r]]} and, when {@code grad} is not
     * null, {@code grad[r] = softmax(logits[r]) - onehot(labels[r])} (not divided by {@code rows}).
     * Labels (INT32) are validated first: one outside {@code [0, classes)} is an
     * {@link IllegalArgumentException} naming the row, the label and the class count, and nothing
     * is written.
     */
    void softmaxCrossEntropy(Buffer logits, long logitsOffset, Buffer labels, long labelsOffset, int rows,
                             int classes, Buffer losses, long lossesOffset, Buffer grad, long gradOffset);

    /**
     * Inverted dropout over {@code count} contiguous elements: element {@code i} is kept when
     * {@link dev.nabla.backend.Philox#uniform(long, long)}{@code (seed, i) >= p}; then
     * {@code mask[i] = 1/(1-p)} and {@code y[i] = x[i]·mask[i]}, else both are 0. Every backend
     * draws the same mask for the same seed.
     */
    void dropout(double p, long seed, Buffer x, long xOffset, Buffer y, long yOffset, Buffer mask, long maskOffset,
                 long count);

    // ---------------------------------------------------------------- fused optimizer updates

    /**
     * One SGD step in place, PyTorch semantics: {@code g = grad + weightDecay·param}; with momentum
     * {@code v = momentum·v + (1-dampening)·g} (first step: {@code v = g} when {@code firstStep}) and
     * {@code g = nesterov ? g + momentum·v : v}; then {@code param -= lr·g}. {@code velocity} is
     * null when {@code momentum == 0}.
     */
    void sgdStep(Buffer param, long paramOffset, Buffer grad, long gradOffset, Buffer velocity, long velocityOffset,
                 long count, double lr, double momentum, double dampening, double weightDecay, boolean nesterov,
                 boolean firstStep);

    /**
     * One Adam step in place ({@code step} counts from 1). With {@code decoupledWeightDecay}
     * (AdamW) {@code param *= 1 - lr·weightDecay} first; otherwise {@code g = grad + weightDecay·param}.
     * Then {@code m = β1·m + (1-β1)·g}, {@code v = β2·v + (1-β2)·g²},
     * {@code param -= lr · (m/(1-β1^step)) / (sqrt(v/(1-β2^step)) + eps)}.
     */
    void adamStep(Buffer param, long paramOffset, Buffer grad, long gradOffset, Buffer m, long mOffset,
                  Buffer v, long vOffset, long count, double lr, double beta1, double beta2, double eps,
                  double weightDecay, boolean decoupledWeightDecay, long step);

    // ---------------------------------------------------------------- lifecycle

    /** Waits until every queued kernel and copy has finished. */
    void synchronize();

    /** Memory held by this backend's buffers. */
    MemoryStats memoryStats();

    /** Frees the backend's resources; buffers still open become unusable. */
    @Override
    void close();
}
