package dev.nabla.nn;

import dev.nabla.Rng;
import dev.nabla.Tensor;

/**
 * Inverted dropout in training mode (each element zeroed with probability {@code p}, survivors
 * scaled by {@code 1/(1-p)}); the identity in evaluation mode. Each forward draws its mask seed
 * from the module's own {@link Rng}, so a seeded run drops the same units every time.
 */
public final class Dropout extends Module {
    private final double p;
    private final Rng rng;

    /**
     * @throws IllegalArgumentException unless {@code 0 <= p < 1}
     */
    public Dropout(double p, Rng rng) {
        if (!(p >= 0 && p < 1)) {
            throw new IllegalArgumentException("Dropout: probability must be in [0, 1), got " + p);
        }
        this.p = p;
        this.rng = rng;
    }

    /** The generator of the mask seeds (its state is what a checkpoint needs to resume exactly). */
    public Rng rng() {
        return rng;
    }

    /** The drop probability. */
    public double probability() {
        return p;
    }

    @Override
    public Tensor forward(Tensor x) {
        if (!isTraining() || p == 0) {
            return x;
        }
        return x.dropout(p, rng.nextLong());
    }

    @Override
    protected String describeSelf() {
        return "Dropout(p=" + p + ")";
    }
}
