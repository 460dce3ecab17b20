package dev.nabla.backend;

import dev.nabla.Tensor;
import java.util.Locale;

/**
 * The table of reductions along one axis: for each, the scalar fold (identity, combine, finish)
 * that is the reference, its GPU expressions (the kernels' {@code switch} is generated from them),
 * and the backward rule written with tensor ops. {@link #MAX} and {@link #MIN} propagate NaN.
 */
public enum ReduceOp {
    /** Gradient: {@code g} to every element. */
    SUM(0, (acc, v) -> acc + v, false, "ZERO", "acc + v", "acc", false,
            (g, x, y, dims, axes, count) -> g.expand(dims)),
    /** Gradient: {@code g / count} to every element; an empty mean is NaN. */
    MEAN(0, (acc, v) -> acc + v, true, "ZERO", "acc + v", "acc / (REAL) extent", false,
            (g, x, y, dims, axes, count) -> g.mul(1.0 / count).expand(dims)),
    /** Gradient: to the elements equal to the result, shared equally among ties. */
    MAX(Double.NEGATIVE_INFINITY, Math::max, false, "-INFINITY", "nb_max(acc, v)", "acc", true,
            ReduceOp::toExtremes),
    /** Gradient: to the elements equal to the result, shared equally among ties. */
    MIN(Double.POSITIVE_INFINITY, Math::min, false, "INFINITY", "nb_min(acc, v)", "acc", true,
            ReduceOp::toExtremes);

    /** One step of the fold. */
    @FunctionalInterface
    public interface Combine {
        double apply(double acc, double v);
    }

    /** The backward rule. */
    @FunctionalInterface
    public interface Rule {
        /**
         * @param g     the output's gradient, shaped like {@code x} with the reduced axes kept as 1
         * @param x     the input and {@code y} the output, shaped like {@code g} (both null unless
         *              the op {@link #savesValues() saves} them)
         * @param dims  the input's shape
         * @param axes  the reduced axes (sorted, distinct)
         * @param count how many elements each output folded
         */
        Tensor backward(Tensor g, Tensor x, Tensor y, int[] dims, int[] axes, long count);
    }

    private final double identity;
    private final Combine combine;
    private final boolean divides;
    private final String identityKernel;
    private final String combineKernel;
    private final String finishKernel;
    private final boolean savesValues;
    private final Rule rule;

    ReduceOp(double identity, Combine combine, boolean divides, String identityKernel, String combineKernel,
             String finishKernel, boolean savesValues, Rule rule) {
        this.savesValues = savesValues;
        this.identity = identity;
        this.combine = combine;
        this.divides = divides;
        this.identityKernel = identityKernel;
        this.combineKernel = combineKernel;
        this.finishKernel = finishKernel;
        this.rule = rule;
    }

    private static Tensor toExtremes(Tensor g, Tensor x, Tensor y, int[] dims, int[] axes, long count) {
        Tensor mask = x.eq(y);
        return mask.mul(g.div(mask.sum(axes, true)));
    }

    /** The fold's starting value. */
    public double identity() {
        return identity;
    }

    /** One step of the fold. */
    public double combine(double acc, double v) {
        return combine.apply(acc, v);
    }

    /** The result of a fold of {@code count} values ending at {@code acc}. */
    public double finish(double acc, long count) {
        return divides ? acc / count : acc;
    }

    /** Scalar reference over {@code values[from + i·stride]}, {@code i < count}. */
    public double reference(double[] values, int from, int count, int stride) {
        double acc = identity;
        for (int i = 0; i < count; i++) {
            acc = combine(acc, values[from + i * stride]);
        }
        return finish(acc, count);
    }

    /** Whether {@link #backward} reads the input and output values (else only shapes). */
    public boolean savesValues() {
        return savesValues;
    }

    /** The input's gradient (see {@link Rule}). */
    public Tensor backward(Tensor g, Tensor x, Tensor y, int[] dims, int[] axes, long count) {
        return rule.backward(g, x, y, dims, axes, count);
    }

    /** GPU expression of the fold's start. */
    public String identityKernel() {
        return identityKernel;
    }

    /** GPU expression of one step, over {@code acc} and {@code v}. */
    public String combineKernel() {
        return combineKernel;
    }

    /** GPU expression of the result, over {@code acc} and {@code int extent}. */
    public String finishKernel() {
        return finishKernel;
    }

    /** Lower-case name for messages. */
    public String opName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
