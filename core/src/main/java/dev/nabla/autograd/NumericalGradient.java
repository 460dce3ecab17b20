package dev.nabla.autograd;

import dev.nabla.Nabla;
import dev.nabla.Scope;
import dev.nabla.Tensor;
import java.util.List;
import java.util.function.Supplier;

/**
 * The naive gradient of the classic texts: perturb one parameter at a time and evaluate the loss
 * twice, {@code (L(w+h) − L(w−h)) / 2h}. Its cost is two forward passes per parameter — which is
 * exactly why backpropagation exists; the benchmarks measure the difference. Runs in each
 * parameter's own dtype and device.
 */
public final class NumericalGradient {
    /** Step used by {@link #of(Supplier, List)}: 1e-4, as the classic texts use for float32. */
    public static final double DEFAULT_STEP = 1e-4;

    private NumericalGradient() {
    }

    /** Gradients of {@code loss} with respect to each parameter, with step 1e-4. */
    public static Tensor[] of(Supplier<Tensor> loss, List<Tensor> params) {
        return of(loss, params, DEFAULT_STEP);
    }

    /**
     * Gradients of {@code loss} (evaluated with grad mode off; must return a one-element tensor)
     * with respect to each parameter, by central differences with step {@code h}. Parameters are
     * restored exactly afterwards. The returned tensors have the parameters' shapes and dtypes.
     */
    public static Tensor[] of(Supplier<Tensor> loss, List<Tensor> params, double h) {
        Tensor[] grads = new Tensor[params.size()];
        try (GradMode.Guard g = GradMode.disable()) {
            for (int p = 0; p < params.size(); p++) {
                Tensor w = params.get(p);
                int n = Math.toIntExact(w.numel());
                double[] grad = new double[n];
                for (int i = 0; i < n; i++) {
                    double v = w.getElement(i);
                    w.setElement(i, v + h);
                    double plus = value(loss);
                    w.setElement(i, v - h);
                    double minus = value(loss);
                    w.setElement(i, v);
                    grad[i] = (plus - minus) / (2 * h);
                }
                grads[p] = hostTensor(w, grad);
            }
        }
        return grads;
    }

    private static Tensor hostTensor(Tensor like, double[] values) {
        int[] dims = like.rank() == 0 ? new int[] {1} : like.dims();
        Tensor t;
        if (like.dtype() == dev.nabla.DType.FLOAT64) {
            t = Tensor.of(like.device(), values, dims);
        } else {
            float[] f = new float[values.length];
            for (int i = 0; i < f.length; i++) {
                f[i] = (float) values[i];
            }
            t = Tensor.of(like.device(), f, dims);
        }
        if (like.rank() == 0) {
            Tensor scalar = t.asStrided(like.shape(), new long[0], 0);
            t.close();
            return scalar;
        }
        return t;
    }

    private static double value(Supplier<Tensor> loss) {
        try (Scope s = Nabla.scope()) {
            Tensor l = loss.get();
            if (l.numel() != 1) {
                throw new IllegalArgumentException("NumericalGradient: the loss must have one element, got shape "
                        + l.shape());
            }
            return l.item();
        }
    }
}
