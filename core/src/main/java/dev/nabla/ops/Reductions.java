package dev.nabla.ops;

import dev.nabla.Shape;
import dev.nabla.Tensor;
import dev.nabla.autograd.Function;
import dev.nabla.autograd.Node;
import dev.nabla.autograd.SavedTensor;
import dev.nabla.backend.ReduceOp;
import java.util.Arrays;

/**
 * Every reduction of the {@link ReduceOp} table over a set of axes. Backward reshapes the
 * gradient to the input's rank (reduced axes kept as 1) and runs the table's rule.
 */
public final class Reductions {
    private Reductions() {
    }

    /** {@code op} over {@code axes} of {@code x}, recorded for autograd. */
    public static Tensor reduce(ReduceOp op, Tensor x, int[] axes, boolean keepDim) {
        String name = op.opName();
        int[] ax = NoGradOps.axes(name, x.shape(), axes);
        Tensor y = NoGradOps.reduce(name, op, x, ax, keepDim);
        return Node.record(y, new Reduction(op, x, y, ax), x);
    }

    /**
     * Sums {@code x} down to {@code target}, the shape it was broadcast from: leading axes that
     * broadcasting added, and axes where {@code target} has 1, are summed.
     */
    public static Tensor sumTo(Tensor x, Shape target) {
        if (x.shape().equals(target)) {
            return x;
        }
        if (!target.broadcastsTo(x.shape())) {
            throw new IllegalArgumentException("sumTo: " + x.shape() + " was not broadcast from " + target);
        }
        int lead = x.rank() - target.rank();
        int[] ax = new int[x.rank()];
        int count = 0;
        for (int i = 0; i < x.rank(); i++) {
            if (i < lead || (target.dim(i - lead) == 1 && x.dim(i) != 1)) {
                ax[count++] = i;
            }
        }
        return reduce(ReduceOp.SUM, x, Arrays.copyOf(ax, count), true).reshape(target.dims());
    }

    private static final class Reduction extends Function {
        private final ReduceOp op;
        private final int[] axes;
        private final int[] inputDims;
        private final int[] keptDims;
        private final long count;
        private final SavedTensor x;
        private final SavedTensor y;

        Reduction(ReduceOp op, Tensor x, Tensor y, int[] axes) {
            this.op = op;
            this.axes = axes;
            this.inputDims = x.dims();
            Shape kept = NoGradOps.reducedShape(x.shape(), axes, true);
            this.keptDims = kept.dims();
            this.count = kept.numel() == 0 ? 0 : x.numel() / kept.numel();
            this.x = save(op.savesValues() ? x : null);
            this.y = save(op.savesValues() ? y : null);
        }

        @Override
        public String name() {
            return op.opName();
        }

        @Override
        public Tensor[] backward(Tensor g) {
            Tensor out = y.get();
            return new Tensor[] {op.backward(g.reshape(keptDims), x.get(), out == null ? null : out.reshape(keptDims),
                    inputDims, axes, count)};
        }
    }
}
