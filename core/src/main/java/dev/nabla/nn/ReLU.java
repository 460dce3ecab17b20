package dev.nabla.nn;

import dev.nabla.Tensor;

/** {@code max(x, 0)} elementwise. */
public final class ReLU extends Module {
    @Override
    public Tensor forward(Tensor x) {
        return x.relu();
    }
}
