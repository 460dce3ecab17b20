package dev.nabla.data;

import dev.nabla.Rng;

/**
 * Per-feature standardisation {@code (x − mean) / std}, fitted on the training data only (fitting
 * on all data would leak the test set's statistics into training). Checkpoints store
 * {@link #mean()} and {@link #std()} so evaluation transforms new data exactly as training did.
 * As a {@link Transform} it standardises each example as a loader draws it, after augmentations
 * that work on raw values.
 *
 * <p>A feature that is constant in the training data (std below 1e-8, e.g. a border pixel that is
 * always 0) gets std 1, so it maps to 0 instead of dividing by zero.
 */
public final class Standardizer implements Transform {
    private static final double MIN_STD = 1e-8;

    private final float[] mean;
    private final float[] std;

    private Standardizer(float[] mean, float[] std) {
        this.mean = mean;
        this.std = std;
    }

    /** Mean and population standard deviation of each feature of {@code train}. */
    public static Standardizer fit(TensorDataset train) {
        int n = train.size();
        int f = train.featureCount();
        if (n == 0) {
            throw new IllegalArgumentException("Standardizer.fit: " + train.name() + " has no examples");
        }
        float[] x = train.features();
        double[] sum = new double[f];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < f; j++) {
                sum[j] += x[i * f + j];
            }
        }
        float[] mean = new float[f];
        double[] m = new double[f];
        for (int j = 0; j < f; j++) {
            m[j] = sum[j] / n;
            mean[j] = (float) m[j];
        }
        double[] sq = new double[f];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < f; j++) {
                double d = x[i * f + j] - m[j];
                sq[j] += d * d;
            }
        }
        float[] std = new float[f];
        for (int j = 0; j < f; j++) {
            double s = Math.sqrt(sq[j] / n);
            std[j] = s < MIN_STD ? 1f : (float) s;
        }
        return new Standardizer(mean, std);
    }

    /**
     * A standardiser with known statistics (from a checkpoint).
     *
     * @throws IllegalArgumentException if the lengths differ or a std is not positive and finite
     */
    public static Standardizer of(float[] mean, float[] std) {
        if (mean.length != std.length) {
            throw new IllegalArgumentException("Standardizer: " + mean.length + " means but " + std.length + " stds");
        }
        for (int j = 0; j < std.length; j++) {
            if (!(std[j] > 0 && Float.isFinite(std[j])) || !Float.isFinite(mean[j])) {
                throw new IllegalArgumentException("Standardizer: feature " + j + " has mean " + mean[j] + " and std "
                        + std[j] + "; std must be positive and both finite");
            }
        }
        return new Standardizer(mean.clone(), std.clone());
    }

    /** The features of {@code data}, standardised. */
    public TensorDataset transform(TensorDataset data) {
        if (data.featureCount() != mean.length) {
            throw new IllegalArgumentException("Standardizer: fitted on " + mean.length + " features but "
                    + data.name() + " has " + data.featureCount());
        }
        float[] x = data.features();
        int f = mean.length;
        for (int i = 0; i < x.length; i++) {
            int j = i % f;
            x[i] = (x[i] - mean[j]) / std[j];
        }
        return data.withFeatures(x);
    }

    /** Standardises one example in place, exactly as {@link #transform} does (no random choice). */
    @Override
    public void apply(float[] x, Rng rng) {
        if (x.length != mean.length) {
            throw new IllegalArgumentException("Standardizer: fitted on " + mean.length + " features but the example has "
                    + x.length);
        }
        for (int j = 0; j < x.length; j++) {
            x[j] = (x[j] - mean[j]) / std[j];
        }
    }

    /** Per-feature means (a copy). */
    public float[] mean() {
        return mean.clone();
    }

    /** Per-feature standard deviations (a copy). */
    public float[] std() {
        return std.clone();
    }

    /** Number of features. */
    public int featureCount() {
        return mean.length;
    }
}
