package dev.nabla.cpu;

import dev.nabla.backend.BinaryOp;

/**
 * {@code out[i] = op(a[i·aStrides], b[i·bStrides])} with broadcasting by zero strides, {@code out}
 * contiguous. The caller merges dimensions first ({@link StrideMerge#merge}); here the last axis is the
 * inner loop, one loop per op, the unit-stride case separate so that C2 vectorises it.
 */
final class BinaryKernels {
    private BinaryKernels() {
    }

    /** Runs rows {@code [from, to)} of a merged layout (rows = product of all axes but the last). */
    static void rows(SimdLoops math, BinaryOp op, Object a, long aOff, Object b, long bOff, Object out, long outOff,
                     StrideMerge.Merged l, int from, int to) {
        int rank = l.shape().length;
        int inner = rank == 0 ? 1 : l.shape()[rank - 1];
        int sa = rank == 0 ? 0 : (int) l.aStrides()[rank - 1];
        int sb = rank == 0 ? 0 : (int) l.bStrides()[rank - 1];
        if (rank <= 2 && sa == 1 && sb == 1 && out instanceof float[] o) {
            long ra = rank == 2 ? l.aStrides()[0] : 0;
            long rb = rank == 2 ? l.bStrides()[0] : 0;
            if (math.binaryRows(op, (float[]) a, (int) (aOff + from * ra), (int) ra, (float[]) b, (int) (bOff + from * rb),
                    (int) rb, o, (int) (outOff + (long) from * inner), inner, to - from)) {
                return;
            }
        }
        for (int r = from; r < to; r++) {
            long ai = aOff;
            long bi = bOff;
            int rest = r;
            for (int d = rank - 2; d >= 0; d--) {
                int idx = rest % l.shape()[d];
                rest /= l.shape()[d];
                ai += idx * l.aStrides()[d];
                bi += idx * l.bStrides()[d];
            }
            int oi = (int) (outOff + (long) r * inner);
            if (out instanceof float[] o) {
                if (!math.binary(op, (float[]) a, (int) ai, sa, (float[]) b, (int) bi, sb, o, oi, inner)) {
                    rowScalar(op, (float[]) a, (int) ai, sa, (float[]) b, (int) bi, sb, o, oi, inner);
                }
            } else if (out instanceof double[] o) {
                row(op, (double[]) a, (int) ai, sa, (double[]) b, (int) bi, sb, o, oi, inner);
            } else {
                row(op, (int[]) a, (int) ai, sa, (int[]) b, (int) bi, sb, (int[]) out, oi, inner);
            }
        }
    }

    /**
     * One float32 row: the four arithmetic ops as tight loops (C2 vectorises the unit-stride ones),
     * every other op of the table through its scalar reference in double, rounded once.
     */
    static void rowScalar(BinaryOp op, float[] a, int ai, int sa, float[] b, int bi, int sb, float[] o, int oi,
                          int n) {
        switch (op) {
            case ADD -> { for (int i = 0; i < n; i++) { o[oi + i] = a[ai + i * sa] + b[bi + i * sb]; } }
            case SUB -> { for (int i = 0; i < n; i++) { o[oi + i] = a[ai + i * sa] - b[bi + i * sb]; } }
            case MUL -> { for (int i = 0; i < n; i++) { o[oi + i] = a[ai + i * sa] * b[bi + i * sb]; } }
            case DIV -> { for (int i = 0; i < n; i++) { o[oi + i] = a[ai + i * sa] / b[bi + i * sb]; } }
            default -> { for (int i = 0; i < n; i++) { o[oi + i] = (float) op.apply(a[ai + i * sa], b[bi + i * sb]); } }
        }
    }

    /** One float64 row, like {@link #rowScalar(BinaryOp, float[], int, int, float[], int, int, float[], int, int)}. */
    static void row(BinaryOp op, double[] a, int ai, int sa, double[] b, int bi, int sb, double[] o, int oi, int n) {
        switch (op) {
            case ADD -> { for (int i = 0; i < n; i++) { o[oi + i] = a[ai + i * sa] + b[bi + i * sb]; } }
            case SUB -> { for (int i = 0; i < n; i++) { o[oi + i] = a[ai + i * sa] - b[bi + i * sb]; } }
            case MUL -> { for (int i = 0; i < n; i++) { o[oi + i] = a[ai + i * sa] * b[bi + i * sb]; } }
            case DIV -> { for (int i = 0; i < n; i++) { o[oi + i] = a[ai + i * sa] / b[bi + i * sb]; } }
            default -> { for (int i = 0; i < n; i++) { o[oi + i] = op.apply(a[ai + i * sa], b[bi + i * sb]); } }
        }
    }

    /** INT32: the table's integer reference (wrapping like Java); ops without one are refused before this. */
    static void row(BinaryOp op, int[] a, int ai, int sa, int[] b, int bi, int sb, int[] o, int oi, int n) {
        for (int i = 0; i < n; i++) {
            o[oi + i] = op.applyInt(a[ai + i * sa], b[bi + i * sb]);
        }
    }
}
