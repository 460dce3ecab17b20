package dev.nabla.nn;

import dev.nabla.Tensor;

/** A loss: a one-element tensor from a prediction and a target, to call {@code backward()} on. */
public interface Loss {
    /** The mean loss of {@code prediction} against {@code target}. */
    Tensor forward(Tensor prediction, Tensor target);
}
