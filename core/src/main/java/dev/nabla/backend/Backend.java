package dev.nabla.backend;

import dev.nabla.DType;

/**
 * The primitive kernels one device offers. Small on purpose (tinygrad, not DJL): autodiff, shape
 * logic, broadcasting, backward rules and op composition live once in {@code core}; a backend only
 * moves and computes numbers. A new backend implements the abstract methods below (20) and passes
 * {@code BackendContractTest}, which compares every kernel with the reference backend in core.
 *
 * <p>The {@code boolean} methods at the end are optional fast paths: each default returns
 * {@code false}, and core then computes the same thing from the primitives (its own rule written
 * with tensor ops). A backend that returns {@code true} has done the work; the contract suite holds
 * its result equal to core's rule.
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
 *   <li>Bad arguments (foreign or closed buffers, ranges past a buffer's end, indices or labels out
 *       of range) are an {@link IllegalArgumentException} or {@link IllegalStateException}; no bad
 *       input may crash the JVM or a device context.</li>
 *   <li>Calls are ordered: a later call sees the results of an earlier one. GPU backends may run
 *       asynchronously; {@code copyToHost} waits for what it reads.</li>
 *   <li>Implementations are thread-safe (GPU backends may serialise calls).</li>
 * </ul>
 */
public interface Backend extends AutoCloseable {

    /** Provider name: {@code cpu}, {@code opencl}, {@code cuda}, {@code reference}. */
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

    /**
     * Copies the {@code src.remaining()} elements after {@code src}'s position from the host into
     * {@code dst} from {@code dstOffset}; {@code src}'s position is not moved. The host buffer's type
     * matches the dtype ({@link HostBuffers#dtypeOf}): {@code FloatBuffer} for FLOAT32,
     * {@code DoubleBuffer} for FLOAT64, {@code IntBuffer} for INT32.
     */
    void copyFromHost(java.nio.Buffer src, Buffer dst, long dstOffset);

    /**
     * Copies {@code dst.remaining()} elements of {@code src} from {@code srcOffset} to the host,
     * after {@code dst}'s position (which is not moved), waiting for pending work.
     */
    void copyToHost(Buffer src, long srcOffset, java.nio.Buffer dst);

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
     * toward zero (NaN to 0, saturating); same dtype is a plain copy.
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

    /**
     * {@code y = op(x, param)} over {@code count} contiguous elements (floating dtypes), following
     * {@link UnaryOp#apply}: float32 computes with {@code param} rounded to float.
     */
    void unary(UnaryOp op, double param, Buffer x, long xOffset, Buffer y, long yOffset, long count);

    /**
     * {@code out[i] = op(a[i·aStrides], b[i·bStrides])} for every index {@code i} of {@code shape};
     * {@code out} is contiguous. A stride of 0 broadcasts that operand along the axis. FLOAT32 and
     * FLOAT64 required; INT32 for the ops whose {@link BinaryOp#supportsInt()} is true.
     */
    void binary(BinaryOp op, Buffer a, long aOffset, long[] aStrides, Buffer b, long bOffset, long[] bStrides,
                Buffer out, long outOffset, int[] shape);

    /**
     * Reduces the middle axis of a contiguous {@code [outer, extent, inner]} block into a
     * contiguous {@code [outer, inner]} output. Any set of axes reduces to this after core merges
     * or permutes dimensions. {@code extent == 0}: the op's identity, finished (SUM 0, MEAN NaN,
     * MAX -inf, MIN +inf); core refuses the empty MEAN, MAX and MIN before they get here.
     */
    void reduce(ReduceOp op, Buffer x, long xOffset, int outer, int extent, int inner, Buffer out, long outOffset);

    /**
     * Index (0-based, first on ties) of the largest value along the middle axis of a contiguous
     * {@code [outer, extent, inner]} block, written to an INT32 buffer of {@code [outer, inner]}.
     * NaN counts as largest.
     */
    void argMax(Buffer x, long xOffset, int outer, int extent, int inner, Buffer out, long outOffset);

    /**
     * Indexed read along the middle axis: {@code out[o, j, i] = x[o, index[o, j, i], i]} for
     * {@code o < outer, j < count, i < inner}. {@code x} is a contiguous {@code [outer, extent, inner]}
     * block (any dtype), {@code out} a contiguous {@code [outer, count, inner]} block of the same
     * dtype, and {@code index} INT32 read through {@code indexStrides} ({@code {so, sj, si}}; 0
     * broadcasts). An index outside {@code [0, extent)} is an {@link IllegalArgumentException}
     * naming its position and value, and nothing is written.
     */
    void gather(Buffer x, long xOffset, int outer, int extent, int inner, Buffer index, long indexOffset,
                long[] indexStrides, int count, Buffer out, long outOffset);

    /**
     * The adjoint of {@link #gather}: {@code out[o, index[o, j, i], i] += src[o, j, i]}, where
     * {@code out} is a contiguous {@code [outer, extent, inner]} block and {@code src} a contiguous
     * {@code [outer, count, inner]} one (floating dtypes). Deterministic: for each {@code (o, i)} the
     * {@code j} are added in increasing order. Indices are validated as by {@code gather}.
     */
    void scatterAdd(Buffer src, long srcOffset, int outer, int count, int inner, Buffer index, long indexOffset,
                    long[] indexStrides, Buffer out, long outOffset, int extent);

    // ---------------------------------------------------------------- lifecycle

    /** Waits until every queued kernel and copy has finished. */
    void synchronize();

    /** Memory held by this backend's buffers. */
    MemoryStats memoryStats();

    /** Frees the backend's resources; buffers still open become unusable. */
    @Override
    void close();

    // ---------------------------------------------------------------- optional fast paths

    /**
     * Fused {@code dx = dy · op'(x)} over {@code count} contiguous elements, where {@code y} is the
     * forward output and the derivative is {@link UnaryOp#derivativeKernel}'s. Returns false (the
     * default) to let core run the op's backward rule.
     */
    default boolean unaryGrad(UnaryOp op, double param, Buffer x, long xOffset, Buffer y, long yOffset,
                              Buffer dy, long dyOffset, Buffer dx, long dxOffset, long count) {
        return false;
    }

    /**
     * Softmax (or log-softmax when {@code log}) over each contiguous row of {@code cols} elements,
     * numerically stable (the row maximum is subtracted first). Returns false (the default) to let
     * core compose it from reductions and elementwise kernels.
     */
    default boolean softmax(boolean log, Buffer x, long xOffset, int rows, int cols, Buffer y, long yOffset) {
        return false;
    }

    /**
     * Fused, stable softmax cross-entropy over {@code rows} rows of {@code classes} logits:
     * {@code losses[r] = logsumexp(logits[r]) - logits[r][labels[r]]} and, when {@code grad} is not
     * null, {@code grad[r] = softmax(logits[r]) - onehot(labels[r])} (not divided by {@code rows}).
     * Labels (INT32) are validated first: one outside {@code [0, classes)} is an
     * {@link IllegalArgumentException} naming the row, the label and the class count, and nothing
     * is written. Returns false (the default) to let core compose it.
     */
    default boolean softmaxCrossEntropy(Buffer logits, long logitsOffset, Buffer labels, long labelsOffset, int rows,
                                        int classes, Buffer losses, long lossesOffset, Buffer grad, long gradOffset) {
        return false;
    }

    /**
     * Inverted dropout over {@code count} contiguous elements: element {@code i} is kept when
     * {@link Philox#uniform(long, long)}{@code (seed, i) >= p}; then {@code mask[i] = 1/(1-p)} and
     * {@code y[i] = x[i]·mask[i]}, else both are 0. Returns false (the default) to let core draw
     * the mask on the host.
     */
    default boolean dropout(double p, long seed, Buffer x, long xOffset, Buffer y, long yOffset, Buffer mask,
                            long maskOffset, long count) {
        return false;
    }

    /**
     * One SGD step in place, PyTorch semantics: {@code g = grad + weightDecay·param}; with momentum
     * {@code v = momentum·v + (1-dampening)·g} (first step: {@code v = g} when {@code firstStep}) and
     * {@code g = nesterov ? g + momentum·v : v}; then {@code param -= lr·g}. {@code velocity} is
     * null when {@code momentum == 0}. Returns false (the default) to let core compose it.
     */
    default boolean sgdStep(Buffer param, long paramOffset, Buffer grad, long gradOffset, Buffer velocity,
                            long velocityOffset, long count, double lr, double momentum, double dampening,
                            double weightDecay, boolean nesterov, boolean firstStep) {
        return false;
    }

    /**
     * One Adam step in place ({@code step} counts from 1). With {@code decoupledWeightDecay}
     * (AdamW) {@code param *= 1 - lr·weightDecay} first; otherwise {@code g = grad + weightDecay·param}.
     * Then {@code m = β1·m + (1-β1)·g}, {@code v = β2·v + (1-β2)·g²},
     * {@code param -= lr · (m/(1-β1^step)) / (sqrt(v/(1-β2^step)) + eps)}. Returns false (the
     * default) to let core compose it.
     */
    default boolean adamStep(Buffer param, long paramOffset, Buffer grad, long gradOffset, Buffer m, long mOffset,
                             Buffer v, long vOffset, long count, double lr, double beta1, double beta2, double eps,
                             double weightDecay, boolean decoupledWeightDecay, long step) {
        return false;
    }
}
