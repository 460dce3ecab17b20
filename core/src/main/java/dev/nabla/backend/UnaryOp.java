package dev.nabla.backend;

import dev.nabla.Tensor;
import java.util.Locale;

/**
 * The table of elementwise unary ops: for each, in one place, the scalar reference
 * ({@link #apply}, the forward math every backend is checked against), the backward rule
 * ({@link #backward}, written with tensor ops: the derivative, used on every backend), the GPU
 * expression of the forward and of the derivative (the kernels' {@code switch} is generated from
 * them), and where the op is tested ({@link #domain}, {@link #sampleParams}). Backends, op codes,
 * the contract checks and the gradient checks all derive from this table; adding a constant here
 * (and a method to {@link Tensor}) adds the op everywhere.
 *
 * <p>{@code p} is the op's scalar argument (the exponent of {@link #POW}, the factor of
 * {@link #SCALE}, ...); other ops ignore it. GPU expressions are OpenCL C over {@code REAL x} (the
 * input), {@code REAL y} (the output, derivatives only) and {@code REAL p}, with the constants
 * {@code ONE} and {@code ZERO} and the helpers of the kernels' {@code common.h}. At a kink the
 * derivative is 0 (relu at 0, abs at 0), as in PyTorch.
 */
public enum UnaryOp {
    NEG((x, p) -> -x, "-x",
            (g, x, y, p) -> g.neg(), "-ONE", Saves.NOTHING, Domain.ANY),
    EXP((x, p) -> Math.exp(x), "exp(x)",
            (g, x, y, p) -> g.mul(y), "y", Saves.OUTPUT, Domain.MODERATE),
    LOG((x, p) -> Math.log(x), "log(x)",
            (g, x, y, p) -> g.div(x), "ONE / x", Saves.INPUT, Domain.POSITIVE),
    SQRT((x, p) -> Math.sqrt(x), "sqrt(x)",
            (g, x, y, p) -> g.div(y).mul(0.5), "(REAL) 0.5f / y", Saves.OUTPUT, Domain.POSITIVE),
    ABS((x, p) -> Math.abs(x), "fabs(x)",
            (g, x, y, p) -> g.mul(x.sign()), "x > 0 ? ONE : x < 0 ? -ONE : ZERO", Saves.INPUT, Domain.KINK),
    RELU((x, p) -> x > 0 ? x : 0, "x > 0 ? x : ZERO",
            (g, x, y, p) -> g.mul(x.gt(0)), "x > 0 ? ONE : ZERO", Saves.INPUT, Domain.KINK),
    /** {@code x} above 0, {@code p·x} below: {@code p} is the negative slope. */
    LEAKY_RELU((x, p) -> x > 0 ? x : p * x, "x > 0 ? x : p * x",
            (g, x, y, p) -> g.mul(x.gt(0).mul(1 - p).add(p)), "x > 0 ? ONE : p", Saves.INPUT, Domain.KINK, 0.01),
    SIGMOID((x, p) -> 1 / (1 + Math.exp(-x)), "ONE / (ONE + exp(-x))",
            (g, x, y, p) -> g.mul(y.mul(y.neg().add(1))), "y * (ONE - y)", Saves.OUTPUT, Domain.ANY),
    TANH((x, p) -> Math.tanh(x), "tanh(x)",
            (g, x, y, p) -> g.mul(y.square().neg().add(1)), "ONE - y * y", Saves.OUTPUT, Domain.ANY),
    /** {@code x^p}. */
    POW((x, p) -> Math.pow(x, p), "pow(x, p)",
            (g, x, y, p) -> p == 0 ? Tensor.zeros(g.device(), g.dtype(), g.dims()) : g.mul(x.pow(p - 1).mul(p)),
            "p == 0 ? ZERO : p * pow(x, p - ONE)", Saves.INPUT, Domain.POSITIVE, 2.5, 3, 0, -1),
    /** {@code x·p}. */
    SCALE((x, p) -> x * p, "x * p",
            (g, x, y, p) -> g.mul(p), "p", Saves.NOTHING, Domain.ANY, -1.75),
    /** {@code x + p}. */
    ADD_SCALAR((x, p) -> x + p, "x + p",
            (g, x, y, p) -> g, "ONE", Saves.NOTHING, Domain.ANY, 0.5),
    RECIPROCAL((x, p) -> 1 / x, "ONE / x",
            (g, x, y, p) -> g.mul(y.square()).neg(), "-y * y", Saves.OUTPUT, Domain.NONZERO),
    SQUARE((x, p) -> x * x, "x * x",
            (g, x, y, p) -> g.mul(x).mul(2), "(REAL) 2 * x", Saves.INPUT, Domain.ANY),
    /** -1, 0 or 1; derivative 0. */
    SIGN((x, p) -> x > 0 ? 1 : x < 0 ? -1 : 0, "x > 0 ? ONE : x < 0 ? -ONE : ZERO",
            (g, x, y, p) -> Tensor.zeros(g.device(), g.dtype(), g.dims()), "ZERO", Saves.NOTHING, Domain.KINK),
    /** {@code ln(1 + e^x)}, computed as {@code max(x, 0) + ln(1 + e^-|x|)} (no overflow); derivative sigmoid. */
    SOFTPLUS((x, p) -> Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x))), "fmax(x, ZERO) + log1p(exp(-fabs(x)))",
            (g, x, y, p) -> g.mul(x.sigmoid()), "ONE / (ONE + exp(-x))", Saves.INPUT, Domain.ANY),
    /** {@code x·sigmoid(x)} (swish); derivative {@code s·(1 + x·(1 − s))} with {@code s = sigmoid(x)}. */
    SILU((x, p) -> x / (1 + Math.exp(-x)), "x / (ONE + exp(-x))",
            (g, x, y, p) -> {
                Tensor s = x.sigmoid();
                return g.mul(s.mul(x.mul(s.neg().add(1)).add(1)));
            }, "(ONE / (ONE + exp(-x))) * (ONE + x * (ONE - ONE / (ONE + exp(-x))))", Saves.INPUT, Domain.ANY);

    /** The scalar reference of the forward math. */
    @FunctionalInterface
    public interface Scalar {
        double apply(double x, double p);
    }

    /** A backward rule: the input's gradient given the output's gradient {@code g}. */
    @FunctionalInterface
    public interface Rule {
        /**
         * @param g the output's gradient
         * @param x the input (null unless the op {@link Saves saves} it)
         * @param y the output (null unless saved)
         * @param p the op's scalar argument
         */
        Tensor backward(Tensor g, Tensor x, Tensor y, double p);
    }

    /** What the backward rule reads, so that only that is kept alive for backward. */
    public enum Saves {
        NOTHING, INPUT, OUTPUT
    }

    private final Scalar reference;
    private final String kernel;
    private final Rule rule;
    private final String derivativeKernel;
    private final Saves saves;
    private final Domain domain;
    private final double[] sampleParams;

    UnaryOp(Scalar reference, String kernel, Rule rule, String derivativeKernel, Saves saves, Domain domain,
            double... sampleParams) {
        this.reference = reference;
        this.kernel = kernel;
        this.rule = rule;
        this.derivativeKernel = derivativeKernel;
        this.saves = saves;
        this.domain = domain;
        this.sampleParams = sampleParams.length == 0 ? new double[] {0} : sampleParams;
    }

    /** Scalar reference: {@code y = f(x)} with scalar argument {@code p}. */
    public double apply(double x, double p) {
        return reference.apply(x, p);
    }

    /** The gradient of the input given the output's gradient (see {@link Rule}). */
    public Tensor backward(Tensor g, Tensor x, Tensor y, double p) {
        return rule.backward(g, x, y, p);
    }

    /** What {@link #backward} reads besides {@code g}. */
    public Saves saves() {
        return saves;
    }

    /** The forward as an OpenCL C expression of {@code x} and {@code p}. */
    public String kernel() {
        return kernel;
    }

    /**
     * The derivative {@code dy/dx} as an OpenCL C expression of {@code x}, {@code y} and {@code p},
     * for backends' fused gradient kernels; the contract checks hold it equal to {@link #backward}.
     */
    public String derivativeKernel() {
        return derivativeKernel;
    }

    /** Where the checks draw inputs. */
    public Domain domain() {
        return domain;
    }

    /** The scalar arguments the checks try ({@code 0} for ops without one). */
    public double[] sampleParams() {
        return sampleParams.clone();
    }

    /** Lower-case name for messages: {@code leaky_relu}. */
    public String opName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
