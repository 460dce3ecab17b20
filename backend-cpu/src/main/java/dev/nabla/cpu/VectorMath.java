package dev.nabla.cpu;

import dev.nabla.backend.BinaryOp;
import dev.nabla.backend.ReduceOp;
import dev.nabla.backend.UnaryOp;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link SimdLoops} on the Vector API, float32 only: {@code exp} (and through it sigmoid, softmax
 * and cross-entropy) and {@code sqrt} here, the arithmetic loops in {@link VectorElementwise},
 * {@link VectorBinary}, {@link VectorReductions}, {@link VectorTraining} and {@link SmallGemm}.
 * Loaded only after {@link CpuKernels} has seen {@code jdk.incubator.vector} in the boot layer.
 *
 * <p>{@code exp} is computed here from additions, multiplications and FMAs, not with the Vector
 * API's {@code EXP}: that one runs a vectorised library routine once C2 has compiled the loop and
 * a per-lane {@code Math.exp} before, and the two differ in the last bit, so the same call would
 * give different bits early and late in a run. Basic IEEE operations give the same bits in every
 * tier, which keeps results reproducible. Float64 and the other functions stay on {@link Math}.
 */
final class VectorMath extends SimdLoops {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final float LOG2E = 1.44269504088896341f;
    /** ln 2 split so that {@code n·LN2_HI} is exact for the n that occur (Cody and Waite). */
    private static final float LN2_HI = 0.693359375f;
    private static final float LN2_LO = -2.12194440e-4f;
    /** 1.5·2^23: adding it rounds to an integer, and the low bits of the sum are that integer. */
    private static final float ROUND = 12582912f;
    private static final float MAX_X = 88.72283935546875f;
    private static final float MIN_X = -103.97208f;

    VectorMath() {
        super("vector " + S);
    }

    /**
     * {@code e^x} for every lane, within ~2 ulp of {@link Math#exp}: {@code x = n·ln2 + r} with
     * {@code |r| <= ln2/2}, a degree-6 minimax polynomial (Cephes {@code expf}) for {@code e^r},
     * and {@code 2^n} applied as two exact powers of two so that subnormal results work too.
     * Overflow gives +inf, underflow 0, NaN stays NaN.
     */
    static FloatVector exp(FloatVector x) {
        FloatVector xc = x.max(MIN_X).min(MAX_X);
        FloatVector t = xc.mul(LOG2E).add(ROUND);
        FloatVector n = t.sub(ROUND);
        IntVector ni = t.reinterpretAsInts().sub(Float.floatToRawIntBits(ROUND));
        FloatVector r = n.mul(-LN2_HI).add(xc);
        r = n.mul(-LN2_LO).add(r);
        FloatVector p = FloatVector.broadcast(S, 1.9875691500e-4f);
        p = p.fma(r, FloatVector.broadcast(S, 1.3981999507e-3f));
        p = p.fma(r, FloatVector.broadcast(S, 8.3334519073e-3f));
        p = p.fma(r, FloatVector.broadcast(S, 4.1665795894e-2f));
        p = p.fma(r, FloatVector.broadcast(S, 1.6666665459e-1f));
        p = p.fma(r, FloatVector.broadcast(S, 5.0000001201e-1f));
        FloatVector e = p.mul(r.mul(r)).add(r).add(1f);
        IntVector half = ni.lanewise(VectorOperators.ASHR, 1);
        FloatVector scale1 = half.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        FloatVector scale2 = ni.sub(half).add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        e = e.mul(scale1).mul(scale2);
        e = e.blend(Float.POSITIVE_INFINITY, x.compare(VectorOperators.GT, MAX_X));
        return e.blend(0f, x.compare(VectorOperators.LT, MIN_X));
    }

    private static boolean accelerated(UnaryOp op) {
        return op == UnaryOp.EXP || op == UnaryOp.SIGMOID || op == UnaryOp.SQRT;
    }

    private static FloatVector apply(UnaryOp op, FloatVector v) {
        return switch (op) {
            case EXP -> exp(v);
            case SQRT -> v.lanewise(VectorOperators.SQRT);
            case SIGMOID -> FloatVector.broadcast(S, 1f).div(exp(v.neg()).add(1f));
            default -> throw new AssertionError(op);
        };
    }

    /**
     * {@link #exp(FloatVector)} for one float: the same IEEE operations in the same order (the
     * vector {@code fma} is {@link Math#fma}), so the same bits as a lane of the vector version,
     * at a fraction of the cost of broadcasting a whole vector for one value (tails, short rows).
     */
    static float expLane(float x) {
        float xc = Math.min(Math.max(x, MIN_X), MAX_X);
        float t = xc * LOG2E + ROUND;
        float n = t - ROUND;
        int ni = Float.floatToRawIntBits(t) - Float.floatToRawIntBits(ROUND);
        float r = n * -LN2_HI + xc;
        r = n * -LN2_LO + r;
        float p = 1.9875691500e-4f;
        p = Math.fma(p, r, 1.3981999507e-3f);
        p = Math.fma(p, r, 8.3334519073e-3f);
        p = Math.fma(p, r, 4.1665795894e-2f);
        p = Math.fma(p, r, 1.6666665459e-1f);
        p = Math.fma(p, r, 5.0000001201e-1f);
        float e = p * (r * r) + r + 1f;
        int half = ni >> 1;
        e = e * Float.intBitsToFloat((half + 127) << 23) * Float.intBitsToFloat((ni - half + 127) << 23);
        if (x > MAX_X) {
            e = Float.POSITIVE_INFINITY;
        }
        return x < MIN_X ? 0f : e;
    }

    /** The scalar formula of the vector path, for tails shorter than a vector (same bits as a full lane). */
    private static float applyLane(UnaryOp op, float x) {
        return switch (op) {
            case EXP -> expLane(x);
            case SQRT -> (float) Math.sqrt(x);
            case SIGMOID -> 1f / (expLane(-x) + 1f);
            default -> throw new AssertionError(op);
        };
    }

    @Override
    int lanes() {
        return S.length();
    }

    @Override
    boolean unary(UnaryOp op, float p, float[] x, int xo, float[] y, int yo, int n) {
        if (VectorElementwise.hasUnary(op)) {
            VectorElementwise.unary(op, p, x, xo, y, yo, n);
            return true;
        }
        if (!accelerated(op)) {
            return false;
        }
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += S.length()) {
            apply(op, FloatVector.fromArray(S, x, xo + i)).intoArray(y, yo + i);
        }
        for (; i < n; i++) {
            y[yo + i] = applyLane(op, x[xo + i]);
        }
        return true;
    }

    @Override
    boolean unary(UnaryOp op, double p, double[] x, int xo, double[] y, int yo, int n) {
        return false;
    }

    @Override
    boolean fusesGradient(UnaryOp op) {
        return VectorElementwise.hasGradient(op);
    }

    @Override
    boolean unaryGrad(UnaryOp op, float p, float[] x, int xo, float[] y, int yo, float[] dy, int dyo, float[] dx,
                      int dxo, int n) {
        return VectorElementwise.gradient(op, p, x, xo, y, yo, dy, dyo, dx, dxo, n);
    }

    @Override
    boolean binary(BinaryOp op, float[] a, int ai, int sa, float[] b, int bi, int sb, float[] o, int oi, int n) {
        return VectorBinary.binary(op, a, ai, sa, b, bi, sb, o, oi, n);
    }

    @Override
    boolean binaryRows(BinaryOp op, float[] a, int ai, int ra, float[] b, int bi, int rb, float[] o, int oi, int n,
                       int rows) {
        return VectorBinary.binaryRows(op, a, ai, ra, b, bi, rb, o, oi, n, rows);
    }

    @Override
    float max(float[] x, int xo, int n) {
        int i = 0;
        float m = Float.NEGATIVE_INFINITY;
        int bound = S.loopBound(n);
        if (bound > 0) {
            FloatVector acc = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
            for (; i < bound; i += S.length()) {
                acc = acc.max(FloatVector.fromArray(S, x, xo + i));
            }
            m = acc.reduceLanes(VectorOperators.MAX);
        }
        for (; i < n; i++) {
            m = Math.max(m, x[xo + i]);
        }
        return m;
    }

    @Override
    float min(float[] x, int xo, int n) {
        int i = 0;
        float m = Float.POSITIVE_INFINITY;
        int bound = S.loopBound(n);
        if (bound > 0) {
            FloatVector acc = FloatVector.broadcast(S, Float.POSITIVE_INFINITY);
            for (; i < bound; i += S.length()) {
                acc = acc.min(FloatVector.fromArray(S, x, xo + i));
            }
            m = acc.reduceLanes(VectorOperators.MIN);
        }
        for (; i < n; i++) {
            m = Math.min(m, x[xo + i]);
        }
        return m;
    }

    @Override
    boolean gemm(boolean ta, boolean tb, int m, int n, int k, float alpha, float[] a, int aOff, int lda, float[] b,
                 int bOff, int ldb, float beta, float[] c, int cOff, int ldc, int mr, int nr) {
        if (!SmallGemm.suits(m, n, k, mr, nr)) {
            return false;
        }
        SmallGemm.gemm(ta, tb, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
        return true;
    }

    @Override
    boolean reduceRows(ReduceOp op, float[] x, int xo, int extent, int inner, float[] out, int oo) {
        float identity = switch (op) {
            case SUM, MEAN -> 0f;
            case MAX -> Float.NEGATIVE_INFINITY;
            case MIN -> Float.POSITIVE_INFINITY;
        };
        int j = switch (op) {
            case SUM, MEAN -> VectorReductions.sumRows(x, xo, extent, inner, out, oo);
            case MAX -> VectorReductions.maxRows(x, xo, extent, inner, out, oo);
            case MIN -> VectorReductions.minRows(x, xo, extent, inner, out, oo);
        };
        for (; j < inner; j++) {
            float acc = identity;
            for (int e = 0; e < extent; e++) {
                float v = x[xo + e * inner + j];
                acc = switch (op) {
                    case SUM, MEAN -> acc + v;
                    case MAX -> Math.max(acc, v);
                    case MIN -> Math.min(acc, v);
                };
            }
            out[oo + j] = acc;
        }
        return true;
    }

    @Override
    boolean sgd(float[] p, int po, float[] g, int go, float[] v, int vo, int from, int to, double lr,
                double momentum, double dampening, double wd, boolean nesterov, boolean first) {
        VectorTraining.sgd(p, po, g, go, v, vo, from, to, lr, momentum, dampening, wd, nesterov, first);
        return true;
    }

    @Override
    boolean adam(float[] p, int po, float[] g, int go, float[] m, int mo, float[] v, int vo, int from, int to,
                 double lr, double b1, double b2, double eps, double wd, boolean decoupled, long step) {
        VectorTraining.adam(p, po, g, go, m, mo, v, vo, from, to, lr, b1, b2, eps, wd, decoupled, step);
        return true;
    }

    @Override
    double max(double[] x, int xo, int n) {
        return SCALAR.max(x, xo, n);
    }

    @Override
    double expShifted(float[] x, int xo, float shift, float[] y, int yo, int n) {
        int i = 0;
        FloatVector sum = FloatVector.zero(S);
        for (int bound = S.loopBound(n); i < bound; i += S.length()) {
            FloatVector e = exp(FloatVector.fromArray(S, x, xo + i).sub(shift));
            if (y != null) {
                e.intoArray(y, yo + i);
            }
            sum = sum.add(e);
        }
        double total = sum.reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            float e = applyLane(UnaryOp.EXP, x[xo + i] - shift);
            if (y != null) {
                y[yo + i] = e;
            }
            total += e;
        }
        return total;
    }

    @Override
    double expShifted(double[] x, int xo, double shift, double[] y, int yo, int n) {
        return SCALAR.expShifted(x, xo, shift, y, yo, n);
    }
}
