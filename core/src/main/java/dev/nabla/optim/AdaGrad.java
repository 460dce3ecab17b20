package dev.nabla.optim;

import dev.nabla.Tensor;
import java.util.List;

/**
 * AdaGrad (Duchi et al. 2011): each coordinate's step shrinks with the sum of its squared
 * gradients, PyTorch semantics, written with in-place tensor ops:
 * <pre>
 * g   = grad + weightDecay·p
 * lr' = lr / (1 + (t − 1)·lrDecay)
 * s   = s + g²
 * p   = p − lr' · g / (sqrt(s) + eps)
 * </pre>
 */
public final class AdaGrad extends Optimizer {

    /** eps = 1e-10, no learning-rate decay, no weight decay. */
    public AdaGrad(List<Tensor> params, double lr) {
        this(params, lr, 0, 0, 1e-10);
    }

    public AdaGrad(List<Tensor> params, double lr, double lrDecay, double weightDecay, double eps) {
        super("adagrad", params, lr);
        defineHyperParameter("lr_decay", lrDecay);
        defineHyperParameter("weight_decay", weightDecay);
        defineHyperParameter("eps", eps);
        validateAll();
    }

    @Override
    protected void update(int index, Tensor p, Tensor grad, long step) {
        double wd = hyperParameterOf(index, "weight_decay");
        Tensor g = wd != 0 ? grad.add(p.mul(wd)) : grad;
        double lr = lrOf(index) / (1 + (step - 1) * hyperParameterOf(index, "lr_decay"));
        Tensor sum = state(index, "sum");
        sum.addInPlace(g.square());
        p.subInPlace(g.div(sum.sqrt().add(hyperParameterOf(index, "eps"))).mul(lr));
    }
}
