package dev.nabla.nn;

import dev.nabla.DType;
import dev.nabla.Device;
import dev.nabla.Nabla;
import dev.nabla.Rng;
import dev.nabla.Tensor;

/**
 * A fully connected layer {@code y = x·W + b} with {@code W} of shape {@code [in, out]} (so no
 * transpose is needed in forward) and an optional bias {@code [out]}, broadcast over the rows.
 */
public final class Linear extends Module {
    private final int in;
    private final int out;
    private final Tensor weight;
    private final Tensor bias;

    /** He-initialised weights (uniform), zero bias, on the default device. */
    public Linear(int in, int out, Rng rng) {
        this(Nabla.defaultDevice(), in, out, true, Init.HE_UNIFORM, rng);
    }

    /** Weights from {@code init}, zero bias when {@code bias}, float32 on {@code device}. */
    public Linear(Device device, int in, int out, boolean bias, Init init, Rng rng) {
        this(device, DType.FLOAT32, in, out, bias, init, rng);
    }

    /** As above with an explicit floating dtype (float64 for gradient checks). */
    public Linear(Device device, DType dtype, int in, int out, boolean bias, Init init, Rng rng) {
        if (in <= 0 || out <= 0) {
            throw new IllegalArgumentException("Linear: sizes must be positive, got in=" + in + ", out=" + out);
        }
        this.in = in;
        this.out = out;
        this.weight = registerParameter("weight", init.weight(device, dtype, in, out, rng));
        this.bias = bias ? registerParameter("bias", Tensor.zeros(device, dtype, out)) : null;
    }

    @Override
    public Tensor forward(Tensor x) {
        if (x.dim(-1) != in) {
            throw new IllegalArgumentException("Linear(" + in + " -> " + out + "): input " + x.shape() + " has "
                    + x.dim(-1) + " features, expected " + in);
        }
        Tensor y = x.matmul(weight);
        return bias == null ? y : y.add(bias);
    }

    /** The {@code [in, out]} weight. */
    public Tensor weight() {
        return weight;
    }

    /** The {@code [out]} bias, or null. */
    public Tensor bias() {
        return bias;
    }

    /** Input features. */
    public int inFeatures() {
        return in;
    }

    /** Output features. */
    public int outFeatures() {
        return out;
    }

    @Override
    protected String describeSelf() {
        return "Linear(" + in + " -> " + out + (bias == null ? ", no bias)" : ")");
    }
}
