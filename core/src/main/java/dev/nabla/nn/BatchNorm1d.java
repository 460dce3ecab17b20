package dev.nabla.nn;

import dev.nabla.DType;
import dev.nabla.Device;
import dev.nabla.Nabla;
import dev.nabla.Tensor;
import dev.nabla.autograd.GradMode;

/**
 * Batch normalisation over the features of {@code [N, C]} inputs (Ioffe and Szegedy 2015),
 * PyTorch semantics:
 * <pre>
 * training:   μ = mean(x, batch)   σ² = mean((x − μ)², batch)          (biased, for normalising)
 *             y = γ·(x − μ)/sqrt(σ² + eps) + β
 *             running_mean = (1 − momentum)·running_mean + momentum·μ
 *             running_var  = (1 − momentum)·running_var  + momentum·σ²·N/(N − 1)   (unbiased)
 * evaluation: y = γ·(x − running_mean)/sqrt(running_var + eps) + β
 * </pre>
 * The backward pass is the composition of the ops above (mean, subtract, square, sqrt, divide),
 * so the gradient reaching {@code x} includes the paths through μ and σ². The running statistics
 * are buffers: saved in checkpoints with the parameters ({@code running_mean},
 * {@code running_var}), never trained.
 */
public final class BatchNorm1d extends Module {
    private final int features;
    private final double eps;
    private final double momentum;
    private final Tensor weight;
    private final Tensor bias;
    private final Tensor runningMean;
    private final Tensor runningVar;

    /** eps 1e-5, momentum 0.1, affine, float32 on the default device. */
    public BatchNorm1d(int features) {
        this(Nabla.defaultDevice(), DType.FLOAT32, features, 1e-5, 0.1, true);
    }

    /**
     * @param affine learn a per-feature scale γ (ones) and shift β (zeros)
     * @throws IllegalArgumentException unless {@code features >= 1}, {@code eps > 0} and {@code 0 <= momentum <= 1}
     */
    public BatchNorm1d(Device device, DType dtype, int features, double eps, double momentum, boolean affine) {
        if (features < 1) {
            throw new IllegalArgumentException("BatchNorm1d: features must be at least 1, got " + features);
        }
        if (!(eps > 0) || !(momentum >= 0 && momentum <= 1)) {
            throw new IllegalArgumentException("BatchNorm1d: eps must be > 0 and momentum in [0, 1], got eps " + eps
                    + ", momentum " + momentum);
        }
        this.features = features;
        this.eps = eps;
        this.momentum = momentum;
        this.weight = affine ? registerParameter("weight", Tensor.ones(device, dtype, features)) : null;
        this.bias = affine ? registerParameter("bias", Tensor.zeros(device, dtype, features)) : null;
        this.runningMean = registerBuffer("running_mean", Tensor.zeros(device, dtype, features));
        this.runningVar = registerBuffer("running_var", Tensor.ones(device, dtype, features));
    }

    @Override
    public Tensor forward(Tensor x) {
        if (x.rank() != 2 || x.dim(1) != features) {
            throw new IllegalArgumentException("BatchNorm1d(" + features + "): input " + x.shape()
                    + " must be [batch, " + features + "]");
        }
        if (!isTraining()) {
            return affine(x.sub(runningMean).div(runningVar.add(eps).sqrt()), weight, bias);
        }
        int n = x.dim(0);
        if (n < 2) {
            throw new IllegalArgumentException("BatchNorm1d(" + features + "): training needs more than one example "
                    + "per batch to estimate a variance, got input " + x.shape());
        }
        Tensor mean = x.mean(new int[] {0}, true);
        Tensor centered = x.sub(mean);
        Tensor variance = centered.square().mean(new int[] {0}, true);
        try (GradMode.Guard g = GradMode.disable()) {
            runningMean.mulInPlace(1 - momentum).addInPlace(mean.detach().reshape(features).mul(momentum));
            runningVar.mulInPlace(1 - momentum)
                    .addInPlace(variance.detach().reshape(features).mul(momentum * n / (n - 1.0)));
        }
        return affine(centered.div(variance.add(eps).sqrt()), weight, bias);
    }

    /**
     * Training-mode batch normalisation as a function of its inputs, without running statistics:
     * {@code γ·(x − μ)/sqrt(σ² + eps) + β} with the batch's mean and biased variance. For gradient
     * checks and custom modules; {@code weight} and {@code bias} may be null.
     */
    public static Tensor normalize(Tensor x, Tensor weight, Tensor bias, double eps) {
        Tensor centered = x.sub(x.mean(new int[] {0}, true));
        Tensor variance = centered.square().mean(new int[] {0}, true);
        return affine(centered.div(variance.add(eps).sqrt()), weight, bias);
    }

    static Tensor affine(Tensor normalized, Tensor weight, Tensor bias) {
        Tensor y = weight == null ? normalized : normalized.mul(weight);
        return bias == null ? y : y.add(bias);
    }

    /** γ, or null without affine. */
    public Tensor weight() {
        return weight;
    }

    /** β, or null without affine. */
    public Tensor bias() {
        return bias;
    }

    /** The running mean used in evaluation mode. */
    public Tensor runningMean() {
        return runningMean;
    }

    /** The running (unbiased) variance used in evaluation mode. */
    public Tensor runningVar() {
        return runningVar;
    }

    /** Number of features. */
    public int features() {
        return features;
    }

    @Override
    protected String describeSelf() {
        return "BatchNorm1d(" + features + ", eps=" + eps + ", momentum=" + momentum + (weight == null ? ", no affine)" : ")");
    }
}
