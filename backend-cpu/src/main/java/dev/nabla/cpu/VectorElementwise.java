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
 *
 * <p>One small method per op, with its constants made locally: one method holding every op's
 * loop, with vector constants in static fields, ran the ReLU gradient three times slower (C2
 * compiled the big method worse and reloaded the constants every iteration).
 */
final class VectorElementwise {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

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
        int i = switch (op) {
            case NEG -> neg(x, xo, y, yo, n);
            case ABS -> abs(x, xo, y, yo, n);
            case RELU -> relu(x, xo, y, yo, n);
            case LEAKY_RELU -> leakyRelu(p, x, xo, y, yo, n);
            case SCALE -> scale(p, x, xo, y, yo, n);
            case ADD_SCALAR -> addScalar(p, x, xo, y, yo, n);
            case SQUARE -> square(x, xo, y, yo, n);
            case RECIPROCAL -> reciprocal(x, xo, y, yo, n);
            default -> throw new AssertionError(op);
        };
        UnaryKernels.applyScalar(op, p, x, xo + i, y, yo + i, n - i);
    }

    private static int neg(float[] x, int xo, float[] y, int yo, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += S.length()) {
            FloatVector.fromArray(S, x, xo + i).neg().intoArray(y, yo + i);
        }
        return i;
    }

    private static int abs(float[] x, int xo, float[] y, int yo, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += S.length()) {
            FloatVector.fromArray(S, x, xo + i).abs().intoArray(y, yo + i);
        }
        return i;
    }

    private static int relu(float[] x, int xo, float[] y, int yo, int n) {
        FloatVector zero = FloatVector.zero(S);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += S.length()) {
            FloatVector v = FloatVector.fromArray(S, x, xo + i);
            zero.blend(v, v.compare(VectorOperators.GT, zero)).intoArray(y, yo + i);
        }
        return i;
    }

    private static int leakyRelu(float p, float[] x, int xo, float[] y, int yo, int n) {
        FloatVector zero = FloatVector.zero(S);
        FloatVector slope = FloatVector.broadcast(S, p);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += S.length()) {
            FloatVector v = FloatVector.fromArray(S, x, xo + i);
            v.mul(slope).blend(v, v.compare(VectorOperators.GT, zero)).intoArray(y, yo + i);
        }
        return i;
    }

    private static int scale(float p, float[] x, int xo, float[] y, int yo, int n) {
        FloatVector f = FloatVector.broadcast(S, p);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += S.length()) {
            FloatVector.fromArray(S, x, xo + i).mul(f).intoArray(y, yo + i);
        }
        return i;
    }

    private static int addScalar(float p, float[] x, int xo, float[] y, int yo, int n) {
        FloatVector f = FloatVector.broadcast(S, p);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += S.length()) {
            FloatVector.fromArray(S, x, xo + i).add(f).intoArray(y, yo + i);
        }
        return i;
    }

    private static int square(float[] x, int xo, float[] y, int yo, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += S.length()) {
            FloatVector v = FloatVector.fromArray(S, x, xo + i);
            v.mul(v).intoArray(y, yo + i);
        }
        return i;
    }

    private static int reciprocal(float[] x, int xo, float[] y, int yo, int n) {
        FloatVector one = FloatVector.broadcast(S, 1f);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += S.length()) {
            one.div(FloatVector.fromArray(S, x, xo + i)).intoArray(y, yo + i);
        }
        return i;
    }

    /** One op's gradient loop over whole vectors; returns how many elements it did. */
    @FunctionalInterface
    private interface GradientLoop {
        int run(float p, float[] x, int xo, float[] y, int yo, float[] dy, int dyo, float[] dx, int dxo, int n);
    }

    /**
     * The gradient loops by op ordinal (null: left to the scalar loop). A table rather than a
     * switch: with every loop inlined into one dispatching method, C2 compiled that method so
     * badly that the ReLU gradient ran at half speed (3.7 us instead of 2.0 for 30K floats).
     */
    private static final GradientLoop[] GRADIENTS = gradients();

    private static GradientLoop[] gradients() {
        GradientLoop[] g = new GradientLoop[UnaryOp.values().length];
        g[UnaryOp.NEG.ordinal()] = (p, x, xo, y, yo, dy, dyo, dx, dxo, n) -> neg(dy, dyo, dx, dxo, n);
        g[UnaryOp.EXP.ordinal()] = (p, x, xo, y, yo, dy, dyo, dx, dxo, n) -> times(dy, dyo, y, yo, dx, dxo, n);
        g[UnaryOp.LOG.ordinal()] = (p, x, xo, y, yo, dy, dyo, dx, dxo, n) -> over(dy, dyo, x, xo, dx, dxo, n);
        g[UnaryOp.SQRT.ordinal()] = (p, x, xo, y, yo, dy, dyo, dx, dxo, n) -> sqrtGrad(dy, dyo, y, yo, dx, dxo, n);
        g[UnaryOp.RELU.ordinal()] = (p, x, xo, y, yo, dy, dyo, dx, dxo, n) -> reluGrad(x, xo, dy, dyo, dx, dxo, n);
        g[UnaryOp.LEAKY_RELU.ordinal()] =
            (p, x, xo, y, yo, dy, dyo, dx, dxo, n) -> leakyReluGrad(p, x, xo, dy, dyo, dx, dxo, n);
        g[UnaryOp.ABS.ordinal()] = (p, x, xo, y, yo, dy, dyo, dx, dxo, n) -> absGrad(x, xo, dy, dyo, dx, dxo, n);
        g[UnaryOp.SIGN.ordinal()] = (p, x, xo, y, yo, dy, dyo, dx, dxo, n) -> scale(0f, dy, dyo, dx, dxo, n);
        g[UnaryOp.SIGMOID.ordinal()] = (p, x, xo, y, yo, dy, dyo, dx, dxo, n) -> sigmoidGrad(dy, dyo, y, yo, dx, dxo, n);
        g[UnaryOp.TANH.ordinal()] = (p, x, xo, y, yo, dy, dyo, dx, dxo, n) -> tanhGrad(dy, dyo, y, yo, dx, dxo, n);
        g[UnaryOp.SCALE.ordinal()] = (p, x, xo, y, yo, dy, dyo, dx, dxo, n) -> scale(p, dy, dyo, dx, dxo, n);
        g[UnaryOp.ADD_SCALAR.ordinal()] = (p, x, xo, y, yo, dy, dyo, dx, dxo, n) -> copy(dy, dyo, dx, dxo, n);
        g[UnaryOp.RECIPROCAL.ordinal()] =
            (p, x, xo, y, yo, dy, dyo, dx, dxo, n) -> reciprocalGrad(dy, dyo, y, yo, dx, dxo, n);
        g[UnaryOp.SQUARE.ordinal()] = (p, x, xo, y, yo, dy, dyo, dx, dxo, n) -> squareGrad(dy, dyo, x, xo, dx, dxo, n);
        return g;
    }

    /**
     * {@code dx = dy · op'(x, y)} like {@link UnaryKernels#gradient}; false for POW (left to it).
     * Where the scalar loop multiplies by a derivative in double ({@code ReLU}: 0 or 1), the float
     * product here is the same number: a product of two floats is exact in double.
     */
    static boolean gradient(UnaryOp op, float p, float[] x, int xo, float[] y, int yo, float[] dy, int dyo,
                            float[] dx, int dxo, int n) {
        GradientLoop loop = GRADIENTS[op.ordinal()];
        if (loop == null) {
            return false;
        }
        int i = loop.run(p, x, xo, y, yo, dy, dyo, dx, dxo, n);
        if (i < n) {
            UnaryKernels.gradientScalar(op, p, x, xo + i, y, yo + i, dy, dyo + i, dx, dxo + i, n - i);
        }
        return true;
    }

    private static int times(float[] a, int ao, float[] b, int bo, float[] o, int oo, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += S.length()) {
            FloatVector.fromArray(S, a, ao + i).mul(FloatVector.fromArray(S, b, bo + i)).intoArray(o, oo + i);
        }
        return i;
    }

    private static int over(float[] a, int ao, float[] b, int bo, float[] o, int oo, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += S.length()) {
            FloatVector.fromArray(S, a, ao + i).div(FloatVector.fromArray(S, b, bo + i)).intoArray(o, oo + i);
        }
        return i;
    }

    private static int copy(float[] a, int ao, float[] o, int oo, int n) {
        int i = S.loopBound(n);
        System.arraycopy(a, ao, o, oo, i);
        return i;
    }

    private static int sqrtGrad(float[] dy, int dyo, float[] y, int yo, float[] dx, int dxo, int n) {
        FloatVector half = FloatVector.broadcast(S, 0.5f);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += S.length()) {
            FloatVector.fromArray(S, dy, dyo + i).mul(half.div(FloatVector.fromArray(S, y, yo + i)))
                    .intoArray(dx, dxo + i);
        }
        return i;
    }

    private static int reluGrad(float[] x, int xo, float[] dy, int dyo, float[] dx, int dxo, int n) {
        FloatVector zero = FloatVector.zero(S);
        FloatVector one = FloatVector.broadcast(S, 1f);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += S.length()) {
            VectorMask<Float> pos = FloatVector.fromArray(S, x, xo + i).compare(VectorOperators.GT, zero);
            FloatVector.fromArray(S, dy, dyo + i).mul(zero.blend(one, pos)).intoArray(dx, dxo + i);
        }
        return i;
    }

    private static int leakyReluGrad(float p, float[] x, int xo, float[] dy, int dyo, float[] dx, int dxo, int n) {
        FloatVector zero = FloatVector.zero(S);
        FloatVector one = FloatVector.broadcast(S, 1f);
        FloatVector slope = FloatVector.broadcast(S, p);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += S.length()) {
            VectorMask<Float> pos = FloatVector.fromArray(S, x, xo + i).compare(VectorOperators.GT, zero);
            FloatVector.fromArray(S, dy, dyo + i).mul(slope.blend(one, pos)).intoArray(dx, dxo + i);
        }
        return i;
    }

    private static int absGrad(float[] x, int xo, float[] dy, int dyo, float[] dx, int dxo, int n) {
        FloatVector zero = FloatVector.zero(S);
        FloatVector one = FloatVector.broadcast(S, 1f);
        FloatVector minusOne = FloatVector.broadcast(S, -1f);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += S.length()) {
            FloatVector v = FloatVector.fromArray(S, x, xo + i);
            FloatVector d = zero.blend(one, v.compare(VectorOperators.GT, zero))
                    .blend(minusOne, v.compare(VectorOperators.LT, zero));
            FloatVector.fromArray(S, dy, dyo + i).mul(d).intoArray(dx, dxo + i);
        }
        return i;
    }

    private static int sigmoidGrad(float[] dy, int dyo, float[] y, int yo, float[] dx, int dxo, int n) {
        FloatVector one = FloatVector.broadcast(S, 1f);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += S.length()) {
            FloatVector v = FloatVector.fromArray(S, y, yo + i);
            FloatVector.fromArray(S, dy, dyo + i).mul(v).mul(one.sub(v)).intoArray(dx, dxo + i);
        }
        return i;
    }

    private static int tanhGrad(float[] dy, int dyo, float[] y, int yo, float[] dx, int dxo, int n) {
        FloatVector one = FloatVector.broadcast(S, 1f);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += S.length()) {
            FloatVector v = FloatVector.fromArray(S, y, yo + i);
            FloatVector.fromArray(S, dy, dyo + i).mul(one.sub(v.mul(v))).intoArray(dx, dxo + i);
        }
        return i;
    }

    private static int reciprocalGrad(float[] dy, int dyo, float[] y, int yo, float[] dx, int dxo, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += S.length()) {
            FloatVector v = FloatVector.fromArray(S, y, yo + i);
            FloatVector.fromArray(S, dy, dyo + i).neg().mul(v).mul(v).intoArray(dx, dxo + i);
        }
        return i;
    }

    private static int squareGrad(float[] dy, int dyo, float[] x, int xo, float[] dx, int dxo, int n) {
        FloatVector two = FloatVector.broadcast(S, 2f);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += S.length()) {
            FloatVector.fromArray(S, dy, dyo + i).mul(two).mul(FloatVector.fromArray(S, x, xo + i))
                    .intoArray(dx, dxo + i);
        }
        return i;
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
