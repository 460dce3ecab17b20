package dev.nabla.backend;

/**
 * Elementwise unary kernels. Each constant carries its scalar double reference {@link #apply} and
 * the derivative {@link #derivative}, which the contract tests compare every backend against.
 *
 * <p>{@code param} is the op's scalar argument: the exponent of {@link #POW}, the factor of
 * {@link #SCALE}, the addend of {@link #ADD_SCALAR}, the negative slope of {@link #LEAKY_RELU};
 * other ops ignore it. At kinks the derivative is 0 (relu at 0, abs at 0), as in PyTorch.
 */
public enum UnaryOp {
    NEG {
        public double apply(double x, double p) { return -x; }
        public double derivative(double x, double y, double p) { return -1; }
    },
    EXP {
        public double apply(double x, double p) { return Math.exp(x); }
        public double derivative(double x, double y, double p) { return y; }
    },
    LOG {
        public double apply(double x, double p) { return Math.log(x); }
        public double derivative(double x, double y, double p) { return 1 / x; }
    },
    SQRT {
        public double apply(double x, double p) { return Math.sqrt(x); }
        public double derivative(double x, double y, double p) { return 0.5 / y; }
    },
    ABS {
        public double apply(double x, double p) { return Math.abs(x); }
        public double derivative(double x, double y, double p) { return x > 0 ? 1 : x < 0 ? -1 : 0; }
    },
    RELU {
        public double apply(double x, double p) { return x > 0 ? x : 0; }
        public double derivative(double x, double y, double p) { return x > 0 ? 1 : 0; }
    },
    LEAKY_RELU {
        public double apply(double x, double p) { return x > 0 ? x : p * x; }
        public double derivative(double x, double y, double p) { return x > 0 ? 1 : p; }
    },
    SIGMOID {
        public double apply(double x, double p) { return 1 / (1 + Math.exp(-x)); }
        public double derivative(double x, double y, double p) { return y * (1 - y); }
    },
    TANH {
        public double apply(double x, double p) { return Math.tanh(x); }
        public double derivative(double x, double y, double p) { return 1 - y * y; }
    },
    /** {@code x^p}; derivative {@code p * x^(p-1)}. */
    POW {
        public double apply(double x, double p) { return Math.pow(x, p); }
        public double derivative(double x, double y, double p) { return p == 0 ? 0 : p * Math.pow(x, p - 1); }
    },
    /** {@code x * p}. */
    SCALE {
        public double apply(double x, double p) { return x * p; }
        public double derivative(double x, double y, double p) { return p; }
    },
    /** {@code x + p}. */
    ADD_SCALAR {
        public double apply(double x, double p) { return x + p; }
        public double derivative(double x, double y, double p) { return 1; }
    },
    RECIPROCAL {
        public double apply(double x, double p) { return 1 / x; }
        public double derivative(double x, double y, double p) { return -y * y; }
    },
    SQUARE {
        public double apply(double x, double p) { return x * x; }
        public double derivative(double x, double y, double p) { return 2 * x; }
    },
    /** -1, 0 or 1; derivative 0. */
    SIGN {
        public double apply(double x, double p) { return x > 0 ? 1 : x < 0 ? -1 : 0; }
        public double derivative(double x, double y, double p) { return 0; }
    };

    /** Scalar reference: {@code y = f(x)} with scalar argument {@code p}. */
    public abstract double apply(double x, double p);

    /** Scalar reference: {@code dy/dx} given the input {@code x} and the output {@code y = f(x)}. */
    public abstract double derivative(double x, double y, double p);
}
