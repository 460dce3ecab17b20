package dev.nabla.ops;

import dev.nabla.Scope;
import dev.nabla.Tensor;
import dev.nabla.autograd.Function;
import dev.nabla.autograd.Node;
import dev.nabla.autograd.SavedTensor;
import dev.nabla.backend.BinaryOp;
import dev.nabla.backend.ReduceOp;
import dev.nabla.backend.UnaryOp;

/**
 * Softmax and log-softmax over one axis, numerically stable (the row maximum is subtracted first):
 * the backend's row kernel when it has one, else {@code z = x − max}, {@code e^z / Σ e^z} (or
 * {@code z − log Σ e^z}) from reductions and elementwise kernels. Backward: softmax
 * {@code dx = y·(g − Σ g·y)}; log-softmax {@code dx = g − e^y·Σ g}, sums over the softmax axis.
 */
public final class SoftmaxOp {
    private SoftmaxOp() {
    }

    public static Tensor softmax(Tensor x, int axis) {
        return apply(x, axis, false);
    }

    public static Tensor logSoftmax(Tensor x, int axis) {
        return apply(x, axis, true);
    }

    private static Tensor apply(Tensor x, int axis, boolean log) {
        String name = log ? "logSoftmax" : "softmax";
        NoGradOps.floating(name, x);
        if (x.rank() == 0) {
            throw new IllegalArgumentException(name + ": needs at least one axis, got a scalar");
        }
        int a = x.shape().axis(axis, name);
        if (a != x.rank() - 1) {
            // Move the axis last, apply there, move it back: all differentiable views.
            return apply(x.transpose(a, -1), -1, log).transpose(a, -1);
        }
        Tensor y = rows(x, log);
        return Node.record(y, new Backward(name, log, y), x);
    }

    /** Softmax (or log-softmax) over the last axis, without autograd. */
    static Tensor rows(Tensor x, boolean log) {
        int cols = x.dim(-1);
        int rows = cols == 0 ? 0 : Math.toIntExact(x.numel() / cols);
        try (Scope tmp = Temporaries.open()) {
            Tensor xc = NoGradOps.dense(x);
            Tensor y = NoGradOps.empty(x, x.shape());
            if (y.numel() == 0 || x.backend().softmax(log, xc.buffer(), xc.offset(), rows, cols, y.buffer(),
                    y.offset())) {
                return tmp.keep(y);
            }
            int[] last = {x.rank() - 1};
            Tensor z = NoGradOps.binary(BinaryOp.SUB, xc, NoGradOps.reduce("max", ReduceOp.MAX, xc, last, true));
            Tensor e = NoGradOps.unary(UnaryOp.EXP, 0, z);
            Tensor sum = NoGradOps.reduce("sum", ReduceOp.SUM, e, last, true);
            Tensor result = log ? NoGradOps.binary(BinaryOp.SUB, z, NoGradOps.unary(UnaryOp.LOG, 0, sum))
                    : NoGradOps.binary(BinaryOp.DIV, e, sum);
            return tmp.keep(result);
        }
    }

    private static final class Backward extends Function {
        private final String name;
        private final boolean log;
        private final SavedTensor y;

        Backward(String name, boolean log, Tensor y) {
            this.name = name;
            this.log = log;
            this.y = save(y);
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public Tensor[] backward(Tensor g) {
            int[] last = {-1};
            Tensor out = y.get();
            if (log) {
                return new Tensor[] {g.sub(out.exp().mul(g.sum(last, true)))};
            }
            return new Tensor[] {out.mul(g.sub(g.mul(out).sum(last, true)))};
        }
    }
}
