package dev.nabla.backend;

import dev.nabla.DType;

/**
 * A block of device memory holding {@link #size()} elements of one {@link DType}, owned by the
 * {@link Backend} that allocated it.
 *
 * <p>A buffer is passed only to the backend that made it; backends check this and throw
 * {@link IllegalArgumentException} otherwise. {@link #close()} returns the memory (to the
 * backend's cache, for GPU backends); it is idempotent and may be called from any thread,
 * including a {@link java.lang.ref.Cleaner} thread, so GPU backends queue frees that must happen
 * on their own thread. Using a closed buffer is an {@link IllegalStateException}.
 */
public interface Buffer extends AutoCloseable {

    /** The backend that allocated this buffer. */
    Backend backend();

    /** Element type. */
    DType dtype();

    /** Number of elements. */
    long size();

    /** Size in bytes ({@code size() * dtype().byteSize()}). */
    default long byteSize() {
        return size() * dtype().byteSize();
    }

    /** Whether {@link #close()} has been called. */
    boolean isClosed();

    /** Frees the memory; later calls do nothing. */
    @Override
    void close();
}
