package dev.nabla.autograd;

import dev.nabla.DType;
import dev.nabla.Device;
import dev.nabla.Nabla;
import dev.nabla.Scope;
import dev.nabla.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Proves backward rules: compares the gradients {@code backward()} computes with central
 * differences {@code (f(x+h) − f(x−h)) / 2h}, in float64.
 *
 * <pre>{@code
 * GradCheck.Result r = GradCheck.check(in -> in.get(0).matmul(in.get(1)).tanh().sum(), a, b);
 * if (!r.passed()) throw new AssertionError(r);
 * }</pre>
 *
 * Inputs are copied to float64 on their device when it supports float64, else on the CPU;
 * integer inputs (labels) pass through unchanged. The function must return a one-element tensor
 * (or any tensor, which is then summed) and must be deterministic (fixed dropout seeds).
 * Relative error, as everywhere in Nabla: {@code max|g − r| / max(max|r|, 1e-12)} per input.
 */
public final class GradCheck {
    /** Default finite-difference step. */
    public static final double DEFAULT_STEP = 1e-6;
    /** Default tolerance on the relative error. */
    public static final double DEFAULT_TOLERANCE = 1e-6;

    private GradCheck() {
    }

    /** Checks with the default step and tolerance. */
    public static Result check(Function<List<Tensor>, Tensor> fn, Tensor... inputs) {
        return check(fn, DEFAULT_STEP, DEFAULT_TOLERANCE, inputs);
    }

    /**
     * Checks with step {@code h} and relative tolerance {@code tolerance}.
     *
     * @throws IllegalArgumentException if no input is floating
     */
    public static Result check(Function<List<Tensor>, Tensor> fn, double h, double tolerance, Tensor... inputs) {
        List<Tensor> xs = new ArrayList<>();
        boolean anyFloating = false;
        // Central differences need float64: a device without it hands the whole check, integer
        // inputs too, to the reference backend.
        boolean float64 = true;
        for (Tensor in : inputs) {
            float64 &= in.device().supports(DType.FLOAT64);
        }
        Device elsewhere = float64 ? null : Device.reference();
        try (Scope scope = Nabla.scope()) {
            for (Tensor in : inputs) {
                if (in.dtype().isFloatingPoint()) {
                    Device d = elsewhere != null ? elsewhere : in.device();
                    Tensor x;
                    try (GradMode.Guard g = GradMode.disable()) {
                        x = in.to(d).to(DType.FLOAT64).contiguous().detach();
                    }
                    xs.add(x.requiresGrad(true)); // requiresGrad takes x out of the scope
                    anyFloating = true;
                } else {
                    xs.add(elsewhere != null ? scope.keep(in.to(elsewhere)) : in);
                }
            }
        }
        if (!anyFloating) {
            throw new IllegalArgumentException("GradCheck: no floating input to check");
        }
        try {
            List<double[]> analytic = new ArrayList<>();
            try (Scope s = Nabla.scope()) {
                Tensor out = scalar(fn.apply(xs));
                out.backward();
            }
            for (Tensor x : xs) {
                if (x.dtype().isFloatingPoint()) {
                    analytic.add(x.grad() == null ? new double[(int) x.numel()] : x.grad().toDoubleArray());
                } else {
                    analytic.add(null);
                }
            }
            List<InputError> errors = new ArrayList<>();
            for (int i = 0; i < xs.size(); i++) {
                Tensor x = xs.get(i);
                if (!x.dtype().isFloatingPoint()) {
                    continue;
                }
                double[] numeric = numericGradient(fn, xs, x, h);
                errors.add(InputError.of(i, x.shape().toString(), analytic.get(i), numeric));
            }
            return new Result(errors, tolerance);
        } finally {
            for (Tensor x : xs) {
                if (x.dtype().isFloatingPoint()) {
                    x.close();
                }
            }
        }
    }

    private static double[] numericGradient(Function<List<Tensor>, Tensor> fn, List<Tensor> xs, Tensor x, double h) {
        int n = Math.toIntExact(x.numel());
        double[] grad = new double[n];
        try (GradMode.Guard g = GradMode.disable()) {
            for (int j = 0; j < n; j++) {
                double v = x.getElement(j);
                x.setElement(j, v + h);
                double plus = evaluate(fn, xs);
                x.setElement(j, v - h);
                double minus = evaluate(fn, xs);
                x.setElement(j, v);
                grad[j] = (plus - minus) / (2 * h);
            }
        }
        return grad;
    }

    static double evaluate(Function<List<Tensor>, Tensor> fn, List<Tensor> xs) {
        try (Scope s = Nabla.scope()) {
            return scalar(fn.apply(xs)).item();
        }
    }

    private static Tensor scalar(Tensor out) {
        return out.numel() == 1 ? out : out.sum();
    }

    /**
     * Errors of one input's gradient.
     *
     * @param input         index among the inputs
     * @param shape         the input's shape
     * @param maxAbsError   {@code max|analytic − numeric|}
     * @param maxRelError   {@code maxAbsError / max(max|numeric|, 1e-12)}
     */
    public record InputError(int input, String shape, double maxAbsError, double maxRelError) {
        static InputError of(int input, String shape, double[] analytic, double[] numeric) {
            return new InputError(input, shape, maxAbs(analytic, numeric), relativeError(analytic, numeric));
        }
    }

    /** {@code max|g − r|} over two arrays of equal length. */
    public static double maxAbs(double[] g, double[] r) {
        double m = 0;
        for (int i = 0; i < g.length; i++) {
            double d = Math.abs(g[i] - r[i]);
            m = Double.isNaN(d) ? Double.NaN : Math.max(m, d);
            if (Double.isNaN(m)) {
                return m;
            }
        }
        return m;
    }

    /** The relative error used everywhere in Nabla: {@code max|g − r| / max(max|r|, 1e-12)}. */
    public static double relativeError(double[] g, double[] r) {
        double scale = 0;
        for (double v : r) {
            scale = Math.max(scale, Math.abs(v));
        }
        return maxAbs(g, r) / Math.max(scale, 1e-12);
    }

    /**
     * The outcome: one error entry per floating input.
     *
     * @param inputs    per-input errors
     * @param tolerance the relative tolerance applied
     */
    public record Result(List<InputError> inputs, double tolerance) {
        /** Largest relative error over all inputs. */
        public double maxRelError() {
            double m = 0;
            for (InputError e : inputs) {
                if (Double.isNaN(e.maxRelError())) {
                    return Double.NaN;
                }
                m = Math.max(m, e.maxRelError());
            }
            return m;
        }

        /** Whether every input is within the tolerance (NaN fails). */
        public boolean passed() {
            double m = maxRelError();
            return !Double.isNaN(m) && m <= tolerance;
        }

        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder(passed() ? "GradCheck passed" : "GradCheck FAILED")
                    .append(String.format(Locale.ROOT, " (tolerance %.1e)", tolerance));
            for (InputError e : inputs) {
                sb.append(String.format(Locale.ROOT, "%n  input %d %s: max abs %.3e, max rel %.3e", e.input(),
                        e.shape(), e.maxAbsError(), e.maxRelError()));
            }
            return sb.toString();
        }
    }
}
