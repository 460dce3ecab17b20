package dev.nabla.ops;

import dev.nabla.Shape;
import dev.nabla.Tensor;
import dev.nabla.autograd.Function;
import dev.nabla.autograd.Node;
import dev.nabla.autograd.SavedTensor;
import dev.nabla.backend.UnaryOp;

/**
 * A dense layer in one op: {@code y = f(x·W + b)} for {@code x [m, in]}, {@code W [in, out]}, an
 * optional bias {@code [out]} and an optional activation {@code f} (ReLU, sigmoid or tanh).
 *
 * <p>Forward writes the bias into the output rows and lets GEMM add the product to it
 * ({@code beta = 1}), then applies {@code f} in place: one output tensor instead of three, and no
 * separate pass for the bias (the GEMM had to fill its output with zeros anyway). The bias is
 * therefore added before the products rather than after, which rounds differently from
 * {@code x.matmul(W).add(b)} in the last bits.
 *
 * <p>Backward, written with tensor ops like every op's: {@code dz = dy·f'(z)} from the output alone
 * (ReLU: {@code y > 0} exactly when {@code z > 0}; sigmoid {@code y(1-y)}; tanh {@code 1-y²}), then
 * {@code dx = dz·Wᵀ}, {@code dW = xᵀ·dz}, {@code db = Σ_rows dz}.
 */
public final class FusedLinear {
    private FusedLinear() {
    }

    /** Whether {@code f} can be fused: its derivative must be computable from its output. */
    public static boolean fusible(UnaryOp f) {
        return f == null || f == UnaryOp.RELU || f == UnaryOp.SIGMOID || f == UnaryOp.TANH;
    }

    /**
     * {@code f(x·W + b)}; {@code bias} and {@code activation} may be null. Inputs of other ranks than
     * 2 go through the unfused ops (same result up to rounding).
     *
     * @throws IllegalArgumentException for mismatched shapes, devices or dtypes, or an activation
     *                                  that cannot be fused
     */
    public static Tensor apply(Tensor x, Tensor weight, Tensor bias, UnaryOp activation) {
        String op = "linear";
        if (!fusible(activation)) {
            throw new IllegalArgumentException(op + ": activation " + activation + " cannot be fused; use relu, "
                    + "sigmoid or tanh, or apply it after");
        }
        if (bias != null) {
            NoGradOps.sameDevice(op, x, bias);
            NoGradOps.sameDType(op, x, bias);
            if (bias.rank() != 1 || weight.rank() != 2 || bias.dim(0) != weight.dim(1)) {
                throw new IllegalArgumentException(op + ": bias " + bias.shape() + " does not match weight "
                        + weight.shape() + ": need one bias per output column");
            }
        }
        if (x.rank() != 2 || weight.rank() != 2) {
            Tensor y = x.matmul(weight);
            if (bias != null) {
                y = y.add(bias);
            }
            return activation == null ? y : Unary.apply(activation, 0, y);
        }
        NoGradOps.sameDevice(op, x, weight);
        NoGradOps.sameDType(op, x, weight);
        NoGradOps.floating(op, x);
        int m = x.dim(0), k = x.dim(1), n = weight.dim(1);
        if (weight.dim(0) != k) {
            throw new IllegalArgumentException(op + ": " + x.shape() + " @ " + weight.shape() + ": inner dimensions "
                    + k + " and " + weight.dim(0) + " differ");
        }
        Tensor y = NoGradOps.empty(x, Shape.of(m, n));
        double beta = 0;
        if (bias != null) {
            NoGradOps.copyInto(bias, y);
            beta = 1;
        } else if (k == 0) {
            NoGradOps.fill(y, 0);
        }
        MatMul.gemmInto(x, weight, beta, y);
        if (activation != null) {
            NoGradOps.unaryInto(activation, 0, y, y);
        }
        return Node.record(y, new Backward(x, weight, bias, activation, y), x, weight, bias);
    }

    private static final class Backward extends Function {
        private final UnaryOp activation;
        private final SavedTensor x;
        private final SavedTensor weight;
        private final SavedTensor y;
        private final boolean xNeedsGrad;
        private final boolean weightNeedsGrad;
        private final boolean biasNeedsGrad;
        private final Shape biasShape;

        Backward(Tensor x, Tensor weight, Tensor bias, UnaryOp activation, Tensor y) {
            this.x = save(x);
            this.weight = save(weight);
            this.y = activation == null ? null : save(y);
            this.activation = activation;
            this.xNeedsGrad = x.requiresGrad();
            this.weightNeedsGrad = weight.requiresGrad();
            this.biasNeedsGrad = bias != null && bias.requiresGrad();
            this.biasShape = bias == null ? null : bias.shape();
        }

        @Override
        public String name() {
            return activation == null ? "linear" : "linear+" + activation.name().toLowerCase(java.util.Locale.ROOT);
        }

        @Override
        public Tensor[] backward(Tensor g) {
            // f'(z) from y: the kernels read ReLU's derivative from their x argument, sigmoid's and tanh's from y.
            Tensor out = activation == null ? null : y.get();
            Tensor dz = activation == null ? g : Unary.gradient(activation, 0, out, out, g);
            Tensor dx = xNeedsGrad ? dz.matmul(weight.get().transpose()) : null;
            Tensor dw = weightNeedsGrad ? x.get().transpose().matmul(dz) : null;
            Tensor db = biasNeedsGrad ? dz.sumTo(biasShape) : null;
            return new Tensor[] {dx, dw, db};
        }
    }
}
