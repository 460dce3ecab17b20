package dev.nabla.io;

/**
 * A safetensors file that cannot be read or written. The message names the file, the tensor when
 * one is concerned, and the problem, e.g.
 * {@code m.safetensors: tensor '0.weight': data_offsets [0, 96] span 96 bytes but shape [4, 8] F32 needs 128}.
 */
public final class SafetensorsException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public SafetensorsException(String message) {
        super(message);
    }

    public SafetensorsException(String message, Throwable cause) {
        super(message, cause);
    }
}
