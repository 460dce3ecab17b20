package dev.nabla.ops;

import dev.nabla.Tensor;
import dev.nabla.autograd.Function;
import dev.nabla.autograd.Node;
import dev.nabla.autograd.SavedTensor;
import dev.nabla.backend.UnaryOp;

/**
 * Every elementwise function {@code y = f(x)} of the {@link UnaryOp} table: the forward is the
 * backend's {@code unary} kernel; backward is the backend's fused derivative kernel when it has
 * one, else the op's backward rule from the table.
 */
public final class Unary {
    private Unary() {
    }

    /** {@code f(x, param)} recorded for autograd. */
    public static Tensor apply(UnaryOp op, double param, Tensor x) {
        Tensor y = NoGradOps.unary(op, param, x);
        return Node.record(y, new Elementwise(op, param, x, y), x);
    }

    /** {@code f'(x)·g} for the output {@code y = f(x)} made by {@link #apply}: fused when the backend can. */
    static Tensor gradient(UnaryOp op, double param, Tensor x, Tensor y, Tensor g) {
        Tensor fused = NoGradOps.fusedUnaryGrad(op, param, x, y, g);
        return fused != null ? fused : op.backward(g, x, y, param);
    }

    private static final class Elementwise extends Function {
        private final UnaryOp op;
        private final double param;
        private final SavedTensor x;
        private final SavedTensor y;

        Elementwise(UnaryOp op, double param, Tensor x, Tensor y) {
            this.op = op;
            this.param = param;
            this.x = save(op.saves() == UnaryOp.Saves.INPUT ? x : null);
            this.y = save(op.saves() == UnaryOp.Saves.OUTPUT ? y : null);
        }

        @Override
        public String name() {
            return op.opName();
        }

        @Override
        public Tensor[] backward(Tensor g) {
            return new Tensor[] {gradient(op, param, x.get(), y.get(), g)};
        }
    }
}
