package dev.nabla.data;

import dev.nabla.Rng;
import java.util.ArrayList;
import java.util.List;

/** A synthetic classification problem that no linear model can solve: interleaved spiral arms. */
public final class Spirals {
    private Spirals() {
    }

    /**
     * {@code classes} interleaved spiral arms of {@code pointsPerClass} points in the plane (the
     * classic "not linearly separable" toy problem): point {@code i} of arm {@code k} has radius
     * {@code r = i/(n−1)} and angle {@code 4k + 4r} plus Gaussian noise of standard deviation
     * {@code noise}, at {@code (r·sin θ, r·cos θ)}.
     */
    public static TensorDataset generate(int classes, int pointsPerClass, double noise, Rng rng) {
        if (classes < 2 || pointsPerClass < 2 || !(noise >= 0)) {
            throw new IllegalArgumentException("spirals: need at least 2 classes and 2 points per class and noise >= 0, "
                    + "got " + classes + ", " + pointsPerClass + ", " + noise);
        }
        int n = classes * pointsPerClass;
        float[] x = new float[2 * n];
        int[] y = new int[n];
        List<String> names = new ArrayList<>();
        for (int k = 0; k < classes; k++) {
            names.add(Integer.toString(k));
            for (int i = 0; i < pointsPerClass; i++) {
                int row = k * pointsPerClass + i;
                double r = (double) i / (pointsPerClass - 1);
                double theta = 4.0 * k + 4.0 * r + rng.nextGaussian() * noise;
                x[2 * row] = (float) (r * Math.sin(theta));
                x[2 * row + 1] = (float) (r * Math.cos(theta));
                y[row] = k;
            }
        }
        return TensorDataset.classification("spirals", x, 2, y, names, List.of("x", "y"));
    }
}
