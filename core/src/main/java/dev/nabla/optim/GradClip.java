package dev.nabla.optim;

import dev.nabla.Nabla;
import dev.nabla.Scope;
import dev.nabla.Tensor;
import dev.nabla.autograd.GradMode;
import java.util.List;

/** Gradient clipping, applied between {@code backward()} and {@code Optimizer.step()}. */
public final class GradClip {
    private GradClip() {
    }

    /**
     * Scales all gradients by one factor so that their global L2 norm (over every parameter
     * together) is at most {@code maxNorm}; gradients already within it are left as they are.
     * Parameters without a gradient are ignored.
     *
     * @return the global norm before clipping
     * @throws IllegalArgumentException if {@code maxNorm} is not positive
     * @throws IllegalStateException    if the norm is NaN or infinite (the loss has diverged;
     *                                  clipping cannot repair that)
     */
    public static double clipGradNorm(List<Tensor> params, double maxNorm) {
        if (!(maxNorm > 0)) {
            throw new IllegalArgumentException("clipGradNorm: maxNorm must be positive, got " + maxNorm);
        }
        double sumOfSquares = 0;
        try (Scope scope = Nabla.scope(); GradMode.Guard g = GradMode.disable()) {
            for (Tensor p : params) {
                if (p.grad() != null) {
                    sumOfSquares += p.grad().square().sum().item();
                }
            }
            double norm = Math.sqrt(sumOfSquares);
            if (!Double.isFinite(norm)) {
                throw new IllegalStateException("clipGradNorm: the gradient norm is " + norm
                        + "; training has diverged (try a smaller learning rate)");
            }
            if (norm > maxNorm) {
                double scale = maxNorm / (norm + 1e-6);
                for (Tensor p : params) {
                    if (p.grad() != null) {
                        p.grad().mulInPlace(scale);
                    }
                }
            }
            return norm;
        }
    }
}
