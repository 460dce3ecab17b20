package dev.nabla.nn;

import dev.nabla.Tensor;

/** Hyperbolic tangent elementwise. */
public final class Tanh extends Module {
    @Override
    public Tensor forward(Tensor x) {
        return x.tanh();
    }
}
