package dev.nabla.backend;

/**
 * Elementwise binary kernels with broadcasting. Comparisons produce 1 or 0 in the operands' dtype.
 * Each constant carries its scalar double reference.
 */
public enum BinaryOp {
    ADD { public double apply(double a, double b) { return a + b; } },
    SUB { public double apply(double a, double b) { return a - b; } },
    MUL { public double apply(double a, double b) { return a * b; } },
    DIV { public double apply(double a, double b) { return a / b; } },
    /** Larger of the two; NaN if either is NaN. */
    MAX { public double apply(double a, double b) { return Math.max(a, b); } },
    /** Smaller of the two; NaN if either is NaN. */
    MIN { public double apply(double a, double b) { return Math.min(a, b); } },
    POW { public double apply(double a, double b) { return Math.pow(a, b); } },
    EQ { public double apply(double a, double b) { return a == b ? 1 : 0; } },
    NE { public double apply(double a, double b) { return a != b ? 1 : 0; } },
    LT { public double apply(double a, double b) { return a < b ? 1 : 0; } },
    LE { public double apply(double a, double b) { return a <= b ? 1 : 0; } },
    GT { public double apply(double a, double b) { return a > b ? 1 : 0; } },
    GE { public double apply(double a, double b) { return a >= b ? 1 : 0; } };

    /** Scalar reference. */
    public abstract double apply(double a, double b);

    /** Whether the result is 1/0 rather than arithmetic (no gradient flows through it). */
    public boolean isComparison() {
        return ordinal() >= EQ.ordinal();
    }
}
