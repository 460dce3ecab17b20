package dev.nabla.cpu;

import dev.nabla.backend.UnaryOp;

/**
 * The math inside elementwise, softmax and cross-entropy kernels that the Vector API speeds up
 * most, {@code exp} above all (measured here: {@code (float) Math.exp} 3–12 ns per element,
 * {@link VectorMath#exp} 0.4 ns, within 1 ulp). {@link #SCALAR} is plain Java; {@code VectorMath}
 * is the Vector API one, chosen with the GEMM kernels ({@link CpuKernels}). Both give the same
 * bits whatever the JIT has compiled so far, so results do not drift during a run.
 */
abstract class FastMath {
    final String name;

    FastMath(String name) {
        this.name = name;
    }

    /** {@code y = op(x, p)} over {@code n} elements when this op is accelerated; false to leave it to the caller. */
    abstract boolean unary(UnaryOp op, float p, float[] x, int xo, float[] y, int yo, int n);

    abstract boolean unary(UnaryOp op, double p, double[] x, int xo, double[] y, int yo, int n);

    /** Largest of {@code n >= 1} elements, NaN if any is NaN. */
    abstract float max(float[] x, int xo, int n);

    abstract double max(double[] x, int xo, int n);

    /** {@code y[i] = exp(x[i] - shift)} (skipped when {@code y == null}); returns the sum of those values. */
    abstract double expShifted(float[] x, int xo, float shift, float[] y, int yo, int n);

    abstract double expShifted(double[] x, int xo, double shift, double[] y, int yo, int n);

    static final FastMath SCALAR = new FastMath("scalar") {
        @Override
        boolean unary(UnaryOp op, float p, float[] x, int xo, float[] y, int yo, int n) {
            return false;
        }

        @Override
        boolean unary(UnaryOp op, double p, double[] x, int xo, double[] y, int yo, int n) {
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
