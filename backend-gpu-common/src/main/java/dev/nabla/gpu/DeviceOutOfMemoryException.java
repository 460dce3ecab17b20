package dev.nabla.gpu;

/**
 * Thrown by {@link GpuDevice#allocate} when the device has no room for the request. The caching
 * allocator catches it, frees its cache and tries once more before giving up with an
 * {@link IllegalStateException} that suggests a smaller batch.
 */
public class DeviceOutOfMemoryException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public DeviceOutOfMemoryException(String message) {
        super(message);
    }

    public DeviceOutOfMemoryException(String message, Throwable cause) {
        super(message, cause);
    }
}
