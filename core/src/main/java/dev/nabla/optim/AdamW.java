package dev.nabla.optim;

import dev.nabla.Tensor;
import java.util.List;

/**
 * Adam with decoupled weight decay (Loshchilov and Hutter 2019): the parameter shrinks by
 * {@code p = p·(1 − lr·weightDecay)} before the Adam update, instead of the decay entering the
 * gradient and being rescaled by the adaptive step.
 */
public final class AdamW extends Adam {

    /** β1 = 0.9, β2 = 0.999, eps = 1e-8, weight decay 0.01 (PyTorch's defaults). */
    public AdamW(List<Tensor> params, double lr) {
        this(params, lr, 0.9, 0.999, 1e-8, 0.01);
    }

    public AdamW(List<Tensor> params, double lr, double beta1, double beta2, double eps, double weightDecay) {
        super("adamw", params, lr, beta1, beta2, eps, weightDecay, true);
    }
}
