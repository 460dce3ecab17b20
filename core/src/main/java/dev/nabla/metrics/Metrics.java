package dev.nabla.metrics;

import dev.nabla.Tensor;

/** Classification metrics over predicted and true class ids. */
public final class Metrics {
    private Metrics() {
    }

    /** The predicted class of each row of {@code [rows, classes]} scores (the arg-max; first on ties). */
    public static int[] predictions(Tensor scores) {
        if (scores.rank() != 2) {
            throw new IllegalArgumentException("predictions: scores must be [rows, classes], got " + scores.shape());
        }
        try (Tensor argMax = scores.argMax(1)) {
            return argMax.toIntArray();
        }
    }

    /**
     * The fraction of positions where {@code predicted} equals {@code actual}.
     *
     * @throws IllegalArgumentException if the lengths differ or are zero
     */
    public static double accuracy(int[] predicted, int[] actual) {
        return correct(predicted, actual) / (double) predicted.length;
    }

    /** Number of positions where {@code predicted} equals {@code actual}. */
    public static int correct(int[] predicted, int[] actual) {
        if (predicted.length != actual.length || predicted.length == 0) {
            throw new IllegalArgumentException("accuracy: " + predicted.length + " predictions for " + actual.length
                    + " labels; need the same, non-zero number");
        }
        int c = 0;
        for (int i = 0; i < predicted.length; i++) {
            if (predicted[i] == actual[i]) {
                c++;
            }
        }
        return c;
    }

    /** Accuracy of {@code [rows, classes]} scores against INT32 labels {@code [rows]}. */
    public static double accuracy(Tensor scores, Tensor labels) {
        return accuracy(predictions(scores), labels.toIntArray());
    }
}
