package dev.nabla.cpu;

import dev.nabla.backend.UnaryOp;

/**
 * {@code y = op(x)} over contiguous ranges: the Vector API loops when {@link SimdLoops} has one for
 * the op, else the table's scalar reference ({@link UnaryOp#apply}) element by element, computed in
 * double and rounded once. For float32 that is the correctly rounded result of the float operation
 * for the basic arithmetic ops (a double has more than twice a float's precision), so the two paths
 * agree bit for bit there. Loops read {@code x[i]} before writing {@code y[i]}, so exact aliasing
 * is safe.
 */
final class UnaryKernels {
    private UnaryKernels() {
    }

    static void apply(SimdLoops math, UnaryOp op, float p, float[] x, int xo, float[] y, int yo, int n) {
        if (!math.unary(op, p, x, xo, y, yo, n)) {
            applyScalar(op, p, x, xo, y, yo, n);
        }
    }

    static void apply(SimdLoops math, UnaryOp op, double p, double[] x, int xo, double[] y, int yo, int n) {
        if (!math.unary(op, p, x, xo, y, yo, n)) {
            applyScalar(op, p, x, xo, y, yo, n);
        }
    }

    static void applyScalar(UnaryOp op, float p, float[] x, int xo, float[] y, int yo, int n) {
        for (int i = 0; i < n; i++) {
            y[yo + i] = (float) op.apply(x[xo + i], p);
        }
    }

    static void applyScalar(UnaryOp op, double p, double[] x, int xo, double[] y, int yo, int n) {
        for (int i = 0; i < n; i++) {
            y[yo + i] = op.apply(x[xo + i], p);
        }
    }
}
