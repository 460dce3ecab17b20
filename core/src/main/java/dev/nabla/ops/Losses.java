package dev.nabla.ops;

import dev.nabla.DType;
import dev.nabla.Scope;
import dev.nabla.Shape;
import dev.nabla.Tensor;
import dev.nabla.autograd.Function;
import dev.nabla.autograd.Node;
import dev.nabla.autograd.SavedTensor;
import dev.nabla.backend.BinaryOp;
import dev.nabla.backend.IndexOutOfRangeException;
import dev.nabla.backend.ReduceOp;
import dev.nabla.backend.UnaryOp;

/**
 * Losses. Softmax cross-entropy computes each row's {@code logsumexp − logit[label]} and its
 * gradient {@code softmax − onehot} in one pass (the backend's fused kernel, or log-softmax, a
 * gather of the labels' entries and a scatter of −1 into the softmax), so backward is
 * {@code dLogits = (y − t)·g / rows}.
 */
public final class Losses {
    private Losses() {
    }

    /** Mean softmax cross-entropy of {@code [rows, classes]} logits against INT32 labels {@code [rows]}. */
    public static Tensor softmaxCrossEntropy(Tensor logits, Tensor labels) {
        String op = "softmaxCrossEntropy";
        NoGradOps.floating(op, logits);
        NoGradOps.sameDevice(op, logits, labels);
        if (logits.rank() != 2) {
            throw new IllegalArgumentException(op + ": logits must be [rows, classes], got " + logits.shape());
        }
        if (labels.dtype() != DType.INT32) {
            throw new IllegalArgumentException(op + ": labels must be int32 class indices, got "
                    + labels.dtype().shortName());
        }
        int rows = logits.dim(0), classes = logits.dim(1);
        if (labels.rank() != 1 || labels.dim(0) != rows) {
            throw new IllegalArgumentException(op + ": labels " + labels.shape() + " do not match logits "
                    + logits.shape() + ": need one label per row, shape [" + rows + "]");
        }
        if (rows == 0) {
            throw new IllegalArgumentException(op + ": logits have no rows; the mean over an empty batch is undefined");
        }
        boolean wantGrad = Node.wouldRecord(logits);
        try (Scope tmp = Temporaries.open()) {
            Tensor lc = NoGradOps.dense(logits);
            Tensor yc = NoGradOps.dense(labels);
            Tensor losses = NoGradOps.empty(logits, Shape.of(rows));
            Tensor grad = wantGrad ? NoGradOps.empty(logits, logits.shape()) : null;
            if (!logits.backend().softmaxCrossEntropy(lc.buffer(), lc.offset(), yc.buffer(), yc.offset(), rows,
                    classes, losses.buffer(), losses.offset(), grad == null ? null : grad.buffer(),
                    grad == null ? 0 : grad.offset())) {
                losses = composedLosses(lc, yc, grad, classes);
            }
            Tensor loss = NoGradOps.reduce(op, ReduceOp.MEAN, losses, new int[] {0}, false);
            return tmp.keep(Node.record(loss, new CrossEntropyBackward(grad, rows), logits, labels));
        }
    }

    /**
     * Per-row losses {@code −logSoftmax[r, label_r]} and, into {@code grad} when not null,
     * {@code softmax − onehot}, from the primitives. The gather validates the labels.
     */
    private static Tensor composedLosses(Tensor logits, Tensor labels, Tensor grad, int classes) {
        long[] perRow = {labels.strides()[0], 0, 0};
        Tensor logp = SoftmaxOp.rows(logits, true);
        Tensor picked;
        try {
            picked = NoGradOps.gather("softmaxCrossEntropy", logp, 1, labels, perRow, 1);
        } catch (IndexOutOfRangeException e) {
            throw new IllegalArgumentException("softmaxCrossEntropy: row " + e.position()[0] + " has label " + e.index()
                    + ", outside [0, " + classes + ") for " + classes + " classes", e);
        }
        if (grad != null) {
            NoGradOps.unaryInto(UnaryOp.EXP, 0, logp, grad);
            Tensor minusOne = Tensor.full(logits.device(), logits.dtype(), -1, labels.dim(0), 1);
            NoGradOps.scatterAdd("softmaxCrossEntropy", minusOne, 1, labels, perRow, grad);
        }
        return NoGradOps.unary(UnaryOp.NEG, 0, picked.reshape(labels.dim(0)));
    }

    /** Mean of {@code (prediction − target)²} over all elements. */
    public static Tensor mse(Tensor prediction, Tensor target) {
        String op = "mseLoss";
        NoGradOps.floating(op, prediction);
        if (!prediction.shape().equals(target.shape())) {
            throw new IllegalArgumentException(op + ": prediction " + prediction.shape() + " and target "
                    + target.shape() + " must have the same shape");
        }
        try (Scope tmp = Temporaries.open()) {
            Tensor diff = NoGradOps.binary(op, BinaryOp.SUB, prediction, target);
            Tensor sq = NoGradOps.binary(op, BinaryOp.MUL, diff, diff);
            int[] all = new int[sq.rank()];
            for (int i = 0; i < all.length; i++) {
                all[i] = i;
            }
            Tensor loss = NoGradOps.reduce(op, ReduceOp.MEAN, sq, all, false);
            return tmp.keep(Node.record(loss, new MseBackward(diff, prediction.numel()), prediction, target));
        }
    }

    private static final class CrossEntropyBackward extends Function {
        private final SavedTensor softmaxMinusOnehot;
        private final int rows;

        CrossEntropyBackward(Tensor softmaxMinusOnehot, int rows) {
            this.softmaxMinusOnehot = save(softmaxMinusOnehot);
            this.rows = rows;
        }

        @Override
        public String name() {
            return "softmaxCrossEntropy";
        }

        /** dLogits = (softmax − onehot) · g / rows: one scaling kernel when g is backward()'s seed of ones. */
        @Override
        public Tensor[] backward(Tensor g) {
            Tensor d = softmaxMinusOnehot.get();
            Tensor dLogits = gradOutputIsOnes() ? d.mul(1.0 / rows) : d.mul(g.div(rows));
            return new Tensor[] {dLogits, null};
        }
    }

    private static final class MseBackward extends Function {
        private final SavedTensor diff;
        private final long count;

        MseBackward(Tensor diff, long count) {
            this.diff = save(diff);
            this.count = count;
        }

        @Override
        public String name() {
            return "mseLoss";
        }

        @Override
        public Tensor[] backward(Tensor g) {
            Tensor d = diff.get();
            Tensor gp = gradOutputIsOnes() ? d.mul(2.0 / count) : d.mul(g.mul(2.0 / count));
            return new Tensor[] {gp, gp.neg()};
        }
    }
}
