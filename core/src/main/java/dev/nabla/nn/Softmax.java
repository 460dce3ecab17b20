package dev.nabla.nn;

import dev.nabla.Tensor;

/**
 * Softmax over the last axis: class probabilities from logits. Train on logits with
 * {@link CrossEntropyLoss} instead (fused and stable); use this at prediction time.
 */
public final class Softmax extends Module {
    @Override
    public Tensor forward(Tensor x) {
        return x.softmax();
    }
}
