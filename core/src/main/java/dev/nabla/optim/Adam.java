package dev.nabla.optim;

import dev.nabla.Tensor;
import java.util.List;

/**
 * Adam (Kingma and Ba 2015) on the backend's fused {@code adamStep} kernel, with L2 weight decay
 * added to the gradient ({@code g = grad + weightDecay·p}):
 * <pre>
 * m = β1·m + (1 − β1)·g
 * v = β2·v + (1 − β2)·g²
 * p = p − lr · (m / (1 − β1^t)) / (sqrt(v / (1 − β2^t)) + eps)
 * </pre>
 * {@link AdamW} decouples the decay from the gradient instead.
 */
public class Adam extends Optimizer {
    private final boolean decoupled;

    /** β1 = 0.9, β2 = 0.999, eps = 1e-8, no weight decay. */
    @SuppressWarnings("this-escape")
    public Adam(List<Tensor> params, double lr) {
        this(params, lr, 0.9, 0.999, 1e-8, 0);
    }

    @SuppressWarnings("this-escape")
    public Adam(List<Tensor> params, double lr, double beta1, double beta2, double eps, double weightDecay) {
        this("adam", params, lr, beta1, beta2, eps, weightDecay, false);
    }

    // validateAll() calls validate(), which AdamW does not override; the only subclass is final.
    @SuppressWarnings("this-escape")
    Adam(String name, List<Tensor> params, double lr, double beta1, double beta2, double eps, double weightDecay,
         boolean decoupled) {
        super(name, params, lr);
        this.decoupled = decoupled;
        defineHyperParameter("beta1", beta1);
        defineHyperParameter("beta2", beta2);
        defineHyperParameter("eps", eps);
        defineHyperParameter("weight_decay", weightDecay);
        validateAll();
    }

    @Override
    protected void validate(String key, double value) {
        super.validate(key, value);
        if ((key.equals("beta1") || key.equals("beta2")) && !(value < 1)) {
            throw new IllegalArgumentException(name() + ": " + key + " must be in [0, 1), got " + value);
        }
    }

    @Override
    protected void update(int index, Tensor p, Tensor g, long step) {
        Tensor m = state(index, "exp_avg");
        Tensor v = state(index, "exp_avg_sq");
        double lr = lrOf(index);
        double beta1 = hyperParameterOf(index, "beta1");
        double beta2 = hyperParameterOf(index, "beta2");
        double eps = hyperParameterOf(index, "eps");
        double wd = hyperParameterOf(index, "weight_decay");
        if (!p.backend().adamStep(p.buffer(), p.offset(), g.buffer(), g.offset(), m.buffer(), m.offset(), v.buffer(),
                v.offset(), p.numel(), lr, beta1, beta2, eps, wd, decoupled, step)) {
            composedStep(p, g, m, v, lr, beta1, beta2, eps, wd, step);
        }
    }

    /** The update of {@link dev.nabla.backend.Backend#adamStep} in tensor ops, for backends without it. */
    private void composedStep(Tensor p, Tensor g, Tensor m, Tensor v, double lr, double beta1, double beta2,
                              double eps, double wd, long step) {
        if (wd != 0) {
            if (decoupled) {
                p.mulInPlace(1 - lr * wd);
            } else {
                g = g.add(p.mul(wd));
            }
        }
        m.mulInPlace(beta1).addInPlace(g.mul(1 - beta1));
        v.mulInPlace(beta2).addInPlace(g.square().mul(1 - beta2));
        double c1 = 1 - Math.pow(beta1, step);
        double c2 = 1 - Math.pow(beta2, step);
        p.subInPlace(m.div(c1).div(v.div(c2).sqrt().add(eps)).mul(lr));
    }
}
