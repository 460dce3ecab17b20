package dev.nabla.nn;

import dev.nabla.Tensor;

/** {@code 1 / (1 + e^-x)} elementwise. */
public final class Sigmoid extends Module {
    @Override
    public Tensor forward(Tensor x) {
        return x.sigmoid();
    }
}
