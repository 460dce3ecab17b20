package dev.nabla.ops;

import dev.nabla.Tensor;
import dev.nabla.autograd.Function;
import dev.nabla.autograd.Node;
import dev.nabla.autograd.SavedTensor;

/**
 * Softmax and log-softmax over one axis, computed by the backend's stable row kernel (the row
 * maximum is subtracted first). Backward: softmax {@code dx = y·(g − Σ g·y)}; log-softmax
 * {@code dx = g − e^y·Σ g}, sums over the softmax axis.
 */
public final class Softmax {
    private Softmax() {
    }

    public static Tensor softmax(Tensor x, int axis) {
        return apply(x, axis, false);
    }

    public static Tensor logSoftmax(Tensor x, int axis) {
        return apply(x, axis, true);
    }

    private static Tensor apply(Tensor x, int axis, boolean log) {
        String name = log ? "logSoftmax" : "softmax";
        Kernels.floating(name, x);
        if (x.rank() == 0) {
            throw new IllegalArgumentException(name + ": needs at least one axis, got a scalar");
        }
        int a = x.shape().axis(axis, name);
        if (a != x.rank() - 1) {
            // Move the axis last, apply there, move it back: all differentiable views.
            return apply(x.transpose(a, -1), -1, log).transpose(a, -1);
        }
        int cols = x.dim(-1);
        int rows = cols == 0 ? 0 : Math.toIntExact(x.numel() / cols);
        Tensor xc = Kernels.dense(x);
        Tensor y = Kernels.empty(x, x.shape());
        try {
            if (y.numel() > 0) {
                x.backend().softmax(log, xc.buffer(), xc.offset(), rows, cols, y.buffer(), y.offset());
            }
        } finally {
            Kernels.release(x, xc);
        }
        return Node.record(y, new Backward(name, log, y), x);
    }

    private static final class Backward extends Function {
        private final String name;
        private final boolean log;
        private final SavedTensor saved;

        Backward(String name, boolean log, Tensor y) {
            this.name = name;
            this.log = log;
            this.saved = save(y);
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public Tensor[] backward(Tensor g) {
            int[] last = {-1};
            Tensor y = saved.get();
            if (log) {
                return new Tensor[] {g.sub(y.exp().mul(g.sum(last, true)))};
            }
            return new Tensor[] {y.mul(g.sub(g.mul(y).sum(last, true)))};
        }

    }
}
