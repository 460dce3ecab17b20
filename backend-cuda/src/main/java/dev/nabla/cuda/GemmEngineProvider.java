package dev.nabla.cuda;

/**
 * Service interface ({@code META-INF/services/dev.nabla.cuda.GemmEngineProvider}) through which
 * optional modules add GEMM engines: {@code backend-cuda-cublas} adds cuBLAS through the Foreign
 * Function & Memory API, compiled for JDK 22+. On an older JDK its provider class fails to load
 * and the backend reports that it needs JDK 22+; nothing else depends on it.
 */
public interface GemmEngineProvider {

    /** The engine's name, as in {@code nabla.cuda.gemm}. */
    String name();

    /**
     * Creates the engine for the device whose context is current on the calling thread.
     *
     * @throws GemmEngineUnavailableException with a short reason (e.g. "libcublas not found (looked in ...)")
     */
    GemmEngine create(Context context);

    /**
     * What an engine gets from the backend.
     *
     * @param streamHandle the backend's stream, as a raw {@code CUstream}/{@code cudaStream_t}
     * @param tf32         whether TF32 tensor-core math was asked for ({@code nabla.cuda.tf32=true})
     * @param deviceOrdinal the CUDA device ordinal
     */
    record Context(long streamHandle, boolean tf32, int deviceOrdinal) {
    }
}
