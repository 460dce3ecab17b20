package dev.nabla.gpu;

import dev.nabla.DType;
import dev.nabla.backend.Buffer;

/**
 * Argument checks of {@link KernelBackend}, one place for the messages: every failure names the
 * backend, the op, the argument and the values. Nothing reaches a device with a bad index.
 */
final class GpuArguments {
    private final KernelBackend backend;

    GpuArguments(KernelBackend backend) {
        this.backend = backend;
    }

    private String where(String op) {
        return backend.name() + ": " + op + ": ";
    }

    /** {@code b} as this backend's buffer: not null, not foreign, not closed. */
    GpuBuffer buffer(String op, String role, Buffer b) {
        if (b == null) {
            throw new IllegalArgumentException(where(op) + role + " is null");
        }
        if (!(b instanceof GpuBuffer g) || g.owner() != backend) {
            throw new IllegalArgumentException(where(op) + role + " (" + b + ") was not allocated by this backend ("
                    + backend.name() + ":" + backend.deviceIndex() + ")");
        }
        if (g.isClosed()) {
            throw new IllegalStateException(where(op) + role + " is closed");
        }
        return g;
    }

    /** {@code b} with {@code count} contiguous elements from {@code offset} inside it. */
    GpuBuffer range(String op, String role, Buffer b, long offset, long count) {
        GpuBuffer g = buffer(op, role, b);
        if (offset < 0 || count < 0 || offset > g.size() - count) {
            throw new IllegalArgumentException(where(op) + role + ": elements [" + offset + ", " + offset + " + " + count
                    + ") are outside the buffer of " + g.size() + " " + g.dtype().shortName());
        }
        return g;
    }

    /**
     * {@code b} as the destination of {@code count} contiguous elements written on the device: checked
     * like {@link #range}, then whatever the host knew of its contents is forgotten.
     */
    GpuBuffer output(String op, String role, Buffer b, long offset, long count) {
        GpuBuffer g = range(op, role, b, offset, count);
        g.deviceWrites();
        return g;
    }

    /** {@code b} as the strided destination of a device write: {@link #strided}, then its host copy forgotten. */
    GpuBuffer stridedOutput(String op, String role, Buffer b, long offset, int[] shape, long[] strides) {
        GpuBuffer g = strided(op, role, b, offset, shape, strides);
        g.deviceWrites();
        return g;
    }

    /** {@code b} with every element reached by {@code shape}/{@code strides} from {@code offset} inside it. */
    GpuBuffer strided(String op, String role, Buffer b, long offset, int[] shape, long[] strides) {
        GpuBuffer g = buffer(op, role, b);
        if (strides == null || strides.length != shape.length) {
            throw new IllegalArgumentException(where(op) + role + ": " + (strides == null ? "null" : strides.length)
                    + " strides for a shape of rank " + shape.length);
        }
        long lo = offset, hi = offset;
        boolean empty = false;
        for (int d = 0; d < shape.length; d++) {
            empty |= shape[d] == 0;
            long reach = multiply(op, role, shape[d] - 1L, strides[d]);
            if (reach < 0) {
                lo += reach;
            } else {
                hi += reach;
            }
        }
        if (!empty && (lo < 0 || hi >= g.size())) {
            throw new IllegalArgumentException(where(op) + role + ": strided view reaches elements [" + lo + ", " + hi
                    + "], outside the buffer of " + g.size() + " " + g.dtype().shortName());
        }
        return g;
    }

    /** Every extent of {@code shape} is at least 0, and the element count fits a long. */
    long shape(String op, int[] shape) {
        if (shape == null) {
            throw new IllegalArgumentException(where(op) + "shape is null");
        }
        long n = 1;
        for (int s : shape) {
            if (s < 0) {
                throw new IllegalArgumentException(where(op) + "negative extent in shape " + java.util.Arrays.toString(shape));
            }
            n = multiply(op, "shape", n, s);
        }
        return n;
    }

    void notNull(String op, String what, Object value) {
        if (value == null) {
            throw new IllegalArgumentException(where(op) + what + " is null");
        }
    }

    void nonNegative(String op, String what, long value) {
        if (value < 0) {
            throw new IllegalArgumentException(where(op) + what + " must be >= 0, was " + value);
        }
    }

    void host(String op, int arrayLength, int offset, int count) {
        if (offset < 0 || count < 0 || offset > arrayLength - count) {
            throw new IllegalArgumentException(where(op) + "host elements [" + offset + ", " + offset + " + " + count
                    + ") are outside the array of " + arrayLength);
        }
    }

    void dtype(String op, String role, GpuBuffer b, DType expected) {
        if (b.dtype() != expected) {
            throw new IllegalArgumentException(where(op) + role + " is " + b.dtype().shortName() + ", expected "
                    + expected.shortName());
        }
    }

    /** All operands have the dtype of the first. */
    void sameDtype(String op, GpuBuffer first, GpuBuffer... rest) {
        for (GpuBuffer b : rest) {
            if (b != null && b.dtype() != first.dtype()) {
                throw new IllegalArgumentException(where(op) + "operands mix " + first.dtype().shortName() + " and "
                        + b.dtype().shortName());
            }
        }
    }

    /** The common floating dtype of the operands, which this device must support. */
    DType floating(String op, GpuBuffer first, GpuBuffer... rest) {
        DType t = first.dtype();
        sameDtype(op, first, rest);
        if (!t.isFloatingPoint()) {
            throw new UnsupportedOperationException(where(op) + "no kernel for " + t.shortName());
        }
        supported(op, t);
        return t;
    }

    void supported(String op, DType t) {
        if (!backend.supports(t)) {
            throw new UnsupportedOperationException(where(op) + t.shortName() + " is not supported on "
                    + backend.deviceName() + backend.unsupportedReason(t));
        }
    }

    long multiply(String op, String role, long a, long b) {
        try {
            return Math.multiplyExact(a, b);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(where(op) + role + ": index arithmetic overflows (" + a + " * " + b + ")");
        }
    }
}
