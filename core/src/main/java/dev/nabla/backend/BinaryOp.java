package dev.nabla.backend;

import dev.nabla.Tensor;
import java.util.Locale;

/**
 * The table of elementwise binary ops with broadcasting: for each, the scalar reference
 * ({@link #apply}), the backward rules of both operands written with tensor ops (before the
 * broadcast is summed away), the GPU expressions for floating and INT32 operands (the kernels'
 * {@code switch} is generated from them) and where the checks draw operands. Comparisons produce 1
 * or 0 in the operands' dtype and have no gradient.
 *
 * <p>GPU expressions are OpenCL C over {@code a} and {@code b} ({@code REAL}, or {@code int} for the
 * integer form, where {@code u32} arithmetic gives Java's wrap-around); a null integer expression
 * means INT32 operands are refused.
 */
public enum BinaryOp {
    ADD((a, b) -> a + b, (a, b) -> a + b, "a + b", "(int) ((u32) a + (u32) b)",
            (g, a, b, out) -> g, (g, a, b, out) -> g, Saves.NOTHING, Domain.ANY, Domain.ANY),
    SUB((a, b) -> a - b, (a, b) -> a - b, "a - b", "(int) ((u32) a - (u32) b)",
            (g, a, b, out) -> g, (g, a, b, out) -> g.neg(), Saves.NOTHING, Domain.ANY, Domain.ANY),
    MUL((a, b) -> a * b, (a, b) -> a * b, "a * b", "(int) ((u32) a * (u32) b)",
            (g, a, b, out) -> g.mul(b), (g, a, b, out) -> g.mul(a), Saves.OPERANDS, Domain.ANY, Domain.ANY),
    /** Gradients {@code g/b} and {@code -g·a/b² = -g·out/b}. */
    DIV((a, b) -> a / b, null, "a / b", null,
            (g, a, b, out) -> g.div(b), (g, a, b, out) -> g.mul(out).div(b).neg(), Saves.ALL, Domain.ANY,
            Domain.NONZERO),
    /** Larger of the two, NaN if either is NaN; the gradient goes to the larger ({@code a} on ties). */
    MAX(Math::max, Math::max, "nb_max(a, b)", "a >= b ? a : b",
            (g, a, b, out) -> g.mul(a.ge(b)), (g, a, b, out) -> g.mul(a.lt(b)), Saves.OPERANDS, Domain.ANY,
            Domain.ANY),
    /** Smaller of the two, NaN if either is NaN; the gradient goes to the smaller ({@code a} on ties). */
    MIN(Math::min, Math::min, "nb_min(a, b)", "a <= b ? a : b",
            (g, a, b, out) -> g.mul(a.le(b)), (g, a, b, out) -> g.mul(a.gt(b)), Saves.OPERANDS, Domain.ANY,
            Domain.ANY),
    /** {@code a^b}: gradients {@code g·b·a^(b-1)} and {@code g·out·ln a}. */
    POW(Math::pow, null, "pow(a, b)", null,
            (g, a, b, out) -> g.mul(b).mul(a.pow(b.sub(1))), (g, a, b, out) -> g.mul(out).mul(a.log()), Saves.ALL,
            Domain.POSITIVE, Domain.ANY),
    EQ((a, b) -> a == b ? 1 : 0, (a, b) -> a == b ? 1 : 0, "a == b ? ONE : ZERO", "a == b ? 1 : 0"),
    NE((a, b) -> a != b ? 1 : 0, (a, b) -> a != b ? 1 : 0, "a != b ? ONE : ZERO", "a != b ? 1 : 0"),
    LT((a, b) -> a < b ? 1 : 0, (a, b) -> a < b ? 1 : 0, "a < b ? ONE : ZERO", "a < b ? 1 : 0"),
    LE((a, b) -> a <= b ? 1 : 0, (a, b) -> a <= b ? 1 : 0, "a <= b ? ONE : ZERO", "a <= b ? 1 : 0"),
    GT((a, b) -> a > b ? 1 : 0, (a, b) -> a > b ? 1 : 0, "a > b ? ONE : ZERO", "a > b ? 1 : 0"),
    GE((a, b) -> a >= b ? 1 : 0, (a, b) -> a >= b ? 1 : 0, "a >= b ? ONE : ZERO", "a >= b ? 1 : 0");

    /** Scalar reference on doubles. */
    @FunctionalInterface
    public interface Scalar {
        double apply(double a, double b);
    }

    /** Scalar reference on ints (Java's wrap-around arithmetic). */
    @FunctionalInterface
    public interface IntScalar {
        int apply(int a, int b);
    }

    /** A backward rule for one operand, before un-broadcasting. */
    @FunctionalInterface
    public interface Rule {
        /**
         * @param g   the output's gradient
         * @param a   the first operand (null unless saved)
         * @param b   the second operand (null unless saved)
         * @param out the output (null unless saved)
         */
        Tensor backward(Tensor g, Tensor a, Tensor b, Tensor out);
    }

    /** What the backward rules read besides {@code g}. */
    public enum Saves {
        NOTHING, OPERANDS, ALL
    }

    private final Scalar reference;
    private final IntScalar intReference;
    private final String kernel;
    private final String intKernel;
    private final Rule ruleA;
    private final Rule ruleB;
    private final Saves saves;
    private final Domain domainA;
    private final Domain domainB;

    /** A comparison: no gradient. */
    BinaryOp(Scalar reference, IntScalar intReference, String kernel, String intKernel) {
        this(reference, intReference, kernel, intKernel, null, null, Saves.NOTHING, Domain.ANY, Domain.ANY);
    }

    BinaryOp(Scalar reference, IntScalar intReference, String kernel, String intKernel, Rule ruleA, Rule ruleB,
             Saves saves, Domain domainA, Domain domainB) {
        this.reference = reference;
        this.intReference = intReference;
        this.kernel = kernel;
        this.intKernel = intKernel;
        this.ruleA = ruleA;
        this.ruleB = ruleB;
        this.saves = saves;
        this.domainA = domainA;
        this.domainB = domainB;
    }

    /** Scalar reference. */
    public double apply(double a, double b) {
        return reference.apply(a, b);
    }

    /** Whether INT32 operands are supported. */
    public boolean supportsInt() {
        return intReference != null;
    }

    /**
     * Scalar reference on INT32 operands.
     *
     * @throws UnsupportedOperationException when {@link #supportsInt()} is false
     */
    public int applyInt(int a, int b) {
        if (intReference == null) {
            throw new UnsupportedOperationException("binary " + name() + " does not support int32 operands");
        }
        return intReference.apply(a, b);
    }

    /** Whether the result is 1/0 rather than arithmetic (no gradient flows through it). */
    public boolean isComparison() {
        return ruleA == null;
    }

    /** The first operand's gradient, before un-broadcasting (see {@link Rule}). */
    public Tensor backwardA(Tensor g, Tensor a, Tensor b, Tensor out) {
        return ruleA.backward(g, a, b, out);
    }

    /** The second operand's gradient, before un-broadcasting. */
    public Tensor backwardB(Tensor g, Tensor a, Tensor b, Tensor out) {
        return ruleB.backward(g, a, b, out);
    }

    /** What the backward rules read. */
    public Saves saves() {
        return saves;
    }

    /** The floating GPU expression of {@code a} and {@code b}. */
    public String kernel() {
        return kernel;
    }

    /** The INT32 GPU expression, or null when INT32 is refused. */
    public String intKernel() {
        return intKernel;
    }

    /** Where checks draw the first operand. */
    public Domain domainA() {
        return domainA;
    }

    /** Where checks draw the second operand. */
    public Domain domainB() {
        return domainB;
    }

    /** Lower-case name for messages. */
    public String opName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
