package dev.nabla.backend;

import dev.nabla.DType;
import java.util.Arrays;
import java.util.Locale;

/**
 * The argument checks every backend makes before touching memory, written once: ranges inside
 * buffers, strided views, shapes, {@code [outer, extent, inner]} blocks, GEMM operands, dtypes.
 * Messages start with the backend's name and the op, then say which argument and which rule.
 */
public final class ArgumentChecks {
    private final String backend;

    /** @param backend the backend's name, first word of every message */
    public ArgumentChecks(String backend) {
        this.backend = backend;
    }

    /** A bad-argument exception: {@code "<backend> <op>: <message>"}. */
    public IllegalArgumentException bad(String op, String format, Object... args) {
        return new IllegalArgumentException(backend + " " + op + ": " + String.format(Locale.ROOT, format, args));
    }

    /** The refusal of an unsupported dtype, naming backend, op and dtype. */
    public UnsupportedOperationException unsupported(String op, DType dtype, String supported) {
        return new UnsupportedOperationException(backend + " backend: " + op + " does not support "
                + dtype.shortName() + " (" + supported + ")");
    }

    /** A floating dtype, else {@link #unsupported}. */
    public void floating(String op, DType dtype) {
        if (!dtype.isFloatingPoint()) {
            throw unsupported(op, dtype, "floating dtypes only");
        }
    }

    /** {@code value >= 0}. */
    public void nonNegative(String op, String name, long value) {
        if (value < 0) {
            throw bad(op, "%s = %d is negative", name, value);
        }
    }

    /** Elements {@code [offset, offset + count)} lie inside {@code b}. */
    public void range(String op, String name, Buffer b, long offset, long count) {
        if (offset < 0 || count < 0 || offset > b.size() - count) {
            throw bad(op, "%s range [%d, %d + %d) is outside its %d elements", name, offset, offset, count, b.size());
        }
    }

    /** No negative extent in {@code shape}. */
    public void shape(String op, int[] shape) {
        if (shape == null) {
            throw bad(op, "shape is null");
        }
        for (int e : shape) {
            if (e < 0) {
                throw bad(op, "shape %s has a negative extent", Arrays.toString(shape));
            }
        }
    }

    /** Every element of the strided view lies inside {@code b} (nothing is checked for an empty shape). */
    public void stridedRange(String op, String name, Buffer b, long offset, long[] strides, int[] shape) {
        if (strides == null || strides.length != shape.length) {
            throw bad(op, "%s has %s strides for a rank-%d shape", name,
                    strides == null ? "null" : String.valueOf(strides.length), shape.length);
        }
        long lo = offset;
        long hi = offset;
        for (int d = 0; d < shape.length; d++) {
            if (shape[d] == 0) {
                return;
            }
            long span;
            try {
                span = Math.multiplyExact(shape[d] - 1L, strides[d]);
                if (span < 0) {
                    lo = Math.addExact(lo, span);
                } else {
                    hi = Math.addExact(hi, span);
                }
            } catch (ArithmeticException e) {
                throw bad(op, "%s view (offset %d, strides %s, shape %s) overflows a 64-bit index", name, offset,
                        Arrays.toString(strides), Arrays.toString(shape));
            }
        }
        if (lo < 0 || hi >= b.size()) {
            throw bad(op, "%s view (offset %d, strides %s, shape %s) reaches elements [%d, %d] outside its %d",
                    name, offset, Arrays.toString(strides), Arrays.toString(shape), lo, hi, b.size());
        }
    }

    /** An {@code [outer, extent, inner]} block with no negative size. */
    public void block(String op, int outer, int extent, int inner) {
        if (outer < 0 || extent < 0 || inner < 0) {
            throw bad(op, "block [%d, %d, %d] has a negative extent", outer, extent, inner);
        }
    }

    /** A batch of stored {@code rows × cols} matrices with leading dimension {@code ld} inside {@code b}. */
    public void matrix(String op, String name, Buffer b, long offset, int ld, long stride, int rows, int cols,
                       int batch) {
        if (ld < Math.max(1, cols)) {
            throw bad(op, "leading dimension of %s is %d, smaller than its %d stored columns", name, ld, cols);
        }
        if (offset < 0) {
            throw bad(op, "offset of %s is negative (%d)", name, offset);
        }
        if (stride < 0) {
            throw bad(op, "batch stride of %s is negative (%d)", name, stride);
        }
        if (rows == 0 || cols == 0 || batch == 0) {
            return;
        }
        long last = offset + (batch - 1) * stride + (long) (rows - 1) * ld + cols - 1;
        if (last >= b.size()) {
            throw bad(op, "%s (%d x %d, ld %d, offset %d, batch %d, stride %d) reaches element %d of its %d", name,
                    rows, cols, ld, offset, batch, stride, last, b.size());
        }
    }

    /** Both buffers hold the same dtype. */
    public void sameDtype(String op, Buffer first, String name, Buffer other) {
        if (other.dtype() != first.dtype()) {
            throw bad(op, "%s is %s but the first operand is %s", name, other.dtype().shortName(),
                    first.dtype().shortName());
        }
    }

    /** {@code b} holds {@code dtype}. */
    public void dtype(String op, String name, Buffer b, DType dtype) {
        if (b.dtype() != dtype) {
            throw bad(op, "%s is %s, expected %s", name, b.dtype().shortName(), dtype.shortName());
        }
    }

    /**
     * The index operand of {@link Backend#gather} / {@link Backend#scatterAdd}: INT32, three strides,
     * every position of the {@code [outer, count, inner]} block inside the buffer.
     */
    public void indexOperand(String op, Buffer index, long offset, long[] strides, int outer, int count, int inner) {
        dtype(op, "index", index, DType.INT32);
        if (strides == null || strides.length != 3) {
            throw bad(op, "index strides must be {outer, count, inner}, got %s", Arrays.toString(strides));
        }
        stridedRange(op, "index", index, offset, strides, new int[] {outer, count, inner});
    }
}
