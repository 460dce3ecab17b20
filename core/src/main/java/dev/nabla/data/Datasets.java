package dev.nabla.data;

import dev.nabla.Rng;
import java.io.InputStream;

/**
 * Built-in data sets: the 8×8 handwritten digits and Fisher's iris (core resources; origin and
 * licences in {@code dev/nabla/data/README.md}), and the seeded synthetic {@link Spirals}.
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

    /** Generated spirals: {@link Spirals#generate}. */
    public static TensorDataset spirals(int classes, int pointsPerClass, double noise, Rng rng) {
        return Spirals.generate(classes, pointsPerClass, noise, rng);
    }
}
