package dev.nabla.cuda;

import dev.nabla.DType;

/**
 * A GEMM implementation the CUDA backend can route {@code gemmBatched} to instead of the portable
 * kernel: cuBLAS (through FFM or JCublas) or our own CUDA kernel. It runs on the backend's stream
 * and context (bound by the caller) and is called with the backend's lock held.
 */
public interface GemmEngine extends AutoCloseable {

    /** Short name, as in {@code nabla.cuda.gemm}: {@code cublas-ffm}, {@code jcublas}, {@code own}. */
    String name();

    /** What runs, for the report: library and version, path, math mode. */
    String description();

    /** Whether {@link #gemm} takes this dtype; other dtypes go to the portable kernel. */
    boolean supports(DType dtype);

    /** Enqueues the product on the backend's stream; failures are {@link IllegalStateException}s naming the call. */
    void gemm(GemmArgs args);

    /** Frees the engine's handle; called on the backend's thread with the context bound. */
    @Override
    void close();
}
