package dev.nabla.optim;

import dev.nabla.Nabla;
import dev.nabla.Scope;
import dev.nabla.Tensor;
import dev.nabla.autograd.GradMode;
import dev.nabla.nn.Linear;
import dev.nabla.nn.Module;
import java.util.ArrayList;
import java.util.List;

/**
 * The max-norm constraint (Srivastava et al. 2014, with dropout): after each step, every unit's
 * incoming weight vector is rescaled onto the ball of radius {@code c} when it has left it,
 * {@code w ← w · c / max(|w|, c)}; vectors already within it are left exactly as they are. A
 * {@link Linear} weight is {@code [in, out]}, so unit {@code j}'s incoming vector is column
 * {@code j}. Bounding the weights lets a large learning rate explore without blowing up.
 *
 * <pre>{@code
 * optimizer.addConstraint(MaxNorm.onLinearLayers(model, 3.0));   // any optimizer
 * }</pre>
 */
public final class MaxNorm implements Constraint {
    private final List<Tensor> weights;
    private final double maxNorm;

    /**
     * @param weights {@code [in, out]} matrices whose columns are constrained
     * @throws IllegalArgumentException unless {@code maxNorm > 0} and finite and every weight is a matrix
     */
    public MaxNorm(List<Tensor> weights, double maxNorm) {
        if (!(maxNorm > 0) || Double.isInfinite(maxNorm)) {
            throw new IllegalArgumentException("MaxNorm: the norm bound must be a positive number, got " + maxNorm);
        }
        for (Tensor w : weights) {
            if (w.rank() != 2) {
                throw new IllegalArgumentException("MaxNorm: weights must be [in, out] matrices, got " + w.describe());
            }
        }
        this.weights = List.copyOf(weights);
        this.maxNorm = maxNorm;
    }

    /** The weights of every {@link Linear} layer in {@code model} (biases are not constrained). */
    public static MaxNorm onLinearLayers(Module model, double maxNorm) {
        List<Tensor> weights = new ArrayList<>();
        collect(model, weights);
        if (weights.isEmpty()) {
            throw new IllegalArgumentException("MaxNorm: the model has no Linear layer");
        }
        return new MaxNorm(weights, maxNorm);
    }

    private static void collect(Module m, List<Tensor> out) {
        if (m instanceof Linear l) {
            out.add(l.weight());
        }
        for (Module child : m.children().values()) {
            collect(child, out);
        }
    }

    /** The bound {@code c}. */
    public double maxNorm() {
        return maxNorm;
    }

    @Override
    public void apply() {
        try (Scope s = Nabla.scope(); GradMode.Guard g = GradMode.disable()) {
            for (Tensor w : weights) {
                Tensor norms = w.square().sum(new int[] {0}, true).sqrt();          // [1, out]
                Tensor bound = Tensor.full(w.device(), w.dtype(), maxNorm, 1);
                w.mulInPlace(bound.div(norms.maximum(bound)));                      // c / max(|w|, c): 1 within the ball
            }
        }
    }
}
