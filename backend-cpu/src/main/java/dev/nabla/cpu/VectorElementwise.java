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
     * not both 0; false for POW and other strides (left to {@link BinaryKernels}).
     */
    static boolean binary(BinaryOp op, float[] a, int ai, int sa, float[] b, int bi, int sb, float[] o, int oi, int n) {
        if (op == BinaryOp.POW || sa < 0 || sa > 1 || sb < 0 || sb > 1 || sa + sb == 0) {
            return false;
        }
        int l = S.length();
        int bound = S.loopBound(n);
        int i = 0;
        if (sa == 1 && sb == 1) {
            for (; i < bound; i += l) {
                apply(op, FloatVector.fromArray(S, a, ai + i), FloatVector.fromArray(S, b, bi + i)).intoArray(o, oi + i);
            }
            BinaryKernels.rowScalar(op, a, ai + i, 1, b, bi + i, 1, o, oi + i, n - i);
        } else if (sa == 1) {
            FloatVector vb = FloatVector.broadcast(S, b[bi]);
            for (; i < bound; i += l) {
                apply(op, FloatVector.fromArray(S, a, ai + i), vb).intoArray(o, oi + i);
            }
            BinaryKernels.rowScalar(op, a, ai + i, 1, b, bi, 0, o, oi + i, n - i);
        } else {
            FloatVector va = FloatVector.broadcast(S, a[ai]);
            for (; i < bound; i += l) {
                apply(op, va, FloatVector.fromArray(S, b, bi + i)).intoArray(o, oi + i);
            }
            BinaryKernels.rowScalar(op, a, ai, 0, b, bi + i, 1, o, oi + i, n - i);
        }
        return true;
    }

    private static FloatVector apply(BinaryOp op, FloatVector x, FloatVector y) {
        return switch (op) {
            case ADD -> x.add(y);
            case SUB -> x.sub(y);
            case MUL -> x.mul(y);
            case DIV -> x.div(y);
            case MAX -> x.max(y);
            case MIN -> x.min(y);
            case EQ -> ZERO.blend(ONE, x.compare(VectorOperators.EQ, y));
            case NE -> ZERO.blend(ONE, x.compare(VectorOperators.NE, y));
            case LT -> ZERO.blend(ONE, x.compare(VectorOperators.LT, y));
            case LE -> ZERO.blend(ONE, x.compare(VectorOperators.LE, y));
            case GT -> ZERO.blend(ONE, x.compare(VectorOperators.GT, y));
            case GE -> ZERO.blend(ONE, x.compare(VectorOperators.GE, y));
            case POW -> throw new AssertionError(op);
        };
    }
}
