package dev.nabla;

import java.util.Arrays;

/**
 * An immutable tensor shape: the size of each axis, outermost first. Rank 0 is a scalar.
 *
 * <p>Axis arguments may be negative, counting from the end ({@code -1} is the last axis), as in
 * NumPy and PyTorch. Shape errors name the operation, the shapes and the rule that failed.
 */
public final class Shape {
    private static final Shape SCALAR = new Shape(new int[0]);

    private final int[] dims;
    private final long numel;

    private Shape(int[] dims) {
        this.dims = dims;
        long n = 1;
        for (int d : dims) {
            n = Math.multiplyExact(n, (long) d);
        }
        this.numel = n;
    }

    /**
     * A shape with the given axis sizes.
     *
     * @throws IllegalArgumentException if a size is negative
     */
    public static Shape of(int... dims) {
        if (dims.length == 0) {
            return SCALAR;
        }
        for (int d : dims) {
            if (d < 0) {
                throw new IllegalArgumentException("shape " + Arrays.toString(dims) + ": sizes must be >= 0");
            }
        }
        return new Shape(dims.clone());
    }

    /** The rank-0 shape of a scalar. */
    public static Shape scalar() {
        return SCALAR;
    }

    /** Number of axes. */
    public int rank() {
        return dims.length;
    }

    /** Size of axis {@code axis} (negative counts from the end). */
    public int dim(int axis) {
        return dims[axis(axis, "dim")];
    }

    /** A copy of the axis sizes. */
    public int[] dims() {
        return dims.clone();
    }

    /** Number of elements (1 for a scalar). */
    public long numel() {
        return numel;
    }

    /** Row-major (C-order) strides of a contiguous tensor of this shape. */
    public long[] contiguousStrides() {
        long[] s = new long[dims.length];
        long acc = 1;
        for (int i = dims.length - 1; i >= 0; i--) {
            s[i] = acc;
            acc *= dims[i];
        }
        return s;
    }

    /**
     * Normalises an axis argument (negative counts from the end).
     *
     * @throws IllegalArgumentException naming {@code op} if the axis is out of range
     */
    public int axis(int axis, String op) {
        int r = dims.length;
        if (axis < -r || axis >= r) {
            throw new IllegalArgumentException(op + ": axis " + axis + " is out of range for shape " + this
                    + " (rank " + r + ")");
        }
        return axis < 0 ? axis + r : axis;
    }

    /**
     * The NumPy broadcast of two shapes: axes are aligned from the end and each pair must be equal
     * or contain a 1.
     *
     * @throws IllegalArgumentException naming {@code op}, both shapes and the axis that failed
     */
    public static Shape broadcast(String op, Shape a, Shape b) {
        if (a.equals(b)) {
            return a;
        }
        int r = Math.max(a.rank(), b.rank());
        int[] out = new int[r];
        for (int i = 0; i < r; i++) {
            int da = i < r - a.rank() ? 1 : a.dims[i - (r - a.rank())];
            int db = i < r - b.rank() ? 1 : b.dims[i - (r - b.rank())];
            if (da != db && da != 1 && db != 1) {
                throw new IllegalArgumentException(op + ": shapes " + a + " and " + b
                        + " cannot be broadcast: sizes " + da + " and " + db + " differ at axis " + (i - r)
                        + " and neither is 1");
            }
            out[i] = da == 1 ? db : da;
        }
        return new Shape(out);
    }

    /** Whether a tensor of this shape can be broadcast to {@code target} without changing {@code target}. */
    public boolean broadcastsTo(Shape target) {
        if (rank() > target.rank()) {
            return false;
        }
        int off = target.rank() - rank();
        for (int i = 0; i < rank(); i++) {
            if (dims[i] != 1 && dims[i] != target.dims[i + off]) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Shape s && Arrays.equals(dims, s.dims);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(dims);
    }

    /** {@code [2, 3]}; a scalar prints as {@code []}. */
    @Override
    public String toString() {
        return Arrays.toString(dims);
    }
}
