package dev.nabla.cpu;

/** Dimension merging for strided loops: fewer, longer axes mean longer inner loops. */
final class StrideMerge {
    private StrideMerge() {
    }

    /** A layout after merging: same elements, same order. */
    record Merged(int[] shape, long[] aStrides, long[] bStrides) {
        long rows() {
            long n = 1;
            for (int d = 0; d < shape.length - 1; d++) {
                n *= shape[d];
            }
            return n;
        }

        int inner() {
            return shape.length == 0 ? 1 : shape[shape.length - 1];
        }
    }

    /**
     * Drops size-1 axes and merges axis d into d+1 where both operands step through them as one
     * axis ({@code stride[d] == stride[d+1]·shape[d+1]}).
     */
    static Merged merge(int[] shape, long[] aStrides, long[] bStrides) {
        int n = shape.length;
        int[] s = new int[n];
        long[] sa = new long[n];
        long[] sb = new long[n];
        int r = 0;
        for (int d = 0; d < n; d++) {
            if (shape[d] == 1) {
                continue;
            }
            if (r > 0 && sa[r - 1] == aStrides[d] * shape[d] && sb[r - 1] == bStrides[d] * shape[d]) {
                s[r - 1] *= shape[d];
                sa[r - 1] = aStrides[d];
                sb[r - 1] = bStrides[d];
                continue;
            }
            s[r] = shape[d];
            sa[r] = aStrides[d];
            sb[r] = bStrides[d];
            r++;
        }
        return new Merged(java.util.Arrays.copyOf(s, r), java.util.Arrays.copyOf(sa, r), java.util.Arrays.copyOf(sb, r));
    }
}
