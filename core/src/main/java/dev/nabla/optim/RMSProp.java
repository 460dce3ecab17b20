package dev.nabla.optim;

import dev.nabla.Tensor;
import java.util.List;

/**
 * RMSProp (Hinton's lecture 6e), PyTorch semantics, written with in-place tensor ops:
 * <pre>
 * g = grad + weightDecay·p
 * s = α·s + (1 − α)·g²
 * d = sqrt(s) + eps                      (centered: sqrt(s − a²) + eps with a = α·a + (1 − α)·g)
 * b = momentum·b + g/d,  p = p − lr·b    (momentum > 0)
 * p = p − lr·g/d                         (otherwise)
 * </pre>
 */
public final class RMSProp extends Optimizer {

    /** α = 0.99, eps = 1e-8, no weight decay, no momentum, not centered. */
    public RMSProp(List<Tensor> params, double lr) {
        this(params, lr, 0.99, 1e-8, 0, 0, false);
    }

    public RMSProp(List<Tensor> params, double lr, double alpha, double eps, double weightDecay, double momentum,
                   boolean centered) {
        super("rmsprop", params, lr);
        defineHyperParameter("alpha", alpha);
        defineHyperParameter("eps", eps);
        defineHyperParameter("weight_decay", weightDecay);
        defineHyperParameter("momentum", momentum);
        defineHyperParameter("centered", centered ? 1 : 0);
        validateAll();
    }

    @Override
    protected void validate(String key, double value) {
        super.validate(key, value);
        if (key.equals("alpha") && !(value <= 1)) {
            throw new IllegalArgumentException("rmsprop: alpha must be in [0, 1], got " + value);
        }
        if (key.equals("centered") && value != 0 && value != 1) {
            throw new IllegalArgumentException("rmsprop: centered is a flag, 0 or 1, got " + value);
        }
    }

    @Override
    protected void update(int index, Tensor p, Tensor grad, long step) {
        double wd = hyperParameterOf(index, "weight_decay");
        double alpha = hyperParameterOf(index, "alpha");
        double momentum = hyperParameterOf(index, "momentum");
        Tensor g = wd != 0 ? grad.add(p.mul(wd)) : grad;
        Tensor squareAvg = state(index, "square_avg");
        squareAvg.mulInPlace(alpha).addInPlace(g.square().mul(1 - alpha));
        Tensor avg;
        if (hyperParameterOf(index, "centered") == 1) {
            Tensor gradAvg = state(index, "grad_avg");
            gradAvg.mulInPlace(alpha).addInPlace(g.mul(1 - alpha));
            avg = squareAvg.sub(gradAvg.square()).sqrt().add(hyperParameterOf(index, "eps"));
        } else {
            avg = squareAvg.sqrt().add(hyperParameterOf(index, "eps"));
        }
        if (momentum > 0) {
            Tensor buf = state(index, "momentum_buffer");
            buf.mulInPlace(momentum).addInPlace(g.div(avg));
            p.subInPlace(buf.mul(lrOf(index)));
        } else {
            p.subInPlace(g.div(avg).mul(lrOf(index)));
        }
    }
}
