package dev.nabla.gpu;

import java.util.Arrays;

/**
 * Shape arithmetic of the strided kernels: merging axes that are contiguous in every operand and
 * dropping unit axes, so most launches have rank 1 or 2, and splitting what is still above
 * {@link #MAX_RANK} axes into several launches.
 */
final class KernelStrides {
    /** Axes the strided kernels take. */
    static final int MAX_RANK = 8;

    private KernelStrides() {
    }

    /** A shape and one stride array per operand, axes outermost first. */
    record Layout(int[] shape, long[][] strides) {
        int rank() {
            return shape.length;
        }

        long count() {
            long n = 1;
            for (int s : shape) {
                n *= s;
            }
            return n;
        }
    }

    /** Row-major strides of a contiguous array of {@code shape}. */
    static long[] contiguous(int[] shape) {
        long[] s = new long[shape.length];
        long step = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            s[d] = step;
            step *= shape[d];
        }
        return s;
    }

    /** Whether {@code strides} lay {@code shape} out contiguously in row-major order (unit axes ignored). */
    static boolean isContiguous(int[] shape, long[] strides) {
        long step = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            if (shape[d] != 1 && strides[d] != step) {
                return false;
            }
            step *= shape[d];
        }
        return true;
    }

    /**
     * Drops unit axes and merges axis d with d+1 wherever {@code stride[d] == stride[d+1]·shape[d+1]}
     * holds for every operand. The element order of the iteration is unchanged.
     */
    static Layout collapse(int[] shape, long[]... strides) {
        int ops = strides.length;
        int[] outShape = new int[shape.length];
        long[][] outStrides = new long[ops][shape.length];
        int rank = 0;
        for (int d = 0; d < shape.length; d++) {
            if (shape[d] == 1) {
                continue;
            }
            boolean merge = rank > 0;
            for (int o = 0; o < ops && merge; o++) {
                merge = outStrides[o][rank - 1] == strides[o][d] * shape[d];
            }
            if (merge && (long) outShape[rank - 1] * shape[d] <= Integer.MAX_VALUE) {
                outShape[rank - 1] *= shape[d];
                for (int o = 0; o < ops; o++) {
                    outStrides[o][rank - 1] = strides[o][d];
                }
            } else {
                outShape[rank] = shape[d];
                for (int o = 0; o < ops; o++) {
                    outStrides[o][rank] = strides[o][d];
                }
                rank++;
            }
        }
        long[][] trimmed = new long[ops][];
        for (int o = 0; o < ops; o++) {
            trimmed[o] = Arrays.copyOf(outStrides[o], rank);
        }
        return new Layout(Arrays.copyOf(outShape, rank), trimmed);
    }

    /** Receives one launchable piece of a layout: per-operand element offsets and a layout of at most MAX_RANK axes. */
    interface Piece {
        void run(long[] offsets, Layout layout);
    }

    /**
     * Calls {@code piece} once per index of the leading axes beyond {@link #MAX_RANK}, with the
     * operands' offsets advanced to it; layouts of at most MAX_RANK axes are one piece.
     */
    static void split(Layout layout, long[] offsets, Piece piece) {
        int lead = layout.rank() - MAX_RANK;
        if (lead <= 0) {
            piece.run(offsets, layout);
            return;
        }
        int[] innerShape = Arrays.copyOfRange(layout.shape(), lead, layout.rank());
        long[][] innerStrides = new long[offsets.length][];
        for (int o = 0; o < offsets.length; o++) {
            innerStrides[o] = Arrays.copyOfRange(layout.strides()[o], lead, layout.rank());
        }
        Layout inner = new Layout(innerShape, innerStrides);
        int[] index = new int[lead];
        long outer = 1;
        for (int d = 0; d < lead; d++) {
            outer *= layout.shape()[d];
        }
        for (long n = 0; n < outer; n++) {
            long[] at = offsets.clone();
            for (int d = 0; d < lead; d++) {
                for (int o = 0; o < at.length; o++) {
                    at[o] += index[d] * layout.strides()[o][d];
                }
            }
            piece.run(at, inner);
            for (int d = lead - 1; d >= 0 && ++index[d] == layout.shape()[d]; d--) {
                index[d] = 0;
            }
        }
    }

    /**
     * Kernel arguments for the strided kernels: rank, 8 extents innermost first (unused ones 1),
     * then 8 strides per operand innermost first (unused ones 0).
     */
    static Object[] kernelArgs(Layout layout) {
        int rank = layout.rank();
        int ops = layout.strides().length;
        Object[] args = new Object[1 + MAX_RANK + ops * MAX_RANK];
        args[0] = rank;
        for (int i = 0; i < MAX_RANK; i++) {
            args[1 + i] = i < rank ? layout.shape()[rank - 1 - i] : 1;
            for (int o = 0; o < ops; o++) {
                args[1 + MAX_RANK + o * MAX_RANK + i] = i < rank ? layout.strides()[o][rank - 1 - i] : 0L;
            }
        }
        return args;
    }
}
