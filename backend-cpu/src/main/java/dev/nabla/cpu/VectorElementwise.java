package dev.nabla.cpu;

import dev.nabla.backend.UnaryOp;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Float32 unary kernels and their gradients on the Vector API ({@link VectorBinary} has the binary
 * ones). The forward loops give the same bits as the scalar references of {@link UnaryKernels}; the
 * last partial vector goes through zero-padded copies, so there is no second, scalar version of any
 * loop here. C2 does not vectorise the scalar loops by itself (their
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

    /** {@code y = op(x, p)}: whole vectors, then the tail through zero-padded vectors. */
    static void unary(UnaryOp op, float p, float[] x, int xo, float[] y, int yo, int n) {
        int i = unaryLoop(op, p, x, xo, y, yo, n);
        if (i < n) {
            int tail = n - i;
            float[] xt = new float[S.length()];
            float[] yt = new float[S.length()];
            System.arraycopy(x, xo + i, xt, 0, tail);
            unaryLoop(op, p, xt, 0, yt, 0, S.length());
            System.arraycopy(yt, 0, y, yo + i, tail);
        }
    }

    private static int unaryLoop(UnaryOp op, float p, float[] x, int xo, float[] y, int yo, int n) {
        return switch (op) {
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
     * Fused {@code dx = dy · op'(x, y)} for the ops with a loop here (false for the others: core then
     * runs the op's backward rule): whole vectors, then the tail through zero-padded vectors, so
     * every element goes through the same lane arithmetic. The contract suite holds these equal to
     * the backward rules of the op table.
     */
    /** Whether {@link #gradient} has a loop for {@code op}. */
    static boolean hasGradient(UnaryOp op) {
        return GRADIENTS[op.ordinal()] != null;
    }

    static boolean gradient(UnaryOp op, float p, float[] x, int xo, float[] y, int yo, float[] dy, int dyo,
                            float[] dx, int dxo, int n) {
        GradientLoop loop = GRADIENTS[op.ordinal()];
        if (loop == null) {
            return false;
        }
        int i = loop.run(p, x, xo, y, yo, dy, dyo, dx, dxo, n);
        if (i < n) {
            int tail = n - i;
            int len = S.length();
            float[] xt = new float[len];
            float[] yt = new float[len];
            float[] dyt = new float[len];
            float[] dxt = new float[len];
            System.arraycopy(x, xo + i, xt, 0, tail);
            System.arraycopy(y, yo + i, yt, 0, tail);
            System.arraycopy(dy, dyo + i, dyt, 0, tail);
            loop.run(p, xt, 0, yt, 0, dyt, 0, dxt, 0, len);
            System.arraycopy(dxt, 0, dx, dxo + i, tail);
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
}
