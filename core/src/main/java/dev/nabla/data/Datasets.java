package dev.nabla.data;

import dev.nabla.Rng;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Built-in data sets: the 8×8 handwritten digits and Fisher's iris (core resources; origin and
 * licences in {@code dev/nabla/data/README.md}), and a seeded synthetic spiral generator.
 */
public final class Datasets {
    private static volatile TensorDataset digits;
    private static volatile TensorDataset iris;

    private Datasets() {
    }

    /** 1,797 digits: 64 pixel counts (0–16) per example, classes {@code 0}–{@code 9}. */
    public static TensorDataset digits() {
        TensorDataset d = digits;
        if (d == null) {
            d = resource("digits.csv.gz", "digit").named("digits");
            digits = d;
        }
        return d;
    }

    /** 150 irises: four measurements in cm, classes {@code setosa}, {@code versicolor}, {@code virginica}. */
    public static TensorDataset iris() {
        TensorDataset d = iris;
        if (d == null) {
            d = resource("iris.csv", "species").named("iris");
            iris = d;
        }
        return d;
    }

    private static TensorDataset resource(String file, String labelColumn) {
        String path = "/dev/nabla/data/" + file;
        InputStream in = Datasets.class.getResourceAsStream(path);
        if (in == null) {
            throw new IllegalStateException("built-in data set " + path + " is missing from the class path");
        }
        return CsvReader.read(path, in, labelColumn);
    }

    /**
     * {@code classes} interleaved spiral arms of {@code pointsPerClass} points in the plane (the
     * classic "not linearly separable" toy problem): point {@code i} of arm {@code k} has radius
     * {@code r = i/(n−1)} and angle {@code 4k + 4r} plus Gaussian noise of standard deviation
     * {@code noise}, at {@code (r·sin θ, r·cos θ)}.
     */
    public static TensorDataset spirals(int classes, int pointsPerClass, double noise, Rng rng) {
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
