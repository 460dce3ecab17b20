package dev.nabla.cpu;

import dev.nabla.backend.BinaryOp;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Float32 binary kernels on the Vector API, bit for bit equal to the scalar loops of
 * {@link BinaryKernels} (same IEEE operation per element, tails left to those loops), with unit or
 * broadcast (zero) strides, one row or a block of rows. One loop per op and layout: a shared
 * helper returning vectors was not inlined and boxed every vector. Loaded only through
 * {@link VectorMath}, after the module check.
 */
final class VectorBinary {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private VectorBinary() {
    }

    /**
     * {@code o = op(a, b)} over {@code n} elements where each operand steps by 1 or 0 (broadcast),
     * not both 0; false for POW and other strides (left to {@link BinaryKernels}). One loop per op
     * and layout: a shared helper returning vectors was not inlined in the 784-1024-1024-10 step and
     * boxed every vector (3.5 ms a step instead of ~0.5).
     */
    static boolean binary(BinaryOp op, float[] a, int ai, int sa, float[] b, int bi, int sb, float[] o, int oi, int n) {
        if (op == BinaryOp.POW || sa < 0 || sa > 1 || sb < 0 || sb > 1 || sa + sb == 0) {
            return false;
        }
        int i;
        if (sa == 1 && sb == 1) {
            i = both(op, a, ai, b, bi, o, oi, n);
        } else if (sa == 1) {
            i = scalarRight(op, a, ai, b[bi], o, oi, n);
        } else {
            i = scalarLeft(op, a[ai], b, bi, o, oi, n);
        }
        BinaryKernels.rowScalar(op, a, ai + i * sa, sa, b, bi + i * sb, sb, o, oi + i, n - i);
        return true;
    }

    /**
     * {@code o = op(a, b)} for {@code rows} rows of {@code n} elements, both operands with unit
     * strides in a row and row strides {@code ra}, {@code rb} (0: one row broadcast to all, as a
     * bias is); the output rows are contiguous. The op is chosen once for all rows: dispatching per
     * row cost ~10 ns, as much as a 256-float row takes. False for POW.
     */
    static boolean binaryRows(BinaryOp op, float[] a, int ai, int ra, float[] b, int bi, int rb, float[] o, int oi,
                              int n, int rows) {
        if (op == BinaryOp.POW) {
            return false;
        }
        int i = switch (op) {
            case ADD -> addRows(a, ai, ra, b, bi, rb, o, oi, n, rows);
            case SUB -> subRows(a, ai, ra, b, bi, rb, o, oi, n, rows);
            case MUL -> mulRows(a, ai, ra, b, bi, rb, o, oi, n, rows);
            case DIV -> divRows(a, ai, ra, b, bi, rb, o, oi, n, rows);
            case MAX -> maxRows(a, ai, ra, b, bi, rb, o, oi, n, rows);
            case MIN -> minRows(a, ai, ra, b, bi, rb, o, oi, n, rows);
            default -> compareRows(comparison(op), a, ai, ra, b, bi, rb, o, oi, n, rows);
        };
        if (i < n) {
            for (int r = 0; r < rows; r++) {
                BinaryKernels.rowScalar(op, a, ai + r * ra + i, 1, b, bi + r * rb + i, 1, o, oi + r * n + i, n - i);
            }
        }
        return true;
    }

    private static int addRows(float[] a, int ai, int ra, float[] b, int bi, int rb, float[] o, int oi, int n,
                               int rows) {
        int bound = S.loopBound(n);
        for (int r = 0; r < rows; r++) {
            int pa = ai + r * ra;
            int pb = bi + r * rb;
            int po = oi + r * n;
            for (int i = 0; i < bound; i += S.length()) {
                FloatVector.fromArray(S, a, pa + i).add(FloatVector.fromArray(S, b, pb + i)).intoArray(o, po + i);
            }
        }
        return bound;
    }

    private static int subRows(float[] a, int ai, int ra, float[] b, int bi, int rb, float[] o, int oi, int n,
                               int rows) {
        int bound = S.loopBound(n);
        for (int r = 0; r < rows; r++) {
            int pa = ai + r * ra;
            int pb = bi + r * rb;
            int po = oi + r * n;
            for (int i = 0; i < bound; i += S.length()) {
                FloatVector.fromArray(S, a, pa + i).sub(FloatVector.fromArray(S, b, pb + i)).intoArray(o, po + i);
            }
        }
        return bound;
    }

    private static int mulRows(float[] a, int ai, int ra, float[] b, int bi, int rb, float[] o, int oi, int n,
                               int rows) {
        int bound = S.loopBound(n);
        for (int r = 0; r < rows; r++) {
            int pa = ai + r * ra;
            int pb = bi + r * rb;
            int po = oi + r * n;
            for (int i = 0; i < bound; i += S.length()) {
                FloatVector.fromArray(S, a, pa + i).mul(FloatVector.fromArray(S, b, pb + i)).intoArray(o, po + i);
            }
        }
        return bound;
    }

    private static int divRows(float[] a, int ai, int ra, float[] b, int bi, int rb, float[] o, int oi, int n,
                               int rows) {
        int bound = S.loopBound(n);
        for (int r = 0; r < rows; r++) {
            int pa = ai + r * ra;
            int pb = bi + r * rb;
            int po = oi + r * n;
            for (int i = 0; i < bound; i += S.length()) {
                FloatVector.fromArray(S, a, pa + i).div(FloatVector.fromArray(S, b, pb + i)).intoArray(o, po + i);
            }
        }
        return bound;
    }

    private static int maxRows(float[] a, int ai, int ra, float[] b, int bi, int rb, float[] o, int oi, int n,
                               int rows) {
        int bound = S.loopBound(n);
        for (int r = 0; r < rows; r++) {
            int pa = ai + r * ra;
            int pb = bi + r * rb;
            int po = oi + r * n;
            for (int i = 0; i < bound; i += S.length()) {
                FloatVector.fromArray(S, a, pa + i).max(FloatVector.fromArray(S, b, pb + i)).intoArray(o, po + i);
            }
        }
        return bound;
    }

    private static int minRows(float[] a, int ai, int ra, float[] b, int bi, int rb, float[] o, int oi, int n,
                               int rows) {
        int bound = S.loopBound(n);
        for (int r = 0; r < rows; r++) {
            int pa = ai + r * ra;
            int pb = bi + r * rb;
            int po = oi + r * n;
            for (int i = 0; i < bound; i += S.length()) {
                FloatVector.fromArray(S, a, pa + i).min(FloatVector.fromArray(S, b, pb + i)).intoArray(o, po + i);
            }
        }
        return bound;
    }

    private static int compareRows(VectorOperators.Comparison c, float[] a, int ai, int ra, float[] b, int bi, int rb,
                                   float[] o, int oi, int n, int rows) {
        FloatVector zero = FloatVector.zero(S);
        FloatVector one = FloatVector.broadcast(S, 1f);
        int bound = S.loopBound(n);
        for (int r = 0; r < rows; r++) {
            int pa = ai + r * ra;
            int pb = bi + r * rb;
            int po = oi + r * n;
            for (int i = 0; i < bound; i += S.length()) {
                FloatVector x = FloatVector.fromArray(S, a, pa + i);
                zero.blend(one, x.compare(c, FloatVector.fromArray(S, b, pb + i))).intoArray(o, po + i);
            }
        }
        return bound;
    }

    /** Whole vectors of {@code op(a[i], b[i])}; returns how many elements were done. */
    private static int both(BinaryOp op, float[] a, int ai, float[] b, int bi, float[] o, int oi, int n) {
        int l = S.length();
        int bound = S.loopBound(n);
        int i = 0;
        switch (op) {
            case ADD -> {
                for (; i < bound; i += l) {
                    FloatVector.fromArray(S, a, ai + i).add(FloatVector.fromArray(S, b, bi + i)).intoArray(o, oi + i);
                }
            }
            case SUB -> {
                for (; i < bound; i += l) {
                    FloatVector.fromArray(S, a, ai + i).sub(FloatVector.fromArray(S, b, bi + i)).intoArray(o, oi + i);
                }
            }
            case MUL -> {
                for (; i < bound; i += l) {
                    FloatVector.fromArray(S, a, ai + i).mul(FloatVector.fromArray(S, b, bi + i)).intoArray(o, oi + i);
                }
            }
            case DIV -> {
                for (; i < bound; i += l) {
                    FloatVector.fromArray(S, a, ai + i).div(FloatVector.fromArray(S, b, bi + i)).intoArray(o, oi + i);
                }
            }
            case MAX -> {
                for (; i < bound; i += l) {
                    FloatVector.fromArray(S, a, ai + i).max(FloatVector.fromArray(S, b, bi + i)).intoArray(o, oi + i);
                }
            }
            case MIN -> {
                for (; i < bound; i += l) {
                    FloatVector.fromArray(S, a, ai + i).min(FloatVector.fromArray(S, b, bi + i)).intoArray(o, oi + i);
                }
            }
            default -> {
                VectorOperators.Comparison c = comparison(op);
                FloatVector zero = FloatVector.zero(S);
                FloatVector one = FloatVector.broadcast(S, 1f);
                for (; i < bound; i += l) {
                    FloatVector x = FloatVector.fromArray(S, a, ai + i);
                    zero.blend(one, x.compare(c, FloatVector.fromArray(S, b, bi + i))).intoArray(o, oi + i);
                }
            }
        }
        return i;
    }

    /** Whole vectors of {@code op(a[i], s)}. */
    private static int scalarRight(BinaryOp op, float[] a, int ai, float s, float[] o, int oi, int n) {
        int l = S.length();
        int bound = S.loopBound(n);
        int i = 0;
        switch (op) {
            case ADD -> {
                for (; i < bound; i += l) {
                    FloatVector.fromArray(S, a, ai + i).add(s).intoArray(o, oi + i);
                }
            }
            case SUB -> {
                for (; i < bound; i += l) {
                    FloatVector.fromArray(S, a, ai + i).sub(s).intoArray(o, oi + i);
                }
            }
            case MUL -> {
                for (; i < bound; i += l) {
                    FloatVector.fromArray(S, a, ai + i).mul(s).intoArray(o, oi + i);
                }
            }
            case DIV -> {
                for (; i < bound; i += l) {
                    FloatVector.fromArray(S, a, ai + i).div(s).intoArray(o, oi + i);
                }
            }
            case MAX -> {
                for (; i < bound; i += l) {
                    FloatVector.fromArray(S, a, ai + i).max(s).intoArray(o, oi + i);
                }
            }
            case MIN -> {
                for (; i < bound; i += l) {
                    FloatVector.fromArray(S, a, ai + i).min(s).intoArray(o, oi + i);
                }
            }
            default -> {
                VectorOperators.Comparison c = comparison(op);
                FloatVector zero = FloatVector.zero(S);
                FloatVector one = FloatVector.broadcast(S, 1f);
                for (; i < bound; i += l) {
                    zero.blend(one, FloatVector.fromArray(S, a, ai + i).compare(c, s)).intoArray(o, oi + i);
                }
            }
        }
        return i;
    }

    /** Whole vectors of {@code op(s, b[i])}. */
    private static int scalarLeft(BinaryOp op, float s, float[] b, int bi, float[] o, int oi, int n) {
        int l = S.length();
        int bound = S.loopBound(n);
        int i = 0;
        FloatVector vs = FloatVector.broadcast(S, s);
        switch (op) {
            case ADD -> {
                for (; i < bound; i += l) {
                    vs.add(FloatVector.fromArray(S, b, bi + i)).intoArray(o, oi + i);
                }
            }
            case SUB -> {
                for (; i < bound; i += l) {
                    vs.sub(FloatVector.fromArray(S, b, bi + i)).intoArray(o, oi + i);
                }
            }
            case MUL -> {
                for (; i < bound; i += l) {
                    vs.mul(FloatVector.fromArray(S, b, bi + i)).intoArray(o, oi + i);
                }
            }
            case DIV -> {
                for (; i < bound; i += l) {
                    vs.div(FloatVector.fromArray(S, b, bi + i)).intoArray(o, oi + i);
                }
            }
            case MAX -> {
                for (; i < bound; i += l) {
                    vs.max(FloatVector.fromArray(S, b, bi + i)).intoArray(o, oi + i);
                }
            }
            case MIN -> {
                for (; i < bound; i += l) {
                    vs.min(FloatVector.fromArray(S, b, bi + i)).intoArray(o, oi + i);
                }
            }
            default -> {
                VectorOperators.Comparison c = comparison(op);
                FloatVector zero = FloatVector.zero(S);
                FloatVector one = FloatVector.broadcast(S, 1f);
                for (; i < bound; i += l) {
                    zero.blend(one, vs.compare(c, FloatVector.fromArray(S, b, bi + i))).intoArray(o, oi + i);
                }
            }
        }
        return i;
    }

    private static VectorOperators.Comparison comparison(BinaryOp op) {
        return switch (op) {
            case EQ -> VectorOperators.EQ;
            case NE -> VectorOperators.NE;
            case LT -> VectorOperators.LT;
            case LE -> VectorOperators.LE;
            case GT -> VectorOperators.GT;
            case GE -> VectorOperators.GE;
            default -> throw new AssertionError(op);
        };
    }
}
