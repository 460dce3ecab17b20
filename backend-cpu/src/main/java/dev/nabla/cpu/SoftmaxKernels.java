package dev.nabla.cpu;

/**
 * Row softmax, log-softmax and the fused softmax cross-entropy, each stable: the row maximum is
 * subtracted before {@code exp} ({@link FastMath}: vectorised when the Vector API is there). Rows {@code [from, to)}; {@code y} may
 * alias {@code x} exactly (each row is read fully before it is written, or element by element).
 */
final class SoftmaxKernels {
    private SoftmaxKernels() {
    }

    static void softmax(FastMath math, boolean log, float[] x, int xo, float[] y, int yo, int from, int to,
                        int cols) {
        for (int r = from; r < to; r++) {
            int xs = xo + r * cols;
            int ys = yo + r * cols;
            float max = math.max(x, xs, cols);
            if (log) {
                double logSum = Math.log(math.expShifted(x, xs, max, null, 0, cols));
                for (int c = 0; c < cols; c++) {
                    y[ys + c] = (float) ((x[xs + c] - max) - logSum);
                }
            } else {
                float inv = (float) (1 / math.expShifted(x, xs, max, y, ys, cols));
                for (int c = 0; c < cols; c++) {
                    y[ys + c] *= inv;
                }
            }
        }
    }

    static void softmax(FastMath math, boolean log, double[] x, int xo, double[] y, int yo, int from, int to,
                        int cols) {
        for (int r = from; r < to; r++) {
            int xs = xo + r * cols;
            int ys = yo + r * cols;
            double max = math.max(x, xs, cols);
            if (log) {
                double logSum = Math.log(math.expShifted(x, xs, max, null, 0, cols));
                for (int c = 0; c < cols; c++) {
                    y[ys + c] = (x[xs + c] - max) - logSum;
                }
            } else {
                double inv = 1 / math.expShifted(x, xs, max, y, ys, cols);
                for (int c = 0; c < cols; c++) {
                    y[ys + c] *= inv;
                }
            }
        }
    }

    /**
     * {@code loss[r] = log Σ exp(x - max) - (x[label] - max)}; {@code grad[r] = softmax - onehot}
     * when {@code grad != null}. Labels were validated by the caller.
     */
    static void crossEntropy(FastMath math, float[] x, int xo, int[] labels, int lo, float[] loss, int losso,
                             float[] grad, int go, int from, int to, int classes) {
        for (int r = from; r < to; r++) {
            int xs = xo + r * classes;
            float max = math.max(x, xs, classes);
            int gs = go + r * classes;
            double sum = math.expShifted(x, xs, max, grad, gs, classes);
            int label = labels[lo + r];
            loss[losso + r] = (float) (Math.log(sum) - (x[xs + label] - max));
            if (grad != null) {
                float inv = (float) (1 / sum);
                for (int c = 0; c < classes; c++) {
                    grad[gs + c] *= inv;
                }
                grad[gs + label] -= 1f;
            }
        }
    }

    static void crossEntropy(FastMath math, double[] x, int xo, int[] labels, int lo, double[] loss, int losso,
                             double[] grad, int go, int from, int to, int classes) {
        for (int r = from; r < to; r++) {
            int xs = xo + r * classes;
            double max = math.max(x, xs, classes);
            int gs = go + r * classes;
            double sum = math.expShifted(x, xs, max, grad, gs, classes);
            int label = labels[lo + r];
            loss[losso + r] = Math.log(sum) - (x[xs + label] - max);
            if (grad != null) {
                double inv = 1 / sum;
                for (int c = 0; c < classes; c++) {
                    grad[gs + c] *= inv;
                }
                grad[gs + label] -= 1;
            }
        }
    }
}
