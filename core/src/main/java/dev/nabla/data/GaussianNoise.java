package dev.nabla.data;

import dev.nabla.Rng;

/** Adds independent Gaussian noise {@code N(0, std²)} to every feature. */
public final class GaussianNoise implements Transform {
    private final double std;

    /**
     * @throws IllegalArgumentException unless {@code std >= 0} and finite
     */
    public GaussianNoise(double std) {
        if (!(std >= 0) || Double.isInfinite(std)) {
            throw new IllegalArgumentException("GaussianNoise: std must be >= 0, got " + std);
        }
        this.std = std;
    }

    @Override
    public void apply(float[] x, Rng rng) {
        for (int i = 0; i < x.length; i++) {
            x[i] += (float) (std * rng.nextGaussian());
        }
    }

    @Override
    public String toString() {
        return "noise=" + std;
    }
}
