package dev.nabla.ops;

import dev.nabla.Tensor;
import dev.nabla.autograd.Function;
import dev.nabla.autograd.Node;
import dev.nabla.autograd.SavedTensor;
import dev.nabla.backend.BinaryOp;

/**
 * Every broadcasting binary op of the {@link BinaryOp} table. Backward runs the table's rule for
 * each operand that needs a gradient, then sums it over the axes that operand was broadcast along
 * ({@link Tensor#sumTo}), the adjoint of broadcasting. Comparisons record nothing.
 */
public final class Arithmetic {
    private Arithmetic() {
    }

    /** {@code op(a, b)} with broadcasting, recorded for autograd unless {@code op} is a comparison. */
    public static Tensor apply(BinaryOp op, Tensor a, Tensor b) {
        if (op.isComparison()) {
            return NoGradOps.binary(op, a, b);
        }
        NoGradOps.floating(op.opName(), a);
        Tensor out = NoGradOps.binary(op, a, b);
        return Node.record(out, new Broadcasting(op, a, b, out), a, b);
    }

    private static final class Broadcasting extends Function {
        private final BinaryOp op;
        private final SavedTensor a;
        private final SavedTensor b;
        private final SavedTensor out;
        private final boolean aNeedsGrad;
        private final boolean bNeedsGrad;
        private final dev.nabla.Shape aShape;
        private final dev.nabla.Shape bShape;

        Broadcasting(BinaryOp op, Tensor a, Tensor b, Tensor out) {
            this.op = op;
            boolean operands = op.saves() != BinaryOp.Saves.NOTHING;
            this.a = save(operands ? a : null);
            this.b = save(operands ? b : null);
            this.out = save(op.saves() == BinaryOp.Saves.ALL ? out : null);
            this.aNeedsGrad = a.requiresGrad();
            this.bNeedsGrad = b.requiresGrad();
            this.aShape = a.shape();
            this.bShape = b.shape();
        }

        @Override
        public String name() {
            return op.opName();
        }

        @Override
        public Tensor[] backward(Tensor g) {
            Tensor av = a.get(), bv = b.get(), o = out.get();
            Tensor ga = aNeedsGrad ? op.backwardA(g, av, bv, o).sumTo(aShape) : null;
            Tensor gb = bNeedsGrad ? op.backwardB(g, av, bv, o).sumTo(bShape) : null;
            return new Tensor[] {ga, gb};
        }
    }
}
