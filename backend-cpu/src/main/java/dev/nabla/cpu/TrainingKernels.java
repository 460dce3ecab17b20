package dev.nabla.cpu;

/**
 * Dropout with the Philox-4x32-10 stream and the fused SGD / Adam updates, over element ranges
 * {@code [from, to)}. Arithmetic in double, stored in the buffer's dtype. Philox is computed inline
 * (one block per four elements) so that no array is allocated per element.
 */
final class TrainingKernels {
    private TrainingKernels() {
    }

    /** Writes the four Philox words of counter {@code block} under {@code seed} into {@code out}. */
    static void philox(long seed, long block, int[] out) {
        int c0 = (int) block;
        int c1 = (int) (block >>> 32);
        int c2 = 0;
        int c3 = 0;
        int k0 = (int) seed;
        int k1 = (int) (seed >>> 32);
        for (int round = 0; round < 10; round++) {
            long p0 = 0xD2511F53L * (c0 & 0xFFFFFFFFL);
            long p1 = 0xCD9E8D57L * (c2 & 0xFFFFFFFFL);
            int n0 = (int) (p1 >>> 32) ^ c1 ^ k0;
            int n2 = (int) (p0 >>> 32) ^ c3 ^ k1;
            c1 = (int) p1;
            c3 = (int) p0;
            c0 = n0;
            c2 = n2;
            k0 += 0x9E3779B9;
            k1 += 0xBB67AE85;
        }
        out[0] = c0;
        out[1] = c1;
        out[2] = c2;
        out[3] = c3;
    }

    /** Inverted dropout; element {@code i} is kept when {@code uniform(seed, i) >= p}. */
    static void dropout(double p, long seed, Object x, int xo, Object y, int yo, Object mask, int mo, int from, int to) {
        int[] words = new int[4];
        double scale = 1 / (1 - p);
        long block = -1;
        float[] xf = x instanceof float[] a ? a : null;
        for (int i = from; i < to; i++) {
            if ((i >>> 2) != block) {
                block = i >>> 2;
                philox(seed, block, words);
            }
            float u = (words[i & 3] >>> 8) * 0x1.0p-24f;
            boolean keep = u >= p;
            if (xf != null) {
                float m = keep ? (float) scale : 0f;
                float v = xf[xo + i];
                ((float[]) mask)[mo + i] = m;
                ((float[]) y)[yo + i] = keep ? v * m : 0f;
            } else {
                double m = keep ? scale : 0;
                double v = ((double[]) x)[xo + i];
                ((double[]) mask)[mo + i] = m;
                ((double[]) y)[yo + i] = keep ? v * m : 0;
            }
        }
    }

    /** SGD, PyTorch semantics (see {@link dev.nabla.backend.Backend#sgdStep}); {@code v == null} without momentum. */
    static void sgd(SimdLoops math, float[] p, int po, float[] g, int go, float[] v, int vo, int from, int to,
                    double lr, double momentum, double dampening, double wd, boolean nesterov, boolean first) {
        if (!math.sgd(p, po, g, go, v, vo, from, to, lr, momentum, dampening, wd, nesterov, first)) {
            sgdScalar(p, po, g, go, v, vo, from, to, lr, momentum, dampening, wd, nesterov, first);
        }
    }

    static void sgdScalar(float[] p, int po, float[] g, int go, float[] v, int vo, int from, int to, double lr,
                          double momentum, double dampening, double wd, boolean nesterov, boolean first) {
        for (int i = from; i < to; i++) {
            double grad = g[go + i] + wd * p[po + i];
            if (v != null) {
                float vel = (float) (first ? grad : momentum * v[vo + i] + (1 - dampening) * grad);
                v[vo + i] = vel;
                grad = nesterov ? grad + momentum * vel : vel;
            }
            p[po + i] = (float) (p[po + i] - lr * grad);
        }
    }

    static void sgd(double[] p, int po, double[] g, int go, double[] v, int vo, int from, int to, double lr,
                    double momentum, double dampening, double wd, boolean nesterov, boolean first) {
        for (int i = from; i < to; i++) {
            double grad = g[go + i] + wd * p[po + i];
            if (v != null) {
                double vel = first ? grad : momentum * v[vo + i] + (1 - dampening) * grad;
                v[vo + i] = vel;
                grad = nesterov ? grad + momentum * vel : vel;
            }
            p[po + i] = p[po + i] - lr * grad;
        }
    }

    /** Adam / AdamW (see {@link dev.nabla.backend.Backend#adamStep}). */
    static void adam(SimdLoops math, float[] p, int po, float[] g, int go, float[] m, int mo, float[] v, int vo,
                     int from, int to, double lr, double b1, double b2, double eps, double wd, boolean decoupled,
                     long step) {
        if (!math.adam(p, po, g, go, m, mo, v, vo, from, to, lr, b1, b2, eps, wd, decoupled, step)) {
            adamScalar(p, po, g, go, m, mo, v, vo, from, to, lr, b1, b2, eps, wd, decoupled, step);
        }
    }

    static void adamScalar(float[] p, int po, float[] g, int go, float[] m, int mo, float[] v, int vo, int from,
                           int to, double lr, double b1, double b2, double eps, double wd, boolean decoupled,
                           long step) {
        double c1 = 1 - Math.pow(b1, step);
        double c2 = 1 - Math.pow(b2, step);
        for (int i = from; i < to; i++) {
            double param = p[po + i];
            double grad = g[go + i];
            if (decoupled) {
                param *= 1 - lr * wd;
            } else {
                grad += wd * param;
            }
            float mi = (float) (b1 * m[mo + i] + (1 - b1) * grad);
            float vi = (float) (b2 * v[vo + i] + (1 - b2) * grad * grad);
            m[mo + i] = mi;
            v[vo + i] = vi;
            p[po + i] = (float) (param - lr * (mi / c1) / (Math.sqrt(vi / c2) + eps));
        }
    }

    static void adam(double[] p, int po, double[] g, int go, double[] m, int mo, double[] v, int vo, int from, int to,
                     double lr, double b1, double b2, double eps, double wd, boolean decoupled, long step) {
        double c1 = 1 - Math.pow(b1, step);
        double c2 = 1 - Math.pow(b2, step);
        for (int i = from; i < to; i++) {
            double param = p[po + i];
            double grad = g[go + i];
            if (decoupled) {
                param *= 1 - lr * wd;
            } else {
                grad += wd * param;
            }
            double mi = b1 * m[mo + i] + (1 - b1) * grad;
            double vi = b2 * v[vo + i] + (1 - b2) * grad * grad;
            m[mo + i] = mi;
            v[vo + i] = vi;
            p[po + i] = param - lr * (mi / c1) / (Math.sqrt(vi / c2) + eps);
        }
    }
}
