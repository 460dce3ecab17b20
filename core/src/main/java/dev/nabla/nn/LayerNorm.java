package dev.nabla.nn;

import dev.nabla.DType;
import dev.nabla.Device;
import dev.nabla.Nabla;
import dev.nabla.Tensor;

/**
 * Layer normalisation over the last axis (Ba, Kiros and Hinton 2016), PyTorch semantics: each row
 * is normalised by its own mean and biased variance, then scaled and shifted per feature,
 * {@code y = γ·(x − μ)/sqrt(σ² + eps) + β}. The same computation in training and evaluation
 * (no running statistics); the backward pass is the composition of its ops.
 */
public final class LayerNorm extends Module {
    private final int features;
    private final double eps;
    private final Tensor weight;
    private final Tensor bias;

    /** eps 1e-5, affine, float32 on the default device. */
    public LayerNorm(int features) {
        this(Nabla.defaultDevice(), DType.FLOAT32, features, 1e-5, true);
    }

    /**
     * @param affine learn a per-feature scale γ (ones) and shift β (zeros)
     * @throws IllegalArgumentException unless {@code features >= 1} and {@code eps > 0}
     */
    public LayerNorm(Device device, DType dtype, int features, double eps, boolean affine) {
        if (features < 1 || !(eps > 0)) {
            throw new IllegalArgumentException("LayerNorm: features must be at least 1 and eps > 0, got " + features
                    + ", " + eps);
        }
        this.features = features;
        this.eps = eps;
        this.weight = affine ? registerParameter("weight", Tensor.ones(device, dtype, features)) : null;
        this.bias = affine ? registerParameter("bias", Tensor.zeros(device, dtype, features)) : null;
    }

    @Override
    public Tensor forward(Tensor x) {
        if (x.rank() < 1 || x.dim(-1) != features) {
            throw new IllegalArgumentException("LayerNorm(" + features + "): input " + x.shape() + " must end in "
                    + features + " features");
        }
        return normalize(x, weight, bias, eps);
    }

    /** Layer normalisation over the last axis as a function of its inputs; {@code weight}/{@code bias} may be null. */
    public static Tensor normalize(Tensor x, Tensor weight, Tensor bias, double eps) {
        int last = x.rank() - 1;
        Tensor centered = x.sub(x.mean(new int[] {last}, true));
        Tensor variance = centered.square().mean(new int[] {last}, true);
        return BatchNorm1d.affine(centered.div(variance.add(eps).sqrt()), weight, bias);
    }

    /** γ, or null without affine. */
    public Tensor weight() {
        return weight;
    }

    /** β, or null without affine. */
    public Tensor bias() {
        return bias;
    }

    @Override
    protected String describeSelf() {
        return "LayerNorm(" + features + ", eps=" + eps + (weight == null ? ", no affine)" : ")");
    }
}
