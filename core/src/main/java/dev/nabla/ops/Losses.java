package dev.nabla.ops;

import dev.nabla.DType;
import dev.nabla.Shape;
import dev.nabla.Tensor;
import dev.nabla.autograd.Function;
import dev.nabla.autograd.Node;
import dev.nabla.autograd.SavedTensor;
import dev.nabla.backend.BinaryOp;
import dev.nabla.backend.ReduceOp;

/**
 * Losses. Softmax cross-entropy is fused: one kernel computes each row's
 * {@code logsumexp − logit[label]} and its gradient {@code softmax − onehot}, so backward is
 * {@code dLogits = (y − t)·g / rows}.
 */
public final class Losses {
    private Losses() {
    }

    /** Mean softmax cross-entropy of {@code [rows, classes]} logits against INT32 labels {@code [rows]}. */
    public static Tensor softmaxCrossEntropy(Tensor logits, Tensor labels) {
        String op = "softmaxCrossEntropy";
        Kernels.floating(op, logits);
        Kernels.sameDevice(op, logits, labels);
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
        Tensor lc = Kernels.dense(logits);
        Tensor yc = Kernels.dense(labels);
        Tensor losses = Kernels.empty(logits, Shape.of(rows));
        Tensor grad = Node.wouldRecord(logits) ? Kernels.empty(logits, logits.shape()) : null;
        try {
            logits.backend().softmaxCrossEntropy(lc.buffer(), lc.offset(), yc.buffer(), yc.offset(), rows, classes,
                    losses.buffer(), losses.offset(), grad == null ? null : grad.buffer(),
                    grad == null ? 0 : grad.offset());
        } catch (RuntimeException e) {
            losses.close();
            if (grad != null) {
                grad.close();
            }
            throw e;
        } finally {
            Kernels.release(logits, lc);
            Kernels.release(labels, yc);
        }
        try (losses; grad) {
            Tensor loss = Kernels.reduce(op, ReduceOp.MEAN, losses, new int[] {0}, false);
            return Node.record(loss, new CrossEntropyBackward(grad, rows), logits, labels);
        }
    }

    /** Mean of {@code (prediction − target)²} over all elements. */
    public static Tensor mse(Tensor prediction, Tensor target) {
        String op = "mseLoss";
        Kernels.floating(op, prediction);
        if (!prediction.shape().equals(target.shape())) {
            throw new IllegalArgumentException(op + ": prediction " + prediction.shape() + " and target "
                    + target.shape() + " must have the same shape");
        }
        Tensor diff = Kernels.binary(op, BinaryOp.SUB, prediction, target);
        Tensor sq = Kernels.binary(op, BinaryOp.MUL, diff, diff);
        int[] all = new int[sq.rank()];
        for (int i = 0; i < all.length; i++) {
            all[i] = i;
        }
        try (diff; sq) {
            Tensor loss = Kernels.reduce(op, ReduceOp.MEAN, sq, all, false);
            return Node.record(loss, new MseBackward(diff, prediction.numel()), prediction, target);
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
