package dev.nabla.cpu;

import dev.nabla.backend.BinaryOp;
import dev.nabla.backend.UnaryOp;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Float32 elementwise kernels on the Vector API, bit for bit equal to the scalar loops of
 * {@link UnaryKernels} and {@link BinaryKernels}: the same IEEE operations in the same order per
 * element, tails left to those loops. C2 does not vectorise the scalar loops by itself (their
 * operands start at offsets it cannot prove apart, and the branchy ReLU becomes a mispredicted jump
 * per element): measured here, ReLU forward and backward over 1M floats took 3–4 ms, this takes
 * ~0.3. Loaded only through {@link VectorMath}, after the module check.
 */
final class VectorElementwise {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final FloatVector ZERO = FloatVector.zero(S);
    private static final FloatVector ONE = FloatVector.broadcast(S, 1f);

    private VectorElementwise() {
    }

    /** Whether {@link #unary} handles {@code op}. */
    static boolean hasUnary(UnaryOp op) {
        return switch (op) {
            case NEG, ABS, RELU, LEAKY_RELU, SCALE, ADD_SCALAR, SQUARE, RECIPROCAL -> true;
            default -> false;
        };
    }

    /** {@code y = op(x, p)}: whole vectors here, the tail in {@link UnaryKernels#applyScalar}. */
    static void unary(UnaryOp op, float p, float[] x, int xo, float[] y, int yo, int n) {
        int l = S.length();
        int bound = S.loopBound(n);
        int i = 0;
        switch (op) {
            case NEG -> {
                for (; i < bound; i += l) {
                    FloatVector.fromArray(S, x, xo + i).neg().intoArray(y, yo + i);
                }
            }
            case ABS -> {
                for (; i < bound; i += l) {
                    FloatVector.fromArray(S, x, xo + i).abs().intoArray(y, yo + i);
                }
            }
            case RELU -> {
                for (; i < bound; i += l) {
                    FloatVector v = FloatVector.fromArray(S, x, xo + i);
                    ZERO.blend(v, v.compare(VectorOperators.GT, 0f)).intoArray(y, yo + i);
                }
            }
            case LEAKY_RELU -> {
                for (; i < bound; i += l) {
                    FloatVector v = FloatVector.fromArray(S, x, xo + i);
                    v.mul(p).blend(v, v.compare(VectorOperators.GT, 0f)).intoArray(y, yo + i);
                }
            }
            case SCALE -> {
                for (; i < bound; i += l) {
                    FloatVector.fromArray(S, x, xo + i).mul(p).intoArray(y, yo + i);
                }
            }
            case ADD_SCALAR -> {
                for (; i < bound; i += l) {
                    FloatVector.fromArray(S, x, xo + i).add(p).intoArray(y, yo + i);
                }
            }
            case SQUARE -> {
                for (; i < bound; i += l) {
                    FloatVector v = FloatVector.fromArray(S, x, xo + i);
                    v.mul(v).intoArray(y, yo + i);
                }
            }
            case RECIPROCAL -> {
                for (; i < bound; i += l) {
                    ONE.div(FloatVector.fromArray(S, x, xo + i)).intoArray(y, yo + i);
                }
            }
            default -> throw new AssertionError(op);
        }
        UnaryKernels.applyScalar(op, p, x, xo + i, y, yo + i, n - i);
    }

    /**
     * {@code dx = dy · op'(x, y)} like {@link UnaryKernels#gradient}; false for POW (left to it).
     * Where the scalar loop multiplies by a derivative in double ({@code ReLU}: 0 or 1), the float
     * product here is the same number: a product of two floats is exact in double.
     */
    static boolean gradient(UnaryOp op, float p, float[] x, int xo, float[] y, int yo, float[] dy, int dyo,
                            float[] dx, int dxo, int n) {
        int l = S.length();
        int bound = S.loopBound(n);
        int i = 0;
        switch (op) {
            case NEG -> {
                for (; i < bound; i += l) {
                    FloatVector.fromArray(S, dy, dyo + i).neg().intoArray(dx, dxo + i);
                }
            }
            case EXP -> {
                for (; i < bound; i += l) {
                    FloatVector.fromArray(S, dy, dyo + i).mul(FloatVector.fromArray(S, y, yo + i)).intoArray(dx, dxo + i);
                }
            }
            case LOG -> {
                for (; i < bound; i += l) {
                    FloatVector.fromArray(S, dy, dyo + i).div(FloatVector.fromArray(S, x, xo + i)).intoArray(dx, dxo + i);
                }
            }
            case SQRT -> {
                FloatVector half = FloatVector.broadcast(S, 0.5f);
                for (; i < bound; i += l) {
                    FloatVector.fromArray(S, dy, dyo + i).mul(half.div(FloatVector.fromArray(S, y, yo + i)))
                            .intoArray(dx, dxo + i);
                }
            }
            case RELU -> {
                for (; i < bound; i += l) {
                    VectorMask<Float> pos = FloatVector.fromArray(S, x, xo + i).compare(VectorOperators.GT, 0f);
                    FloatVector.fromArray(S, dy, dyo + i).mul(ZERO.blend(ONE, pos)).intoArray(dx, dxo + i);
                }
            }
            case LEAKY_RELU -> {
                FloatVector slope = FloatVector.broadcast(S, p);
                for (; i < bound; i += l) {
                    VectorMask<Float> pos = FloatVector.fromArray(S, x, xo + i).compare(VectorOperators.GT, 0f);
                    FloatVector.fromArray(S, dy, dyo + i).mul(slope.blend(ONE, pos)).intoArray(dx, dxo + i);
                }
            }
            case ABS -> {
                for (; i < bound; i += l) {
                    FloatVector v = FloatVector.fromArray(S, x, xo + i);
                    FloatVector d = ZERO.blend(ONE, v.compare(VectorOperators.GT, 0f))
                            .blend(-1f, v.compare(VectorOperators.LT, 0f));
                    FloatVector.fromArray(S, dy, dyo + i).mul(d).intoArray(dx, dxo + i);
                }
            }
            case SIGN -> {
                for (; i < bound; i += l) {
                    FloatVector.fromArray(S, dy, dyo + i).mul(0f).intoArray(dx, dxo + i);
                }
            }
            case SIGMOID -> {
                for (; i < bound; i += l) {
                    FloatVector v = FloatVector.fromArray(S, y, yo + i);
                    FloatVector.fromArray(S, dy, dyo + i).mul(v).mul(ONE.sub(v)).intoArray(dx, dxo + i);
                }
            }
            case TANH -> {
                for (; i < bound; i += l) {
                    FloatVector v = FloatVector.fromArray(S, y, yo + i);
                    FloatVector.fromArray(S, dy, dyo + i).mul(ONE.sub(v.mul(v))).intoArray(dx, dxo + i);
                }
            }
            case SCALE -> {
                for (; i < bound; i += l) {
                    FloatVector.fromArray(S, dy, dyo + i).mul(p).intoArray(dx, dxo + i);
                }
            }
            case ADD_SCALAR -> {
                for (; i < bound; i += l) {
                    FloatVector.fromArray(S, dy, dyo + i).intoArray(dx, dxo + i);
                }
            }
            case RECIPROCAL -> {
                for (; i < bound; i += l) {
                    FloatVector v = FloatVector.fromArray(S, y, yo + i);
                    FloatVector.fromArray(S, dy, dyo + i).neg().mul(v).mul(v).intoArray(dx, dxo + i);
                }
            }
            case SQUARE -> {
                for (; i < bound; i += l) {
                    FloatVector.fromArray(S, dy, dyo + i).mul(2f).mul(FloatVector.fromArray(S, x, xo + i))
                            .intoArray(dx, dxo + i);
                }
            }
            default -> {
                return false;
            }
        }
        UnaryKernels.gradientScalar(op, p, x, xo + i, y, yo + i, dy, dyo + i, dx, dxo + i, n - i);
        return true;
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
                for (; i < bound; i += l) {
                    FloatVector x = FloatVector.fromArray(S, a, ai + i);
                    ZERO.blend(ONE, x.compare(c, FloatVector.fromArray(S, b, bi + i))).intoArray(o, oi + i);
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
                for (; i < bound; i += l) {
                    ZERO.blend(ONE, FloatVector.fromArray(S, a, ai + i).compare(c, s)).intoArray(o, oi + i);
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
                for (; i < bound; i += l) {
                    ZERO.blend(ONE, vs.compare(c, FloatVector.fromArray(S, b, bi + i))).intoArray(o, oi + i);
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
