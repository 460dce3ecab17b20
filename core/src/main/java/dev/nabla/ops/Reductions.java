package dev.nabla.ops;

import dev.nabla.Shape;
import dev.nabla.Tensor;
import dev.nabla.autograd.Function;
import dev.nabla.autograd.Node;
import dev.nabla.autograd.SavedTensor;
import dev.nabla.backend.BinaryOp;
import dev.nabla.backend.ReduceOp;
import java.util.Arrays;

/**
 * Sum, mean, max and min over axes. Backward broadcasts the gradient back over the reduced axes:
 * sum copies it to every element, mean divides it by the count, max/min give it to the elements
 * equal to the result (shared equally among ties).
 */
public final class Reductions {
    private Reductions() {
    }

    public static Tensor sum(Tensor x, int[] axes, boolean keepDim) {
        Tensor y = Kernels.reduce("sum", ReduceOp.SUM, x, axes, keepDim);
        Shape kept = Kernels.reducedShape(x.shape(), Kernels.axes("sum", x.shape(), axes), true);
        int[] in = x.dims();
        return Node.record(y, new Views.Simple("sum", g -> g.reshape(kept.dims()).expand(in)), x);
    }

    public static Tensor mean(Tensor x, int[] axes, boolean keepDim) {
        Tensor y = Kernels.reduce("mean", ReduceOp.MEAN, x, axes, keepDim);
        Shape kept = Kernels.reducedShape(x.shape(), Kernels.axes("mean", x.shape(), axes), true);
        double count = (double) x.numel() / Math.max(1, kept.numel());
        int[] in = x.dims();
        return Node.record(y, new Views.Simple("mean", g -> g.reshape(kept.dims()).mul(1.0 / count).expand(in)), x);
    }

    public static Tensor max(Tensor x, int[] axes, boolean keepDim) {
        return extreme("max", ReduceOp.MAX, x, axes, keepDim);
    }

    public static Tensor min(Tensor x, int[] axes, boolean keepDim) {
        return extreme("min", ReduceOp.MIN, x, axes, keepDim);
    }

    private static Tensor extreme(String name, ReduceOp op, Tensor x, int[] axes, boolean keepDim) {
        int[] ax = Kernels.axes(name, x.shape(), axes);
        Tensor y = Kernels.reduce(name, op, x, ax, keepDim);
        return Node.record(y, new Extreme(name, x, y, ax), x);
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
        return sum(x, Arrays.copyOf(ax, count), true).reshape(target.dims());
    }

    private static final class Extreme extends Function {
        private final String name;
        private final int[] axes;
        private final SavedTensor x;
        private final SavedTensor y;

        Extreme(String name, Tensor x, Tensor y, int[] axes) {
            this.name = name;
            this.x = save(x);
            this.y = save(y);
            this.axes = axes;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public Tensor[] backward(Tensor g) {
            Tensor in = x.get();
            int[] kept = Kernels.reducedShape(in.shape(), axes, true).dims();
            Tensor mask = Kernels.binary(name, BinaryOp.EQ, in, y.get().reshape(kept));
            return new Tensor[] {mask.mul(g.reshape(kept).div(mask.sum(axes, true)))};
        }
    }
}
