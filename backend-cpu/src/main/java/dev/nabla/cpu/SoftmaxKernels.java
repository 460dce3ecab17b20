package dev.nabla.cpu;

import dev.nabla.backend.UnaryOp;

/**
 * Row softmax, log-softmax and the fused softmax cross-entropy, each stable: the row maximum is
 * subtracted before {@code exp} ({@link SimdLoops}: vectorised when the Vector API is there). Rows {@code [from, to)}; {@code y} may
 * alias {@code x} exactly (each row is read fully before it is written, or element by element).
 */
final class SoftmaxKernels {
    private SoftmaxKernels() {
    }

    static void softmax(SimdLoops math, boolean log, float[] x, int xo, float[] y, int yo, int from, int to,
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

    static void softmax(SimdLoops math, boolean log, double[] x, int xo, double[] y, int yo, int from, int to,
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
    static void crossEntropy(SimdLoops math, float[] x, int xo, int[] labels, int lo, float[] loss, int losso,
                             float[] grad, int go, int from, int to, int classes) {
        if (grad != null && classes < math.lanes()) {
            crossEntropyShortRows(math, x, xo, labels, lo, loss, losso, grad, go, from, to, classes);
        } else {
            crossEntropyRows(math, x, xo, labels, lo, loss, losso, grad, go, from, to, classes);
        }
    }

    /** {@link #crossEntropy} one row at a time. */
    static void crossEntropyRows(SimdLoops math, float[] x, int xo, int[] labels, int lo, float[] loss, int losso,
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

    /**
     * {@link #crossEntropy} for rows shorter than a vector (3 classes of iris, 10 digits): the
     * shifted logits of all rows go through one vectorised exp instead of a scalar exp per element,
     * then each row is summed in order as before, so the bits are the same.
     */
    static void crossEntropyShortRows(SimdLoops math, float[] x, int xo, int[] labels, int lo, float[] loss,
                                              int losso, float[] grad, int go, int from, int to, int classes) {
        float[] max = new float[to - from];
        for (int r = from; r < to; r++) {
            int xs = xo + r * classes;
            int gs = go + r * classes;
            float m = math.max(x, xs, classes);
            max[r - from] = m;
            for (int c = 0; c < classes; c++) {
                grad[gs + c] = x[xs + c] - m;
            }
        }
        int block = go + from * classes;
        math.unary(UnaryOp.EXP, 0f, grad, block, grad, block, (to - from) * classes);
        for (int r = from; r < to; r++) {
            int xs = xo + r * classes;
            int gs = go + r * classes;
            double sum = 0;
            for (int c = 0; c < classes; c++) {
                sum += grad[gs + c];
            }
            int label = labels[lo + r];
            loss[losso + r] = (float) (Math.log(sum) - (x[xs + label] - max[r - from]));
            float inv = (float) (1 / sum);
            for (int c = 0; c < classes; c++) {
                grad[gs + c] *= inv;
            }
            grad[gs + label] -= 1f;
        }
    }

    static void crossEntropy(SimdLoops math, double[] x, int xo, int[] labels, int lo, double[] loss, int losso,
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
