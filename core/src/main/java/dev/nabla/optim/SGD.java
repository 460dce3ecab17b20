package dev.nabla.optim;

import dev.nabla.Tensor;
import java.util.List;
import java.util.Map;

/**
 * Stochastic gradient descent with optional momentum, dampening, Nesterov momentum and L2 weight
 * decay, PyTorch semantics, on the backend's fused {@code sgdStep} kernel:
 * <pre>
 * g = grad + weightDecay·p
 * v = momentum·v + (1 − dampening)·g      (v = g on the first step)
 * g = nesterov ? g + momentum·v : v
 * p = p − lr·g
 * </pre>
 */
public final class SGD extends Optimizer {

    /** Plain SGD. */
    public SGD(List<Tensor> params, double lr) {
        this(params, lr, 0, 0, 0, false);
    }

    /** SGD with (heavy-ball) momentum. */
    public SGD(List<Tensor> params, double lr, double momentum) {
        this(params, lr, momentum, 0, 0, false);
    }

    /**
     * @throws IllegalArgumentException for negative values, or Nesterov without momentum or with dampening
     */
    public SGD(List<Tensor> params, double lr, double momentum, double dampening, double weightDecay,
               boolean nesterov) {
        super("sgd", params, lr);
        defineHyperParameter("momentum", momentum);
        defineHyperParameter("dampening", dampening);
        defineHyperParameter("weight_decay", weightDecay);
        defineHyperParameter("nesterov", nesterov ? 1 : 0);
        validateAll();
    }

    @Override
    protected void validate(String key, double value) {
        super.validate(key, value);
        if (key.equals("nesterov") && value != 0 && value != 1) {
            throw new IllegalArgumentException("sgd: nesterov is a flag, 0 or 1, got " + value);
        }
    }

    @Override
    protected void validateCombination(Map<String, Double> values) {
        double momentum = values.get("momentum");
        double dampening = values.get("dampening");
        if (values.get("nesterov") == 1 && (momentum <= 0 || dampening != 0)) {
            throw new IllegalArgumentException("sgd: Nesterov momentum needs momentum > 0 and dampening 0, got momentum "
                    + momentum + ", dampening " + dampening);
        }
    }

    @Override
    protected void update(int index, Tensor p, Tensor g, long step) {
        double momentum = hyperParameterOf(index, "momentum");
        Tensor v = null;
        boolean first = false;
        if (momentum != 0) {
            first = !hasState(index, "momentum_buffer");
            v = state(index, "momentum_buffer");
        }
        double lr = lrOf(index);
        double dampening = hyperParameterOf(index, "dampening");
        double wd = hyperParameterOf(index, "weight_decay");
        boolean nesterov = hyperParameterOf(index, "nesterov") == 1;
        if (!p.backend().sgdStep(p.buffer(), p.offset(), g.buffer(), g.offset(), v == null ? null : v.buffer(),
                v == null ? 0 : v.offset(), p.numel(), lr, momentum, dampening, wd, nesterov, first)) {
            composedStep(p, g, v, lr, momentum, dampening, wd, nesterov, first);
        }
    }

    /** The update of {@link dev.nabla.backend.Backend#sgdStep} in tensor ops, for backends without it. */
    private static void composedStep(Tensor p, Tensor g, Tensor v, double lr, double momentum, double dampening,
                                     double wd, boolean nesterov, boolean first) {
        if (wd != 0) {
            g = g.add(p.mul(wd));
        }
        if (v != null) {
            if (first) {
                v.copyFrom(g);
            } else {
                v.mulInPlace(momentum).addInPlace(g.mul(1 - dampening));
            }
            g = nesterov ? g.add(v.mul(momentum)) : v;
        }
        p.subInPlace(g.mul(lr));
    }
}
