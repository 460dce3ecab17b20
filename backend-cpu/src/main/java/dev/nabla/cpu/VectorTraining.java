package dev.nabla.cpu;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The fused float32 SGD and Adam updates of {@link TrainingKernels} on the Vector API, bit for bit
 * equal to them: like the scalar loops, each element is widened to double, updated with the same
 * double operations in the same order (no FMA) and rounded to float once, a float vector (two
 * double vectors) at a time. Loaded only through {@link VectorMath}, after the module check.
 *
 * <p>Only the preferred float shape is used, as everywhere in this backend: a float vector of
 * another shape (say 256 bits for 8 doubles) pollutes the type profiles of the shared
 * {@code FloatVector} methods, and C2 then stops intrinsifying them in every kernel that inlines
 * them, the GEMM micro-kernel included (measured: the 4-256-3 step went from 0.1 to 1.3 ms).
 */
final class VectorTraining {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    /** Doubles of the same shape: half as many lanes, so one float vector widens to two of these. */
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;

    private VectorTraining() {
    }

    /** Lanes {@code [part·D.length(), (part+1)·D.length())} of {@code v} in double. */
    private static DoubleVector widen(FloatVector v, int part) {
        return (DoubleVector) v.convertShape(VectorOperators.F2D, D, part);
    }

    /** The float vector whose low half is {@code lo} and high half {@code hi}, each rounded once. */
    private static FloatVector narrow(DoubleVector lo, DoubleVector hi) {
        FloatVector low = (FloatVector) lo.convertShape(VectorOperators.D2F, S, 0);
        FloatVector high = (FloatVector) hi.convertShape(VectorOperators.D2F, S, -1);
        return low.reinterpretAsInts().or(high.reinterpretAsInts()).reinterpretAsFloats();
    }

    /** {@link TrainingKernels#sgd(float[], int, float[], int, float[], int, int, int, double, double, double, double, boolean, boolean)}. */
    static void sgd(float[] p, int po, float[] g, int go, float[] v, int vo, int from, int to, double lr,
                    double momentum, double dampening, double wd, boolean nesterov, boolean first) {
        int l = S.length();
        int i = from;
        double keep = 1 - dampening;
        for (int bound = from + S.loopBound(to - from); i < bound; i += l) {
            FloatVector pf = FloatVector.fromArray(S, p, po + i);
            FloatVector gf = FloatVector.fromArray(S, g, go + i);
            DoubleVector p0 = widen(pf, 0);
            DoubleVector p1 = widen(pf, 1);
            DoubleVector g0 = widen(gf, 0).add(p0.mul(wd));
            DoubleVector g1 = widen(gf, 1).add(p1.mul(wd));
            if (v != null) {
                FloatVector vel;
                if (first) {
                    vel = narrow(g0, g1);
                } else {
                    FloatVector vf = FloatVector.fromArray(S, v, vo + i);
                    vel = narrow(widen(vf, 0).mul(momentum).add(g0.mul(keep)),
                            widen(vf, 1).mul(momentum).add(g1.mul(keep)));
                }
                vel.intoArray(v, vo + i);
                DoubleVector v0 = widen(vel, 0);
                DoubleVector v1 = widen(vel, 1);
                g0 = nesterov ? g0.add(v0.mul(momentum)) : v0;
                g1 = nesterov ? g1.add(v1.mul(momentum)) : v1;
            }
            narrow(p0.sub(g0.mul(lr)), p1.sub(g1.mul(lr))).intoArray(p, po + i);
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
        int l = S.length();
        int i = from;
        for (int bound = from + S.loopBound(to - from); i < bound; i += l) {
            FloatVector pf = FloatVector.fromArray(S, p, po + i);
            FloatVector gf = FloatVector.fromArray(S, g, go + i);
            FloatVector mf = FloatVector.fromArray(S, m, mo + i);
            FloatVector vf = FloatVector.fromArray(S, v, vo + i);
            DoubleVector p0 = widen(pf, 0);
            DoubleVector p1 = widen(pf, 1);
            DoubleVector g0 = widen(gf, 0);
            DoubleVector g1 = widen(gf, 1);
            if (decoupled) {
                p0 = p0.mul(decay);
                p1 = p1.mul(decay);
            } else {
                g0 = g0.add(p0.mul(wd));
                g1 = g1.add(p1.mul(wd));
            }
            FloatVector mNew = narrow(widen(mf, 0).mul(b1).add(g0.mul(keep1)), widen(mf, 1).mul(b1).add(g1.mul(keep1)));
            FloatVector vNew = narrow(widen(vf, 0).mul(b2).add(g0.mul(keep2).mul(g0)),
                    widen(vf, 1).mul(b2).add(g1.mul(keep2).mul(g1)));
            mNew.intoArray(m, mo + i);
            vNew.intoArray(v, vo + i);
            DoubleVector d0 = widen(vNew, 0).div(c2).lanewise(VectorOperators.SQRT).add(eps);
            DoubleVector d1 = widen(vNew, 1).div(c2).lanewise(VectorOperators.SQRT).add(eps);
            narrow(p0.sub(widen(mNew, 0).div(c1).mul(lr).div(d0)), p1.sub(widen(mNew, 1).div(c1).mul(lr).div(d1)))
                    .intoArray(p, po + i);
        }
        TrainingKernels.adamScalar(p, po, g, go, m, mo, v, vo, i, to, lr, b1, b2, eps, wd, decoupled, step);
    }
}
