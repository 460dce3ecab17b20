package dev.nabla.cpu;

import dev.nabla.backend.UnaryOp;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link FastMath} on the Vector API (the JIT calls vectorised math routines for EXP, LOG, TANH,
 * POW). Loaded only after {@link CpuKernels} has seen {@code jdk.incubator.vector} in the boot layer.
 * Tails shorter than a vector run the scalar formula.
 */
final class VectorMath extends FastMath {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;

    VectorMath() {
        super("vector " + S);
    }

    private static boolean accelerated(UnaryOp op) {
        return switch (op) {
            case EXP, LOG, TANH, SIGMOID, SQRT, POW -> true;
            default -> false;
        };
    }

    private static FloatVector apply(UnaryOp op, FloatVector v, float p) {
        return switch (op) {
            case EXP -> v.lanewise(VectorOperators.EXP);
            case LOG -> v.lanewise(VectorOperators.LOG);
            case TANH -> v.lanewise(VectorOperators.TANH);
            case SQRT -> v.lanewise(VectorOperators.SQRT);
            case POW -> v.lanewise(VectorOperators.POW, p);
            case SIGMOID -> FloatVector.broadcast(S, 1f).div(v.neg().lanewise(VectorOperators.EXP).add(1f));
            default -> throw new AssertionError(op);
        };
    }

    private static DoubleVector apply(UnaryOp op, DoubleVector v, double p) {
        return switch (op) {
            case EXP -> v.lanewise(VectorOperators.EXP);
            case LOG -> v.lanewise(VectorOperators.LOG);
            case TANH -> v.lanewise(VectorOperators.TANH);
            case SQRT -> v.lanewise(VectorOperators.SQRT);
            case POW -> v.lanewise(VectorOperators.POW, p);
            case SIGMOID -> DoubleVector.broadcast(D, 1d).div(v.neg().lanewise(VectorOperators.EXP).add(1d));
            default -> throw new AssertionError(op);
        };
    }

    @Override
    boolean unary(UnaryOp op, float p, float[] x, int xo, float[] y, int yo, int n) {
        if (!accelerated(op)) {
            return false;
        }
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += S.length()) {
            apply(op, FloatVector.fromArray(S, x, xo + i), p).intoArray(y, yo + i);
        }
        if (i < n) {
            UnaryKernels.applyScalar(op, p, x, xo + i, y, yo + i, n - i);
        }
        return true;
    }

    @Override
    boolean unary(UnaryOp op, double p, double[] x, int xo, double[] y, int yo, int n) {
        if (!accelerated(op)) {
            return false;
        }
        int i = 0;
        for (int bound = D.loopBound(n); i < bound; i += D.length()) {
            apply(op, DoubleVector.fromArray(D, x, xo + i), p).intoArray(y, yo + i);
        }
        if (i < n) {
            UnaryKernels.applyScalar(op, p, x, xo + i, y, yo + i, n - i);
        }
        return true;
    }

    @Override
    float max(float[] x, int xo, int n) {
        int i = 0;
        float m = Float.NEGATIVE_INFINITY;
        int bound = S.loopBound(n);
        if (bound > 0) {
            FloatVector acc = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
            for (; i < bound; i += S.length()) {
                acc = acc.lanewise(VectorOperators.MAX, FloatVector.fromArray(S, x, xo + i));
            }
            m = acc.reduceLanes(VectorOperators.MAX);
        }
        for (; i < n; i++) {
            m = Math.max(m, x[xo + i]);
        }
        return m;
    }

    @Override
    double max(double[] x, int xo, int n) {
        int i = 0;
        double m = Double.NEGATIVE_INFINITY;
        int bound = D.loopBound(n);
        if (bound > 0) {
            DoubleVector acc = DoubleVector.broadcast(D, Double.NEGATIVE_INFINITY);
            for (; i < bound; i += D.length()) {
                acc = acc.lanewise(VectorOperators.MAX, DoubleVector.fromArray(D, x, xo + i));
            }
            m = acc.reduceLanes(VectorOperators.MAX);
        }
        for (; i < n; i++) {
            m = Math.max(m, x[xo + i]);
        }
        return m;
    }

    @Override
    double expShifted(float[] x, int xo, float shift, float[] y, int yo, int n) {
        int i = 0;
        FloatVector sum = FloatVector.zero(S);
        for (int bound = S.loopBound(n); i < bound; i += S.length()) {
            FloatVector e = FloatVector.fromArray(S, x, xo + i).sub(shift).lanewise(VectorOperators.EXP);
            if (y != null) {
                e.intoArray(y, yo + i);
            }
            sum = sum.add(e);
        }
        double total = sum.reduceLanes(VectorOperators.ADD);
        return total + SCALAR.expShifted(x, xo + i, shift, y, yo + i, n - i);
    }

    @Override
    double expShifted(double[] x, int xo, double shift, double[] y, int yo, int n) {
        int i = 0;
        DoubleVector sum = DoubleVector.zero(D);
        for (int bound = D.loopBound(n); i < bound; i += D.length()) {
            DoubleVector e = DoubleVector.fromArray(D, x, xo + i).sub(shift).lanewise(VectorOperators.EXP);
            if (y != null) {
                e.intoArray(y, yo + i);
            }
            sum = sum.add(e);
        }
        double total = sum.reduceLanes(VectorOperators.ADD);
        return total + SCALAR.expShifted(x, xo + i, shift, y, yo + i, n - i);
    }
}
