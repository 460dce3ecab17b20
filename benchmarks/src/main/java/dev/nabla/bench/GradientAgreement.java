package dev.nabla.bench;

import dev.nabla.DType;
import dev.nabla.Device;
import dev.nabla.Nabla;
import dev.nabla.Rng;
import dev.nabla.Scope;
import dev.nabla.Tensor;
import dev.nabla.autograd.GradCheck;
import dev.nabla.autograd.GradMode;
import dev.nabla.autograd.NumericalGradient;
import java.util.List;
import java.util.Locale;

/**
 * The check behind {@link GradientBenchmark}: a benchmark of two ways to compute one gradient
 * means nothing unless both compute it. Relative error as everywhere in Nabla:
 * {@code max|g − r| / max(max|r|, 1e-12)}.
 */
public final class GradientAgreement {
    /** Networks up to this many parameters are checked at every coordinate, larger ones at a sample. */
    public static final int FULL_CHECK_LIMIT = 3_000;
    /** Coordinates sampled in larger networks. */
    public static final int SAMPLES = 256;
    /** Step of the float64 central differences. */
    public static final double STEP64 = 1e-6;
    /** Bound on float64 backprop vs float64 central differences. */
    public static final double TOLERANCE64 = 1e-6;
    /** Bound on the benchmarked backend's float32 backprop vs the float64 one. */
    public static final double TOLERANCE32_BACKPROP = 1e-3;
    /**
     * Bound on the float32 numerical gradient (step {@link GradientBenchmark#STEP}) vs float64
     * backprop: the float32 loss is rounded to ~1e-7 relative, divided by 2h, and a few
     * perturbations cross a ReLU kink.
     */
    public static final double TOLERANCE32_NUMERICAL = 5e-2;

    private GradientAgreement() {
    }

    /**
     * Checks, in float64 on the CPU, that backprop and central differences agree for this network
     * and batch, and that the network's own backprop (float32 on its backend) agrees with the
     * float64 one.
     *
     * @return the float64 backprop gradients, one array per parameter
     * @throws IllegalStateException when a check fails
     */
    public static double[][] verify(Mlp mlp, Tensor x, Tensor labels) {
        Device cpu = Device.cpu();
        String what = "MLP with " + mlp.parameterCount() + " parameters";
        try (Mlp m64 = mlp.to(cpu, DType.FLOAT64); Scope s = Nabla.scope()) {
            Tensor x64;
            Tensor y;
            try (GradMode.Guard g = Nabla.noGrad()) {
                x64 = x.to(cpu).to(DType.FLOAT64);
                y = labels.to(cpu);
            }
            double[][] reference = backprop(m64, x64, y);
            List<Tensor> params = m64.parameters();
            double error;
            if (mlp.parameterCount() <= FULL_CHECK_LIMIT) {
                Tensor[] numeric = NumericalGradient.of(() -> m64.loss(x64, y), params, STEP64);
                double[][] num = new double[numeric.length][];
                for (int p = 0; p < numeric.length; p++) {
                    num[p] = numeric[p].toDoubleArray();
                }
                error = relativeError(reference, num);
            } else {
                error = sampledError(m64, x64, y, reference);
            }
            if (!(error <= TOLERANCE64)) {
                throw new IllegalStateException(String.format(Locale.ROOT,
                        "gradient check failed for the %s: backprop and central differences (float64, h=%.0e) "
                                + "differ by max rel. error %.3e > %.0e", what, STEP64, error, TOLERANCE64));
            }
            mlp.zeroGrad();
            double[][] own;
            try (Scope inner = Nabla.scope()) {
                mlp.loss(x, labels).backward();
                own = grads(mlp);
            }
            double ownError = relativeError(own, reference);
            if (!(ownError <= TOLERANCE32_BACKPROP)) {
                throw new IllegalStateException(String.format(Locale.ROOT,
                        "gradient check failed for the %s on %s: its backprop differs from float64 backprop on the "
                                + "CPU by max rel. error %.3e > %.0e", what, x.device(), ownError, TOLERANCE32_BACKPROP));
            }
            return reference;
        }
    }

    /** Checks a float32 numerical gradient against the float64 backprop reference. */
    public static void checkFloat32Numerical(Tensor[] numeric, double[][] reference, int hidden) {
        double[][] num = new double[numeric.length][];
        for (int p = 0; p < numeric.length; p++) {
            num[p] = numeric[p].toDoubleArray();
        }
        double error = relativeError(num, reference);
        if (!(error <= TOLERANCE32_NUMERICAL)) {
            throw new IllegalStateException(String.format(Locale.ROOT,
                    "gradient check failed for hidden=%d: the float32 numerical gradient (h=%.0e) differs from "
                            + "backprop by max rel. error %.3e > %.0e", hidden, GradientBenchmark.STEP, error,
                    TOLERANCE32_NUMERICAL));
        }
    }

    private static double[][] backprop(Mlp m, Tensor x, Tensor y) {
        m.zeroGrad();
        try (Scope s = Nabla.scope()) {
            m.loss(x, y).backward();
            return grads(m);
        }
    }

    private static double[][] grads(Mlp m) {
        List<Tensor> params = m.parameters();
        double[][] g = new double[params.size()][];
        for (int p = 0; p < g.length; p++) {
            g[p] = params.get(p).grad().toDoubleArray();
        }
        return g;
    }

    /** Central differences at {@link #SAMPLES} coordinates chosen by a fixed seed (plus every output bias). */
    private static double sampledError(Mlp m, Tensor x, Tensor y, double[][] reference) {
        List<Tensor> params = m.parameters();
        long total = m.parameterCount();
        Rng rng = new Rng(99);
        int n = SAMPLES + reference[reference.length - 1].length;
        double[] numeric = new double[n];
        double[] analytic = new double[n];
        try (GradMode.Guard g = Nabla.noGrad()) {
            for (int s = 0; s < n; s++) {
                int p;
                int i;
                if (s < SAMPLES) {
                    long flat = (long) (rng.nextDouble() * total);
                    p = 0;
                    while (flat >= params.get(p).numel()) {
                        flat -= params.get(p).numel();
                        p++;
                    }
                    i = (int) flat;
                } else {
                    p = params.size() - 1;
                    i = s - SAMPLES;
                }
                Tensor w = params.get(p);
                double v = w.getElement(i);
                w.setElement(i, v + STEP64);
                double plus = lossValue(m, x, y);
                w.setElement(i, v - STEP64);
                double minus = lossValue(m, x, y);
                w.setElement(i, v);
                numeric[s] = (plus - minus) / (2 * STEP64);
                analytic[s] = reference[p][i];
            }
        }
        return GradCheck.relativeError(analytic, numeric);
    }

    private static double lossValue(Mlp m, Tensor x, Tensor y) {
        try (Scope s = Nabla.scope()) {
            return m.loss(x, y).item();
        }
    }

    /** Relative error over all parameters together: {@code max|g − r| / max(max|r|, 1e-12)}. */
    static double relativeError(double[][] g, double[][] r) {
        double diff = 0;
        double scale = 0;
        for (int p = 0; p < r.length; p++) {
            for (int i = 0; i < r[p].length; i++) {
                double d = Math.abs(g[p][i] - r[p][i]);
                if (Double.isNaN(d)) {
                    return Double.NaN;
                }
                diff = Math.max(diff, d);
                scale = Math.max(scale, Math.abs(r[p][i]));
            }
        }
        return diff / Math.max(scale, 1e-12);
    }
}
