package dev.nabla.backend;

import java.util.Arrays;

/**
 * An index (or class label) outside the range an indexed kernel allows: {@link Backend#gather},
 * {@link Backend#scatterAdd} and the ops built on them. Carries where and what, so that an op can
 * say it in its own terms ("row 3 has label 7").
 */
public class IndexOutOfRangeException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final long[] position;
    private final long index;
    private final long bound;

    /**
     * @param op       the kernel or op, for the message
     * @param position where the index is ({@code [o, j, i]} for the kernels)
     * @param index    its value
     * @param bound    the allowed range is {@code [0, bound)}
     */
    public IndexOutOfRangeException(String op, long[] position, long index, long bound) {
        super(op + ": index " + index + " at " + Arrays.toString(position) + " is outside [0, " + bound + ")");
        this.position = position.clone();
        this.index = index;
        this.bound = bound;
    }

    /** Where the index is. */
    public long[] position() {
        return position.clone();
    }

    /** The index's value. */
    public long index() {
        return index;
    }

    /** The allowed range is {@code [0, bound)}. */
    public long bound() {
        return bound;
    }
}
