package dev.nabla.cpu;

/** Strided copy (views to contiguous and back), dtype casts and fills. */
final class CopyKernels {
    private CopyKernels() {
    }

    /**
     * Rows {@code [from, to)} of a merged copy layout ({@code aStrides} = source, {@code bStrides} =
     * destination); the last axis is the inner loop, a plain arraycopy when both strides are 1.
     */
    static void copyRows(Object src, long srcOff, Object dst, long dstOff, StrideMerge.Merged l, int from, int to) {
        int rank = l.shape().length;
        int inner = l.inner();
        int ss = rank == 0 ? 1 : (int) l.aStrides()[rank - 1];
        int ds = rank == 0 ? 1 : (int) l.bStrides()[rank - 1];
        for (int r = from; r < to; r++) {
            long si = srcOff;
            long di = dstOff;
            int rest = r;
            for (int d = rank - 2; d >= 0; d--) {
                int idx = rest % l.shape()[d];
                rest /= l.shape()[d];
                si += idx * l.aStrides()[d];
                di += idx * l.bStrides()[d];
            }
            int s0 = (int) si;
            int d0 = (int) di;
            if (ss == 1 && ds == 1) {
                System.arraycopy(src, s0, dst, d0, inner);
            } else if (src instanceof float[] s) {
                float[] d = (float[]) dst;
                for (int i = 0; i < inner; i++) {
                    d[d0 + i * ds] = s[s0 + i * ss];
                }
            } else if (src instanceof double[] s) {
                double[] d = (double[]) dst;
                for (int i = 0; i < inner; i++) {
                    d[d0 + i * ds] = s[s0 + i * ss];
                }
            } else {
                int[] s = (int[]) src;
                int[] d = (int[]) dst;
                for (int i = 0; i < inner; i++) {
                    d[d0 + i * ds] = s[s0 + i * ss];
                }
            }
        }
    }

    /** Contiguous conversion; float to int truncates toward zero (Java's cast). */
    static void cast(Object src, int so, Object dst, int d0, int n) {
        if (src.getClass() == dst.getClass()) {
            System.arraycopy(src, so, dst, d0, n);
        } else if (src instanceof float[] s && dst instanceof double[] d) {
            for (int i = 0; i < n; i++) { d[d0 + i] = s[so + i]; }
        } else if (src instanceof float[] s && dst instanceof int[] d) {
            for (int i = 0; i < n; i++) { d[d0 + i] = (int) s[so + i]; }
        } else if (src instanceof double[] s && dst instanceof float[] d) {
            for (int i = 0; i < n; i++) { d[d0 + i] = (float) s[so + i]; }
        } else if (src instanceof double[] s && dst instanceof int[] d) {
            for (int i = 0; i < n; i++) { d[d0 + i] = (int) s[so + i]; }
        } else if (src instanceof int[] s && dst instanceof float[] d) {
            for (int i = 0; i < n; i++) { d[d0 + i] = s[so + i]; }
        } else if (src instanceof int[] s && dst instanceof double[] d) {
            for (int i = 0; i < n; i++) { d[d0 + i] = s[so + i]; }
        } else {
            throw new AssertionError(src.getClass() + " -> " + dst.getClass());
        }
    }

    static void fill(Object dst, int off, int n, double value) {
        if (dst instanceof float[] f) {
            java.util.Arrays.fill(f, off, off + n, (float) value);
        } else if (dst instanceof double[] d) {
            java.util.Arrays.fill(d, off, off + n, value);
        } else {
            java.util.Arrays.fill((int[]) dst, off, off + n, (int) value);
        }
    }
}
