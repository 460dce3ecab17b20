package dev.nabla;

/**
 * Element type of a {@link Tensor} or device buffer.
 *
 * <p>{@code FLOAT32} is the default everywhere. {@code FLOAT64} is supported on the CPU (gradient
 * checking runs in it) and on GPU backends whose device reports double precision. {@code INT32}
 * holds class labels and indices; it takes part in no differentiable op.
 */
public enum DType {
    FLOAT32(4),
    FLOAT64(8),
    INT32(4);

    private final int byteSize;

    DType(int byteSize) {
        this.byteSize = byteSize;
    }

    /** Bytes per element. */
    public int byteSize() {
        return byteSize;
    }

    /** Whether values of this type are floating point (and so may carry gradients). */
    public boolean isFloatingPoint() {
        return this != INT32;
    }

    /** Lower-case name as used in reports and checkpoint headers: {@code float32}, {@code float64}, {@code int32}. */
    public String shortName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
