package dev.nabla.nn;

import dev.nabla.Tensor;

/**
 * Mean softmax cross-entropy of {@code [rows, classes]} logits against INT32 class labels
 * {@code [rows]}; fused and numerically stable ({@link Tensor#softmaxCrossEntropy}). The gradient
 * reaching the logits is {@code (softmax(logits) − onehot(labels)) / rows}.
 */
public final class CrossEntropyLoss implements Loss {
    @Override
    public Tensor forward(Tensor logits, Tensor labels) {
        return logits.softmaxCrossEntropy(labels);
    }
}
