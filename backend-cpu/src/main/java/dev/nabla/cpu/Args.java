package dev.nabla.cpu;

import dev.nabla.DType;
import dev.nabla.backend.Buffer;

/** Argument checks of the CPU backend: the SPI's exceptions with the op, the values and the rule. */
final class Args {
    private Args() {
    }

    static IllegalArgumentException bad(String op, String format, Object... args) {
        return new IllegalArgumentException("cpu " + op + ": " + String.format(java.util.Locale.ROOT, format, args));
    }

    /** The buffer as this backend's own, open buffer. */
    static CpuBuffer own(CpuBackend backend, String op, String name, Buffer b) {
        if (b == null) {
            throw bad(op, "%s is null", name);
        }
        if (!(b instanceof CpuBuffer cb) || cb.owner() != backend) {
            throw bad(op, "%s (%s) was not allocated by this cpu backend", name, b);
        }
        if (cb.isClosed()) {
            throw new IllegalStateException("cpu " + op + ": " + name + " is closed");
        }
        return cb;
    }

    static CpuBuffer own(CpuBackend backend, String op, String name, Buffer b, DType dtype) {
        CpuBuffer cb = own(backend, op, name, b);
        if (cb.dtype() != dtype) {
            throw bad(op, "%s is %s, expected %s", name, cb.dtype().shortName(), dtype.shortName());
        }
        return cb;
    }

    /** Floating dtype of an op that has no INT32 kernel. */
    static void requireFloating(String op, DType dtype) {
        if (!dtype.isFloatingPoint()) {
            throw new UnsupportedOperationException("cpu backend: " + op + " does not support " + dtype.shortName()
                    + " (float32 and float64 only)");
        }
    }

    static void sameDtype(String op, CpuBuffer first, String name, CpuBuffer other) {
        if (other.dtype() != first.dtype()) {
            throw bad(op, "%s is %s but the first operand is %s", name, other.dtype().shortName(),
                    first.dtype().shortName());
        }
    }

    static void nonNegative(String op, String name, long value) {
        if (value < 0) {
            throw bad(op, "%s = %d is negative", name, value);
        }
    }

    /** Elements {@code [offset, offset + count)} lie inside the buffer. */
    static void range(String op, String name, CpuBuffer b, long offset, long count) {
        if (offset < 0 || count < 0 || offset > b.size() - count) {
            throw bad(op, "%s range [%d, %d + %d) is outside its %d elements", name, offset, offset, count, b.size());
        }
    }

    /** A host array range {@code [offset, offset + count)} inside an array of {@code length}. */

    /** Every element a strided view of {@code shape} touches lies inside the buffer. */
    static void stridedRange(String op, String name, CpuBuffer b, long offset, long[] strides, int[] shape) {
        if (strides == null || strides.length != shape.length) {
            throw bad(op, "%s has %s strides for a rank-%d shape", name,
                    strides == null ? "null" : String.valueOf(strides.length), shape.length);
        }
        long lo = offset;
        long hi = offset;
        for (int d = 0; d < shape.length; d++) {
            if (shape[d] == 0) {
                return; // nothing is touched
            }
            long span = (shape[d] - 1L) * strides[d];
            if (span < 0) {
                lo += span;
            } else {
                hi += span;
            }
        }
        if (lo < 0 || hi >= b.size()) {
            throw bad(op, "%s view (offset %d, strides %s, shape %s) reaches elements [%d, %d] outside its %d",
                    name, offset, java.util.Arrays.toString(strides), java.util.Arrays.toString(shape), lo, hi,
                    b.size());
        }
    }

    static void shape(String op, int[] shape) {
        if (shape == null) {
            throw bad(op, "shape is null");
        }
        for (int e : shape) {
            if (e < 0) {
                throw bad(op, "shape %s has a negative extent", java.util.Arrays.toString(shape));
            }
        }
    }

    static int count(String op, long count) {
        if (count < 0 || count > Integer.MAX_VALUE) {
            throw bad(op, "count %d is negative or larger than a cpu buffer", count);
        }
        return (int) count;
    }
}
