package dev.nabla.cpu;

import dev.nabla.backend.BinaryOp;

/**
 * {@code out[i] = op(a[i·aStrides], b[i·bStrides])} with broadcasting by zero strides, {@code out}
 * contiguous. The caller merges dimensions first ({@link Strides#merge}); here the last axis is the
 * inner loop, one loop per op, the unit-stride case separate so that C2 vectorises it.
 */
final class BinaryKernels {
    private BinaryKernels() {
    }

    /** Runs rows {@code [from, to)} of a merged layout (rows = product of all axes but the last). */
    static void rows(FastMath math, BinaryOp op, Object a, long aOff, Object b, long bOff, Object out, long outOff,
                     Strides.Merged l, int from, int to) {
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

    static void rowScalar(BinaryOp op, float[] a, int ai, int sa, float[] b, int bi, int sb, float[] o, int oi,
                          int n) {
        if (sa == 1 && sb == 1) {
            switch (op) {
                case ADD -> { for (int i = 0; i < n; i++) { o[oi + i] = a[ai + i] + b[bi + i]; } }
                case SUB -> { for (int i = 0; i < n; i++) { o[oi + i] = a[ai + i] - b[bi + i]; } }
                case MUL -> { for (int i = 0; i < n; i++) { o[oi + i] = a[ai + i] * b[bi + i]; } }
                case DIV -> { for (int i = 0; i < n; i++) { o[oi + i] = a[ai + i] / b[bi + i]; } }
                default -> rowStrided(op, a, ai, 1, b, bi, 1, o, oi, n);
            }
            return;
        }
        if (sa == 1 && sb == 0) {
            float s = b[bi];
            switch (op) {
                case ADD -> { for (int i = 0; i < n; i++) { o[oi + i] = a[ai + i] + s; } }
                case SUB -> { for (int i = 0; i < n; i++) { o[oi + i] = a[ai + i] - s; } }
                case MUL -> { for (int i = 0; i < n; i++) { o[oi + i] = a[ai + i] * s; } }
                case DIV -> { for (int i = 0; i < n; i++) { o[oi + i] = a[ai + i] / s; } }
                default -> rowStrided(op, a, ai, 1, b, bi, 0, o, oi, n);
            }
            return;
        }
        rowStrided(op, a, ai, sa, b, bi, sb, o, oi, n);
    }

    private static void rowStrided(BinaryOp op, float[] a, int ai, int sa, float[] b, int bi, int sb, float[] o,
                                   int oi, int n) {
        switch (op) {
            case ADD -> { for (int i = 0; i < n; i++) { o[oi + i] = a[ai + i * sa] + b[bi + i * sb]; } }
            case SUB -> { for (int i = 0; i < n; i++) { o[oi + i] = a[ai + i * sa] - b[bi + i * sb]; } }
            case MUL -> { for (int i = 0; i < n; i++) { o[oi + i] = a[ai + i * sa] * b[bi + i * sb]; } }
            case DIV -> { for (int i = 0; i < n; i++) { o[oi + i] = a[ai + i * sa] / b[bi + i * sb]; } }
            case MAX -> { for (int i = 0; i < n; i++) { o[oi + i] = Math.max(a[ai + i * sa], b[bi + i * sb]); } }
            case MIN -> { for (int i = 0; i < n; i++) { o[oi + i] = Math.min(a[ai + i * sa], b[bi + i * sb]); } }
            case POW -> { for (int i = 0; i < n; i++) { o[oi + i] = (float) Math.pow(a[ai + i * sa], b[bi + i * sb]); } }
            case EQ -> { for (int i = 0; i < n; i++) { o[oi + i] = a[ai + i * sa] == b[bi + i * sb] ? 1f : 0f; } }
            case NE -> { for (int i = 0; i < n; i++) { o[oi + i] = a[ai + i * sa] != b[bi + i * sb] ? 1f : 0f; } }
            case LT -> { for (int i = 0; i < n; i++) { o[oi + i] = a[ai + i * sa] < b[bi + i * sb] ? 1f : 0f; } }
            case LE -> { for (int i = 0; i < n; i++) { o[oi + i] = a[ai + i * sa] <= b[bi + i * sb] ? 1f : 0f; } }
            case GT -> { for (int i = 0; i < n; i++) { o[oi + i] = a[ai + i * sa] > b[bi + i * sb] ? 1f : 0f; } }
            case GE -> { for (int i = 0; i < n; i++) { o[oi + i] = a[ai + i * sa] >= b[bi + i * sb] ? 1f : 0f; } }
        }
    }

    static void row(BinaryOp op, double[] a, int ai, int sa, double[] b, int bi, int sb, double[] o, int oi, int n) {
        if (sa == 1 && sb == 1) {
            switch (op) {
                case ADD -> { for (int i = 0; i < n; i++) { o[oi + i] = a[ai + i] + b[bi + i]; } }
                case SUB -> { for (int i = 0; i < n; i++) { o[oi + i] = a[ai + i] - b[bi + i]; } }
                case MUL -> { for (int i = 0; i < n; i++) { o[oi + i] = a[ai + i] * b[bi + i]; } }
                case DIV -> { for (int i = 0; i < n; i++) { o[oi + i] = a[ai + i] / b[bi + i]; } }
                default -> rowStrided(op, a, ai, 1, b, bi, 1, o, oi, n);
            }
            return;
        }
        rowStrided(op, a, ai, sa, b, bi, sb, o, oi, n);
    }

    private static void rowStrided(BinaryOp op, double[] a, int ai, int sa, double[] b, int bi, int sb, double[] o,
                                   int oi, int n) {
        switch (op) {
            case ADD -> { for (int i = 0; i < n; i++) { o[oi + i] = a[ai + i * sa] + b[bi + i * sb]; } }
            case SUB -> { for (int i = 0; i < n; i++) { o[oi + i] = a[ai + i * sa] - b[bi + i * sb]; } }
            case MUL -> { for (int i = 0; i < n; i++) { o[oi + i] = a[ai + i * sa] * b[bi + i * sb]; } }
            case DIV -> { for (int i = 0; i < n; i++) { o[oi + i] = a[ai + i * sa] / b[bi + i * sb]; } }
            case MAX -> { for (int i = 0; i < n; i++) { o[oi + i] = Math.max(a[ai + i * sa], b[bi + i * sb]); } }
            case MIN -> { for (int i = 0; i < n; i++) { o[oi + i] = Math.min(a[ai + i * sa], b[bi + i * sb]); } }
            case POW -> { for (int i = 0; i < n; i++) { o[oi + i] = Math.pow(a[ai + i * sa], b[bi + i * sb]); } }
            case EQ -> { for (int i = 0; i < n; i++) { o[oi + i] = a[ai + i * sa] == b[bi + i * sb] ? 1 : 0; } }
            case NE -> { for (int i = 0; i < n; i++) { o[oi + i] = a[ai + i * sa] != b[bi + i * sb] ? 1 : 0; } }
            case LT -> { for (int i = 0; i < n; i++) { o[oi + i] = a[ai + i * sa] < b[bi + i * sb] ? 1 : 0; } }
            case LE -> { for (int i = 0; i < n; i++) { o[oi + i] = a[ai + i * sa] <= b[bi + i * sb] ? 1 : 0; } }
            case GT -> { for (int i = 0; i < n; i++) { o[oi + i] = a[ai + i * sa] > b[bi + i * sb] ? 1 : 0; } }
            case GE -> { for (int i = 0; i < n; i++) { o[oi + i] = a[ai + i * sa] >= b[bi + i * sb] ? 1 : 0; } }
        }
    }

    /** INT32: exact integer arithmetic (wrapping like Java); DIV and POW are refused before this. */
    static void row(BinaryOp op, int[] a, int ai, int sa, int[] b, int bi, int sb, int[] o, int oi, int n) {
        for (int i = 0; i < n; i++) {
            int x = a[ai + i * sa];
            int y = b[bi + i * sb];
            o[oi + i] = switch (op) {
                case ADD -> x + y;
                case SUB -> x - y;
                case MUL -> x * y;
                case MAX -> Math.max(x, y);
                case MIN -> Math.min(x, y);
                case EQ -> x == y ? 1 : 0;
                case NE -> x != y ? 1 : 0;
                case LT -> x < y ? 1 : 0;
                case LE -> x <= y ? 1 : 0;
                case GT -> x > y ? 1 : 0;
                case GE -> x >= y ? 1 : 0;
                case DIV, POW -> throw new AssertionError(op);
            };
        }
    }
}
