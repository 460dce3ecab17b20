package dev.nabla.cpu;

import dev.nabla.backend.BinaryOp;
import dev.nabla.backend.ReduceOp;
import dev.nabla.backend.UnaryOp;

/**
 * The float32 loops of the elementwise, reduction, softmax and optimizer kernels that the Vector
 * API speeds up: {@code exp} above all (measured here: {@code (float) Math.exp} 3–12 ns per
 * element, {@link VectorMath#exp} 0.4 ns, within 1 ulp), and the plain arithmetic loops, which C2
 * does not vectorise by itself here. {@link #SCALAR} is plain Java and leaves everything but
 * {@code max} and {@code expShifted} to the callers' scalar loops; {@code VectorMath} is the
 * Vector API one, chosen with the GEMM kernels ({@link CpuKernels}). Both give the same bits
 * whatever the JIT has compiled so far, so results do not drift during a run; apart from
 * {@code exp}, the vector loops give the same bits as the scalar ones.
 */
abstract class SimdLoops {
    final String name;

    SimdLoops(String name) {
        this.name = name;
    }

    /** Floats per vector of the accelerated loops (0 when none are). */
    abstract int lanes();

    /** {@code y = op(x, p)} over {@code n} elements when this op is accelerated; false to leave it to the caller. */
    abstract boolean unary(UnaryOp op, float p, float[] x, int xo, float[] y, int yo, int n);

    abstract boolean unary(UnaryOp op, double p, double[] x, int xo, double[] y, int yo, int n);

    /** Whether {@link #unaryGrad} has a fused loop for {@code op}. */
    abstract boolean fusesGradient(UnaryOp op);

    /** {@code dx = dy · op'(x, y)} over {@code n} elements when this op is accelerated; false to leave it to the caller. */
    abstract boolean unaryGrad(UnaryOp op, float p, float[] x, int xo, float[] y, int yo, float[] dy, int dyo,
                               float[] dx, int dxo, int n);

    /**
     * {@code o = op(a, b)} over {@code n} elements where {@code a} and {@code b} step by
     * {@code sa} and {@code sb} elements, when accelerated for these strides; false to leave it to the caller.
     */
    abstract boolean binary(BinaryOp op, float[] a, int ai, int sa, float[] b, int bi, int sb, float[] o, int oi,
                            int n);

    /**
     * {@code out[oo + i] = op(identity, x[xo + i], x[xo + inner + i], ...)} over {@code extent}
     * rows, in row order, for every column {@code i < inner}: SUM (and MEAN, not yet divided), MAX,
     * MIN, when accelerated; false to leave it to the caller.
     */
    abstract boolean reduceRows(ReduceOp op, float[] x, int xo, int extent, int inner, float[] out, int oo);

    /** The optimizer updates of {@link TrainingKernels} when accelerated; false to leave them to it. */
    abstract boolean sgd(float[] p, int po, float[] g, int go, float[] v, int vo, int from, int to, double lr,
                         double momentum, double dampening, double wd, boolean nesterov, boolean first);

    abstract boolean adam(float[] p, int po, float[] g, int go, float[] m, int mo, float[] v, int vo, int from,
                          int to, double lr, double b1, double b2, double eps, double wd, boolean decoupled, long step);

    /**
     * A float32 GEMM ({@link GemmF32#gemm} arguments) done here when its shape would waste the
     * packed {@code mr x nr} kernel's work; false to leave it to that kernel.
     */
    abstract boolean gemm(boolean ta, boolean tb, int m, int n, int k, float alpha, float[] a, int aOff, int lda,
                          float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc, int mr, int nr);

    /**
     * Sum of {@code n} elements in double, one after the other (0 for none). Not vectorised: in
     * lanes the float result would round differently, and this ran at 9 GB/s here (1M floats in
     * 0.6 ms), no slower than a double-lane version, whose float-to-double conversions cost as
     * much as the additions saved.
     */
    final double sum(float[] x, int xo, int n) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += x[xo + i];
        }
        return s;
    }

    /**
     * {@code o = op(a, b)} over {@code rows} rows of {@code n} elements, unit strides within a row,
     * row strides {@code ra}, {@code rb} (0 broadcasts a row), output rows contiguous, when
     * accelerated; false to leave it to the caller.
     */
    abstract boolean binaryRows(BinaryOp op, float[] a, int ai, int ra, float[] b, int bi, int rb, float[] o, int oi,
                                int n, int rows);

    /** Largest of {@code n} elements, NaN if any is NaN, -inf for none. */
    abstract float max(float[] x, int xo, int n);

    /** Smallest of {@code n} elements, NaN if any is NaN, +inf for none. */
    abstract float min(float[] x, int xo, int n);

    abstract double max(double[] x, int xo, int n);

    /** {@code y[i] = exp(x[i] - shift)} (skipped when {@code y == null}); returns the sum of those values. */
    abstract double expShifted(float[] x, int xo, float shift, float[] y, int yo, int n);

    abstract double expShifted(double[] x, int xo, double shift, double[] y, int yo, int n);

    static final SimdLoops SCALAR = new SimdLoops("scalar") {
        @Override
        int lanes() {
            return 0;
        }

        @Override
        boolean unary(UnaryOp op, float p, float[] x, int xo, float[] y, int yo, int n) {
            return false;
        }

        @Override
        boolean unary(UnaryOp op, double p, double[] x, int xo, double[] y, int yo, int n) {
            return false;
        }

        @Override
        boolean fusesGradient(UnaryOp op) {
            return false;
        }

        @Override
        boolean unaryGrad(UnaryOp op, float p, float[] x, int xo, float[] y, int yo, float[] dy, int dyo,
                          float[] dx, int dxo, int n) {
            return false;
        }

        @Override
        boolean binary(BinaryOp op, float[] a, int ai, int sa, float[] b, int bi, int sb, float[] o, int oi, int n) {
            return false;
        }

        @Override
        boolean reduceRows(ReduceOp op, float[] x, int xo, int extent, int inner, float[] out, int oo) {
            return false;
        }

        @Override
        boolean sgd(float[] p, int po, float[] g, int go, float[] v, int vo, int from, int to, double lr,
                    double momentum, double dampening, double wd, boolean nesterov, boolean first) {
            return false;
        }

        @Override
        boolean adam(float[] p, int po, float[] g, int go, float[] m, int mo, float[] v, int vo, int from, int to,
                     double lr, double b1, double b2, double eps, double wd, boolean decoupled, long step) {
            return false;
        }

        @Override
        boolean gemm(boolean ta, boolean tb, int m, int n, int k, float alpha, float[] a, int aOff, int lda,
                     float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc, int mr, int nr) {
            return false;
        }

        @Override
        boolean binaryRows(BinaryOp op, float[] a, int ai, int ra, float[] b, int bi, int rb, float[] o, int oi, int n,
                           int rows) {
            return false;
        }

        @Override
        float max(float[] x, int xo, int n) {
            float m = Float.NEGATIVE_INFINITY;
            for (int i = 0; i < n; i++) {
                m = Math.max(m, x[xo + i]);
            }
            return m;
        }

        @Override
        float min(float[] x, int xo, int n) {
            float m = Float.POSITIVE_INFINITY;
            for (int i = 0; i < n; i++) {
                m = Math.min(m, x[xo + i]);
            }
            return m;
        }

        @Override
        double max(double[] x, int xo, int n) {
            double m = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < n; i++) {
                m = Math.max(m, x[xo + i]);
            }
            return m;
        }

        @Override
        double expShifted(float[] x, int xo, float shift, float[] y, int yo, int n) {
            double sum = 0;
            for (int i = 0; i < n; i++) {
                float e = (float) Math.exp(x[xo + i] - shift);
                if (y != null) {
                    y[yo + i] = e;
                }
                sum += e;
            }
            return sum;
        }

        @Override
        double expShifted(double[] x, int xo, double shift, double[] y, int yo, int n) {
            double sum = 0;
            for (int i = 0; i < n; i++) {
                double e = Math.exp(x[xo + i] - shift);
                if (y != null) {
                    y[yo + i] = e;
                }
                sum += e;
            }
            return sum;
        }
    };
}
