package dev.nabla.nn;

import dev.nabla.DType;
import dev.nabla.Device;
import dev.nabla.Rng;
import dev.nabla.Tensor;

/**
 * Weight initialisers that keep activations' variance roughly constant from layer to layer, drawn
 * from an explicit {@link Rng} so a model's initial weights are fixed by its seed.
 *
 * <ul>
 *   <li>He / Kaiming (He et al. 2015), for ReLU: variance {@code 2 / fanIn}.</li>
 *   <li>Xavier / Glorot (Glorot and Bengio 2010), for tanh and sigmoid: variance
 *       {@code 2 / (fanIn + fanOut)}.</li>
 * </ul>
 * The uniform variants draw from {@code [-b, b]} with {@code b = sqrt(3 · variance)}; the normal
 * variants from {@code N(0, variance)}.
 */
public enum Init {
    HE_UNIFORM(true, true),
    HE_NORMAL(true, false),
    XAVIER_UNIFORM(false, true),
    XAVIER_NORMAL(false, false);

    private final boolean he;
    private final boolean uniform;

    Init(boolean he, boolean uniform) {
        this.he = he;
        this.uniform = uniform;
    }

    /** The variance of the weights for a layer with these fans. */
    public double variance(int fanIn, int fanOut) {
        return he ? 2.0 / fanIn : 2.0 / (fanIn + fanOut);
    }

    /** {@code fanIn · fanOut} samples, drawn in row-major order of a {@code [fanIn, fanOut]} weight. */
    public float[] sample(int fanIn, int fanOut, Rng rng) {
        if (fanIn <= 0 || fanOut <= 0) {
            throw new IllegalArgumentException(name() + ": fan-in and fan-out must be positive, got " + fanIn
                    + " and " + fanOut);
        }
        double variance = variance(fanIn, fanOut);
        float[] w = new float[Math.multiplyExact(fanIn, fanOut)];
        if (uniform) {
            double bound = Math.sqrt(3 * variance);
            for (int i = 0; i < w.length; i++) {
                w[i] = (float) ((2 * rng.nextDouble() - 1) * bound);
            }
        } else {
            double std = Math.sqrt(variance);
            for (int i = 0; i < w.length; i++) {
                w[i] = (float) (rng.nextGaussian() * std);
            }
        }
        return w;
    }

    /** A float32 {@code [fanIn, fanOut]} weight tensor on {@code device}. */
    public Tensor weight(Device device, int fanIn, int fanOut, Rng rng) {
        return Tensor.of(device, sample(fanIn, fanOut, rng), fanIn, fanOut);
    }

    /** A float64 {@code [fanIn, fanOut]} weight tensor (for gradient checks). */
    public Tensor weight(Device device, DType dtype, int fanIn, int fanOut, Rng rng) {
        Tensor w = weight(device, fanIn, fanOut, rng);
        if (dtype == DType.FLOAT32) {
            return w;
        }
        try (w) {
            return w.to(dtype);
        }
    }

    /** The usual choice for a layer followed by {@code activation} ({@code relu}: He, otherwise Xavier). */
    public static Init forActivation(String activation) {
        return "relu".equals(activation) ? HE_NORMAL : XAVIER_UNIFORM;
    }
}
