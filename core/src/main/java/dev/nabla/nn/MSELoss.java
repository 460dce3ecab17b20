package dev.nabla.nn;

import dev.nabla.Tensor;

/** Mean squared error {@code mean((prediction − target)²)} over all elements. */
public final class MSELoss implements Loss {
    @Override
    public Tensor forward(Tensor prediction, Tensor target) {
        return prediction.mseLoss(target);
    }
}
