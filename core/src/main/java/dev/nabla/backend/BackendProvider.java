package dev.nabla.backend;

/**
 * Service-provider entry point of a backend, found through {@link java.util.ServiceLoader}
 * ({@code META-INF/services/dev.nabla.backend.BackendProvider}).
 *
 * <p>A provider must be cheap to construct and must not touch native code in its constructor:
 * {@link #report()} probes native libraries once, catches {@link LinkageError}, and turns the
 * message into the report's reason. Nothing else may touch native classes when the probe failed.
 */
public interface BackendProvider {

    /** Short name used in device names and {@code nabla.backend}: {@code cpu}, {@code opencl}, {@code cuda}. */
    String name();

    /**
     * Preference when {@code Device.auto()} chooses: higher first. CUDA 300, OpenCL on a GPU 200,
     * the CPU 100, OpenCL on a CPU device 50 (so POCL never wins over the native CPU backend).
     * May depend on what {@link #report()} found.
     */
    int priority();

    /** Probes the machine (once; later calls return the cached result). Never throws. */
    BackendReport report();

    /**
     * Opens device {@code index}. Called at most once per index by {@code Nabla}, which caches
     * the backend for the life of the JVM.
     *
     * @throws IllegalStateException    if the backend is unavailable (message has the report's reason)
     * @throws IllegalArgumentException if no such device index exists
     */
    Backend open(int index);
}
