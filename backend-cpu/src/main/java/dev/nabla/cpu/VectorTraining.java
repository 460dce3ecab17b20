package dev.nabla.cpu;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The fused float32 SGD and Adam updates of {@link TrainingKernels} on the Vector API, bit for bit
 * equal to them: like the scalar loops, each element is widened to double, updated with the same
 * double operations in the same order (no FMA) and rounded to float once, here {@code D.length()}
 * elements at a time. Also the double-lane sum of a float run used by whole-row reductions.
 * Loaded only through {@link VectorMath}, after the module check.
 */
final class VectorTraining {
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    /** Floats with as many lanes as {@link #D}: widening one gives one double vector. */
    private static final VectorSpecies<Float> H =
            VectorSpecies.of(float.class, VectorShape.forBitSize(D.vectorBitSize() / 2));

    private VectorTraining() {
    }

    private static DoubleVector widen(float[] a, int offset) {
        return (DoubleVector) FloatVector.fromArray(H, a, offset).convertShape(VectorOperators.F2D, D, 0);
    }

    private static FloatVector narrow(DoubleVector v) {
        return (FloatVector) v.convertShape(VectorOperators.D2F, H, 0);
    }

    /** {@link TrainingKernels#sgd(float[], int, float[], int, float[], int, int, int, double, double, double, double, boolean, boolean)}. */
    static void sgd(float[] p, int po, float[] g, int go, float[] v, int vo, int from, int to, double lr,
                    double momentum, double dampening, double wd, boolean nesterov, boolean first) {
        int l = D.length();
        int i = from;
        double keep = 1 - dampening;
        for (int bound = from + D.loopBound(to - from); i < bound; i += l) {
            DoubleVector param = widen(p, po + i);
            DoubleVector grad = widen(g, go + i).add(param.mul(wd));
            if (v != null) {
                DoubleVector vel = first ? grad : widen(v, vo + i).mul(momentum).add(grad.mul(keep));
                FloatVector stored = narrow(vel);
                stored.intoArray(v, vo + i);
                DoubleVector velocity = (DoubleVector) stored.convertShape(VectorOperators.F2D, D, 0);
                grad = nesterov ? grad.add(velocity.mul(momentum)) : velocity;
            }
            narrow(param.sub(grad.mul(lr))).intoArray(p, po + i);
        }
        TrainingKernels.sgdScalar(p, po, g, go, v, vo, i, to, lr, momentum, dampening, wd, nesterov, first);
    }

    /** {@link TrainingKernels#adam(float[], int, float[], int, float[], int, float[], int, int, int, double, double, double, double, double, boolean, long)}. */
    static void adam(float[] p, int po, float[] g, int go, float[] m, int mo, float[] v, int vo, int from, int to,
                     double lr, double b1, double b2, double eps, double wd, boolean decoupled, long step) {
        double c1 = 1 - Math.pow(b1, step);
        double c2 = 1 - Math.pow(b2, step);
        double decay = 1 - lr * wd;
        double keep1 = 1 - b1;
        double keep2 = 1 - b2;
        int l = D.length();
        int i = from;
        for (int bound = from + D.loopBound(to - from); i < bound; i += l) {
            DoubleVector param = widen(p, po + i);
            DoubleVector grad = widen(g, go + i);
            if (decoupled) {
                param = param.mul(decay);
            } else {
                grad = grad.add(param.mul(wd));
            }
            FloatVector mf = narrow(widen(m, mo + i).mul(b1).add(grad.mul(keep1)));
            FloatVector vf = narrow(widen(v, vo + i).mul(b2).add(grad.mul(keep2).mul(grad)));
            mf.intoArray(m, mo + i);
            vf.intoArray(v, vo + i);
            DoubleVector mi = (DoubleVector) mf.convertShape(VectorOperators.F2D, D, 0);
            DoubleVector vi = (DoubleVector) vf.convertShape(VectorOperators.F2D, D, 0);
            DoubleVector denominator = vi.div(c2).lanewise(VectorOperators.SQRT).add(eps);
            narrow(param.sub(mi.div(c1).mul(lr).div(denominator))).intoArray(p, po + i);
        }
        TrainingKernels.adamScalar(p, po, g, go, m, mo, v, vo, i, to, lr, b1, b2, eps, wd, decoupled, step);
    }

    /** Sum of {@code n} floats in double, four double vectors at a time, lanes added in order at the end. */
    static double sum(float[] x, int xo, int n) {
        int l = D.length();
        DoubleVector a0 = DoubleVector.zero(D);
        DoubleVector a1 = a0;
        DoubleVector a2 = a0;
        DoubleVector a3 = a0;
        int i = 0;
        for (int bound = n - 4 * l; i <= bound; i += 4 * l) {
            a0 = a0.add(widen(x, xo + i));
            a1 = a1.add(widen(x, xo + i + l));
            a2 = a2.add(widen(x, xo + i + 2 * l));
            a3 = a3.add(widen(x, xo + i + 3 * l));
        }
        double[] lanes = a0.add(a1).add(a2.add(a3)).toArray();
        double s = 0;
        for (double lane : lanes) {
            s += lane;
        }
        for (; i < n; i++) {
            s += x[xo + i];
        }
        return s;
    }
}
