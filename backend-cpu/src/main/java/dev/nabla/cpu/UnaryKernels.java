package dev.nabla.cpu;

import dev.nabla.backend.UnaryOp;

/**
 * {@code y = op(x)} and {@code dx = dy · op'(x)} over contiguous ranges. One tight loop per op, so
 * that C2 vectorises the simple ones; transcendental ones go to {@link FastMath} (the Vector API)
 * when it has them, else through {@link Math} in double.
 * Loops read {@code x[i]} before writing {@code y[i]}, so exact aliasing is safe.
 */
final class UnaryKernels {
    private UnaryKernels() {
    }

    static void apply(FastMath math, UnaryOp op, float p, float[] x, int xo, float[] y, int yo, int n) {
        if (!math.unary(op, p, x, xo, y, yo, n)) {
            applyScalar(op, p, x, xo, y, yo, n);
        }
    }

    static void apply(FastMath math, UnaryOp op, double p, double[] x, int xo, double[] y, int yo, int n) {
        if (!math.unary(op, p, x, xo, y, yo, n)) {
            applyScalar(op, p, x, xo, y, yo, n);
        }
    }

    static void applyScalar(UnaryOp op, float p, float[] x, int xo, float[] y, int yo, int n) {
        switch (op) {
            case NEG -> { for (int i = 0; i < n; i++) { y[yo + i] = -x[xo + i]; } }
            case EXP -> { for (int i = 0; i < n; i++) { y[yo + i] = (float) Math.exp(x[xo + i]); } }
            case LOG -> { for (int i = 0; i < n; i++) { y[yo + i] = (float) Math.log(x[xo + i]); } }
            case SQRT -> { for (int i = 0; i < n; i++) { y[yo + i] = (float) Math.sqrt(x[xo + i]); } }
            case ABS -> { for (int i = 0; i < n; i++) { y[yo + i] = Math.abs(x[xo + i]); } }
            case RELU -> { for (int i = 0; i < n; i++) { float v = x[xo + i]; y[yo + i] = v > 0 ? v : 0f; } }
            case LEAKY_RELU -> { for (int i = 0; i < n; i++) { float v = x[xo + i]; y[yo + i] = v > 0 ? v : p * v; } }
            case SIGMOID -> { for (int i = 0; i < n; i++) { y[yo + i] = (float) (1 / (1 + Math.exp(-x[xo + i]))); } }
            case TANH -> { for (int i = 0; i < n; i++) { y[yo + i] = (float) Math.tanh(x[xo + i]); } }
            case POW -> { for (int i = 0; i < n; i++) { y[yo + i] = (float) Math.pow(x[xo + i], p); } }
            case SCALE -> { for (int i = 0; i < n; i++) { y[yo + i] = x[xo + i] * p; } }
            case ADD_SCALAR -> { for (int i = 0; i < n; i++) { y[yo + i] = x[xo + i] + p; } }
            case RECIPROCAL -> { for (int i = 0; i < n; i++) { y[yo + i] = 1f / x[xo + i]; } }
            case SQUARE -> { for (int i = 0; i < n; i++) { float v = x[xo + i]; y[yo + i] = v * v; } }
            case SIGN -> { for (int i = 0; i < n; i++) { y[yo + i] = Math.signum(x[xo + i]); } }
        }
    }

    static void applyScalar(UnaryOp op, double p, double[] x, int xo, double[] y, int yo, int n) {
        switch (op) {
            case NEG -> { for (int i = 0; i < n; i++) { y[yo + i] = -x[xo + i]; } }
            case EXP -> { for (int i = 0; i < n; i++) { y[yo + i] = Math.exp(x[xo + i]); } }
            case LOG -> { for (int i = 0; i < n; i++) { y[yo + i] = Math.log(x[xo + i]); } }
            case SQRT -> { for (int i = 0; i < n; i++) { y[yo + i] = Math.sqrt(x[xo + i]); } }
            case ABS -> { for (int i = 0; i < n; i++) { y[yo + i] = Math.abs(x[xo + i]); } }
            case RELU -> { for (int i = 0; i < n; i++) { double v = x[xo + i]; y[yo + i] = v > 0 ? v : 0d; } }
            case LEAKY_RELU -> { for (int i = 0; i < n; i++) { double v = x[xo + i]; y[yo + i] = v > 0 ? v : p * v; } }
            case SIGMOID -> { for (int i = 0; i < n; i++) { y[yo + i] = 1 / (1 + Math.exp(-x[xo + i])); } }
            case TANH -> { for (int i = 0; i < n; i++) { y[yo + i] = Math.tanh(x[xo + i]); } }
            case POW -> { for (int i = 0; i < n; i++) { y[yo + i] = Math.pow(x[xo + i], p); } }
            case SCALE -> { for (int i = 0; i < n; i++) { y[yo + i] = x[xo + i] * p; } }
            case ADD_SCALAR -> { for (int i = 0; i < n; i++) { y[yo + i] = x[xo + i] + p; } }
            case RECIPROCAL -> { for (int i = 0; i < n; i++) { y[yo + i] = 1 / x[xo + i]; } }
            case SQUARE -> { for (int i = 0; i < n; i++) { double v = x[xo + i]; y[yo + i] = v * v; } }
            case SIGN -> { for (int i = 0; i < n; i++) { y[yo + i] = Math.signum(x[xo + i]); } }
        }
    }

    /** {@code dx = dy · op'(x, y)}; {@code dx} may alias {@code dy} (or x, y) exactly. */
    static void gradient(UnaryOp op, float p, float[] x, int xo, float[] y, int yo, float[] dy, int dyo,
                         float[] dx, int dxo, int n) {
        switch (op) {
            case NEG -> { for (int i = 0; i < n; i++) { dx[dxo + i] = -dy[dyo + i]; } }
            case EXP -> { for (int i = 0; i < n; i++) { dx[dxo + i] = dy[dyo + i] * y[yo + i]; } }
            case LOG -> { for (int i = 0; i < n; i++) { dx[dxo + i] = dy[dyo + i] / x[xo + i]; } }
            case SQRT -> { for (int i = 0; i < n; i++) { dx[dxo + i] = dy[dyo + i] * (0.5f / y[yo + i]); } }
            case ABS, SIGN, RELU, LEAKY_RELU, POW -> {
                for (int i = 0; i < n; i++) {
                    dx[dxo + i] = (float) (dy[dyo + i] * op.derivative(x[xo + i], 0, p));
                }
            }
            case SIGMOID -> { for (int i = 0; i < n; i++) { float v = y[yo + i]; dx[dxo + i] = dy[dyo + i] * v * (1 - v); } }
            case TANH -> { for (int i = 0; i < n; i++) { float v = y[yo + i]; dx[dxo + i] = dy[dyo + i] * (1 - v * v); } }
            case SCALE -> { for (int i = 0; i < n; i++) { dx[dxo + i] = dy[dyo + i] * p; } }
            case ADD_SCALAR -> { for (int i = 0; i < n; i++) { dx[dxo + i] = dy[dyo + i]; } }
            case RECIPROCAL -> { for (int i = 0; i < n; i++) { float v = y[yo + i]; dx[dxo + i] = -dy[dyo + i] * v * v; } }
            case SQUARE -> { for (int i = 0; i < n; i++) { dx[dxo + i] = dy[dyo + i] * 2 * x[xo + i]; } }
        }
    }

    static void gradient(UnaryOp op, double p, double[] x, int xo, double[] y, int yo, double[] dy, int dyo,
                         double[] dx, int dxo, int n) {
        switch (op) {
            case NEG -> { for (int i = 0; i < n; i++) { dx[dxo + i] = -dy[dyo + i]; } }
            case EXP -> { for (int i = 0; i < n; i++) { dx[dxo + i] = dy[dyo + i] * y[yo + i]; } }
            case LOG -> { for (int i = 0; i < n; i++) { dx[dxo + i] = dy[dyo + i] / x[xo + i]; } }
            case SQRT -> { for (int i = 0; i < n; i++) { dx[dxo + i] = dy[dyo + i] * (0.5 / y[yo + i]); } }
            case ABS, SIGN, RELU, LEAKY_RELU, POW -> {
                for (int i = 0; i < n; i++) {
                    dx[dxo + i] = dy[dyo + i] * op.derivative(x[xo + i], 0, p);
                }
            }
            case SIGMOID -> { for (int i = 0; i < n; i++) { double v = y[yo + i]; dx[dxo + i] = dy[dyo + i] * v * (1 - v); } }
            case TANH -> { for (int i = 0; i < n; i++) { double v = y[yo + i]; dx[dxo + i] = dy[dyo + i] * (1 - v * v); } }
            case SCALE -> { for (int i = 0; i < n; i++) { dx[dxo + i] = dy[dyo + i] * p; } }
            case ADD_SCALAR -> { for (int i = 0; i < n; i++) { dx[dxo + i] = dy[dyo + i]; } }
            case RECIPROCAL -> { for (int i = 0; i < n; i++) { double v = y[yo + i]; dx[dxo + i] = -dy[dyo + i] * v * v; } }
            case SQUARE -> { for (int i = 0; i < n; i++) { dx[dxo + i] = dy[dyo + i] * 2 * x[xo + i]; } }
        }
    }
}
