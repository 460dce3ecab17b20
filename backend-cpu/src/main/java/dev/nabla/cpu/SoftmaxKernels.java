package dev.nabla.cpu;

/**
 * Row softmax, log-softmax and the fused softmax cross-entropy, each stable: the row maximum is
 * subtracted before {@code exp}, sums are kept in double. Rows {@code [from, to)}; {@code y} may
 * alias {@code x} exactly (each row is read fully before it is written, or element by element).
 */
final class SoftmaxKernels {
    private SoftmaxKernels() {
    }

    static void softmax(boolean log, float[] x, int xo, float[] y, int yo, int from, int to, int cols) {
        for (int r = from; r < to; r++) {
            int xs = xo + r * cols;
            int ys = yo + r * cols;
            float max = Float.NEGATIVE_INFINITY;
            for (int c = 0; c < cols; c++) {
                max = Math.max(max, x[xs + c]);
            }
            double sum = 0;
            if (log) {
                for (int c = 0; c < cols; c++) {
                    sum += Math.exp(x[xs + c] - max);
                }
                double logSum = Math.log(sum);
                for (int c = 0; c < cols; c++) {
                    y[ys + c] = (float) ((x[xs + c] - max) - logSum);
                }
            } else {
                for (int c = 0; c < cols; c++) {
                    float e = (float) Math.exp(x[xs + c] - max);
                    y[ys + c] = e;
                    sum += e;
                }
                float inv = (float) (1 / sum);
                for (int c = 0; c < cols; c++) {
                    y[ys + c] *= inv;
                }
            }
        }
    }

    static void softmax(boolean log, double[] x, int xo, double[] y, int yo, int from, int to, int cols) {
        for (int r = from; r < to; r++) {
            int xs = xo + r * cols;
            int ys = yo + r * cols;
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < cols; c++) {
                max = Math.max(max, x[xs + c]);
            }
            double sum = 0;
            if (log) {
                for (int c = 0; c < cols; c++) {
                    sum += Math.exp(x[xs + c] - max);
                }
                double logSum = Math.log(sum);
                for (int c = 0; c < cols; c++) {
                    y[ys + c] = (x[xs + c] - max) - logSum;
                }
            } else {
                for (int c = 0; c < cols; c++) {
                    double e = Math.exp(x[xs + c] - max);
                    y[ys + c] = e;
                    sum += e;
                }
                double inv = 1 / sum;
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
    static void crossEntropy(float[] x, int xo, int[] labels, int lo, float[] loss, int losso, float[] grad, int go,
                             int from, int to, int classes) {
        for (int r = from; r < to; r++) {
            int xs = xo + r * classes;
            float max = Float.NEGATIVE_INFINITY;
            for (int c = 0; c < classes; c++) {
                max = Math.max(max, x[xs + c]);
            }
            double sum = 0;
            for (int c = 0; c < classes; c++) {
                sum += Math.exp(x[xs + c] - max);
            }
            int label = labels[lo + r];
            loss[losso + r] = (float) (Math.log(sum) - (x[xs + label] - max));
            if (grad != null) {
                int gs = go + r * classes;
                double inv = 1 / sum;
                for (int c = 0; c < classes; c++) {
                    grad[gs + c] = (float) (Math.exp(x[xs + c] - max) * inv);
                }
                grad[gs + label] -= 1f;
            }
        }
    }

    static void crossEntropy(double[] x, int xo, int[] labels, int lo, double[] loss, int losso, double[] grad, int go,
                             int from, int to, int classes) {
        for (int r = from; r < to; r++) {
            int xs = xo + r * classes;
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < classes; c++) {
                max = Math.max(max, x[xs + c]);
            }
            double sum = 0;
            for (int c = 0; c < classes; c++) {
                sum += Math.exp(x[xs + c] - max);
            }
            int label = labels[lo + r];
            loss[losso + r] = Math.log(sum) - (x[xs + label] - max);
            if (grad != null) {
                int gs = go + r * classes;
                double inv = 1 / sum;
                for (int c = 0; c < classes; c++) {
                    grad[gs + c] = Math.exp(x[xs + c] - max) * inv;
                }
                grad[gs + label] -= 1;
            }
        }
    }
}
