package dev.nabla.cli;

import dev.nabla.Device;
import dev.nabla.Nabla;
import dev.nabla.Scope;
import dev.nabla.Tensor;
import dev.nabla.data.TensorDataset;
import dev.nabla.metrics.ConfusionMatrix;
import dev.nabla.metrics.Metrics;
import dev.nabla.nn.Module;
import java.util.Locale;

/**
 * Test-set evaluation shared by {@code train} and {@code evaluate}, so both print the same number
 * for the same model and data: predictions in evaluation mode, without a graph, in fixed chunks.
 */
final class Evaluation {
    private static final int CHUNK = 1024;

    private Evaluation() {
    }

    /** The predicted class of every example of {@code data}. */
    static int[] predict(Module model, TensorDataset data, Device device) {
        boolean training = model.isTraining();
        model.eval();
        int n = data.size();
        int f = data.featureCount();
        float[] x = data.features();
        int[] out = new int[n];
        try (var g = Nabla.noGrad()) {
            for (int from = 0; from < n; from += CHUNK) {
                int rows = Math.min(CHUNK, n - from);
                float[] chunk = new float[rows * f];
                System.arraycopy(x, from * f, chunk, 0, rows * f);
                try (Scope s = Nabla.scope()) {
                    int[] p = Metrics.predictions(model.forward(Tensor.of(device, chunk, rows, f)));
                    System.arraycopy(p, 0, out, from, rows);
                }
            }
        } finally {
            model.train(training);
        }
        return out;
    }

    /**
     * Mean cross-entropy and accuracy of {@code model} (logits out) on {@code data}, in evaluation
     * mode without a graph: what early stopping watches on the validation split.
     */
    static Score score(Module model, TensorDataset data, Device device) {
        boolean training = model.isTraining();
        model.eval();
        int n = data.size();
        int f = data.featureCount();
        float[] x = data.features();
        int[] labels = data.labels();
        double lossSum = 0;
        int correct = 0;
        try (var g = Nabla.noGrad()) {
            for (int from = 0; from < n; from += CHUNK) {
                int rows = Math.min(CHUNK, n - from);
                float[] chunk = new float[rows * f];
                System.arraycopy(x, from * f, chunk, 0, rows * f);
                int[] y = java.util.Arrays.copyOfRange(labels, from, from + rows);
                try (Scope s = Nabla.scope()) {
                    Tensor logits = model.forward(Tensor.of(device, chunk, rows, f));
                    lossSum += logits.softmaxCrossEntropy(Tensor.of(device, y)).item() * rows;
                    correct += Metrics.correct(Metrics.predictions(logits), y);
                }
            }
        } finally {
            model.train(training);
        }
        return new Score(lossSum / n, (double) correct / n);
    }

    /** Mean loss and accuracy over a data set. */
    record Score(double loss, double accuracy) {
    }

    /** Predictions against labels as a confusion matrix. */
    static ConfusionMatrix confusion(Module model, TensorDataset data, Device device) {
        return ConfusionMatrix.of(data.classNames(), data.labels(), predict(model, data, device));
    }

    /** {@code Test accuracy: 0.9778 (352/360)}: the line both commands print. */
    static String accuracyLine(String what, ConfusionMatrix m) {
        return String.format(Locale.ROOT, "%s accuracy: %.4f (%d/%d)", what, m.accuracy(), m.correct(), m.total());
    }
}
