package dev.nabla.ops;

import dev.nabla.Tensor;
import dev.nabla.autograd.Function;
import dev.nabla.autograd.Node;
import dev.nabla.autograd.SavedTensor;
import dev.nabla.backend.UnaryOp;

/**
 * Elementwise functions {@code y = f(x)}. Their backward is {@code dx = dy · f'(x)}, computed by
 * the backend's fused {@code unaryGrad} kernel; each derivative is written beside its function in
 * {@link UnaryOp} (e.g. sigmoid: {@code y·(1-y)}, tanh: {@code 1-y²}, relu: {@code x > 0}).
 */
public final class Unary {
    private Unary() {
    }

    /** {@code f(x, param)} with gradient {@code g · f'(x)}. */
    public static Tensor apply(UnaryOp op, double param, Tensor x) {
        Tensor y = Kernels.unary(op, param, x);
        return Node.record(y, new Elementwise(op, param, x, y), x);
    }

    public static Tensor neg(Tensor x) {
        return apply(UnaryOp.NEG, 0, x);
    }

    public static Tensor exp(Tensor x) {
        return apply(UnaryOp.EXP, 0, x);
    }

    public static Tensor log(Tensor x) {
        return apply(UnaryOp.LOG, 0, x);
    }

    public static Tensor sqrt(Tensor x) {
        return apply(UnaryOp.SQRT, 0, x);
    }

    public static Tensor abs(Tensor x) {
        return apply(UnaryOp.ABS, 0, x);
    }

    public static Tensor relu(Tensor x) {
        return apply(UnaryOp.RELU, 0, x);
    }

    public static Tensor leakyRelu(Tensor x, double slope) {
        return apply(UnaryOp.LEAKY_RELU, slope, x);
    }

    public static Tensor sigmoid(Tensor x) {
        return apply(UnaryOp.SIGMOID, 0, x);
    }

    public static Tensor tanh(Tensor x) {
        return apply(UnaryOp.TANH, 0, x);
    }

    public static Tensor pow(Tensor x, double exponent) {
        return apply(UnaryOp.POW, exponent, x);
    }

    public static Tensor square(Tensor x) {
        return apply(UnaryOp.SQUARE, 0, x);
    }

    public static Tensor reciprocal(Tensor x) {
        return apply(UnaryOp.RECIPROCAL, 0, x);
    }

    public static Tensor scale(Tensor x, double factor) {
        return apply(UnaryOp.SCALE, factor, x);
    }

    public static Tensor addScalar(Tensor x, double value) {
        return apply(UnaryOp.ADD_SCALAR, value, x);
    }

    private static final class Elementwise extends Function {
        private final UnaryOp op;
        private final double param;
        private final SavedTensor x;
        private final SavedTensor y;

        Elementwise(UnaryOp op, double param, Tensor x, Tensor y) {
            this.op = op;
            this.param = param;
            this.x = save(x);
            this.y = save(y);
        }

        @Override
        public String name() {
            return op.name().toLowerCase(java.util.Locale.ROOT);
        }

        @Override
        public Tensor[] backward(Tensor g) {
            return new Tensor[] {Kernels.unaryGrad(op, param, x.get(), y.get(), g)};
        }
    }
}
