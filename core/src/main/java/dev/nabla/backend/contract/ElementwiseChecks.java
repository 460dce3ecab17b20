package dev.nabla.backend.contract;

import static dev.nabla.backend.contract.CheckSupport.assertClose;
import static dev.nabla.backend.contract.CheckSupport.tol;

import dev.nabla.DType;
import dev.nabla.backend.Backend;
import dev.nabla.backend.Buffer;
import dev.nabla.backend.Domain;
import dev.nabla.backend.UnaryOp;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * unary against the table's scalar reference ({@link UnaryOp#apply}), and the optional fused
 * unaryGrad against the op's backward rule run by the reference backend. Every op of the table,
 * with its sample arguments and inputs from its domain, is checked: nothing here names an op.
 */
final class ElementwiseChecks {
    private static final int[] SIZES = {1, 2, 3, 7, 17, 64, 1031};

    private ElementwiseChecks() {
    }

    static List<ContractCheck> all() {
        List<ContractCheck> list = new ArrayList<>();
        for (DType t : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            for (UnaryOp op : UnaryOp.values()) {
                double[] params = op.sampleParams();
                for (double p : params) {
                    String suffix = op + (params.length > 1 || p != 0 ? "(" + p + ")" : "") + " " + t.shortName();
                    list.add(new ContractCheck("unary " + suffix + ": sizes, offsets, in place",
                            b -> unary(b, t, op, p)));
                    list.add(new ContractCheck("unaryGrad " + suffix + " (fused, if provided) = the backward rule",
                            b -> unaryGrad(b, t, op, p)));
                }
            }
            list.add(new ContractCheck("unary " + t.shortName() + ": saturating inputs (exp, sigmoid, tanh at ±100)",
                    b -> saturation(b, t)));
        }
        list.addAll(BinaryChecks.all());
        return list;
    }

    /** Inputs from the op's domain, with exact zeros where the domain holds 0 (kinks, signed zeros). */
    static double[] inputs(SplittableRandom r, DType t, UnaryOp op, int n) {
        Domain d = op.domain();
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            double sign = r.nextBoolean() ? 1 : -1;
            x[i] = CheckSupport.round(t, d.sample(r.nextDouble(), sign));
        }
        if (d.holdsZero()) {
            for (int i = 3; i < n; i += 5) {
                x[i] = 0;
            }
        }
        return x;
    }

    private static double[] forwardReference(DType t, UnaryOp op, double p, double[] x) {
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = CheckSupport.round(t, op.apply(x[i], p));
        }
        return y;
    }

    private static void unary(Backend backend, DType t, UnaryOp op, double p) {
        CheckSupport.requireSupport(backend, t);
        SplittableRandom r = CheckSupport.random("unary" + op + p + t);
        try (CheckBuffers s = new CheckBuffers(backend)) {
            for (int n : SIZES) {
                // Offsets (x, y): odd ones, and multiples of 4 (GPU kernels take 16-byte vectors there).
                for (int[] off : new int[][] {{2, 1}, {4, 8}}) {
                    double[] x = inputs(r, t, op, n);
                    Buffer xb = s.upload(t, pad(x, off[0]));
                    Buffer yb = s.upload(t, CheckSupport.sentinels(n + off[1] + 3));
                    backend.unary(op, p, xb, off[0], yb, off[1], n);
                    double[] expected = CheckSupport.sentinels(n + off[1] + 3);
                    double[] ref = forwardReference(t, op, p, x);
                    System.arraycopy(ref, 0, expected, off[1], n);
                    boolean[] written = new boolean[expected.length];
                    java.util.Arrays.fill(written, off[1], off[1] + n, true);
                    String what = "unary " + op + "(" + p + ") " + t.shortName() + " n=" + n + " offsets "
                            + off[0] + ", " + off[1];
                    assertClose(what, expected, s.read(yb), written, tol(t));
                    // In place: y aliases x exactly.
                    backend.unary(op, p, xb, off[0], xb, off[0], n);
                    double[] inPlace = s.read(xb, off[0], n);
                    assertClose(what + " in place", ref, inPlace, tol(t));
                }
            }
        }
    }

    private static void unaryGrad(Backend backend, DType t, UnaryOp op, double p) {
        CheckSupport.requireSupport(backend, t);
        SplittableRandom r = CheckSupport.random("unaryGrad" + op + p + t);
        try (CheckBuffers s = new CheckBuffers(backend)) {
            for (int n : SIZES) {
                // Offsets (x, y, dy, dx): odd ones, and multiples of 4 (16-byte vectors on GPUs).
                for (int[] off : new int[][] {{1, 3, 2, 4}, {4, 0, 8, 12}}) {
                    double[] x = inputs(r, t, op, n);
                    double[] y = forwardReference(t, op, p, x);
                    double[] dy = CheckSupport.uniform(r, t, n, -2, 2);
                    double[] ref = Reference.unaryRule(op, p, x, y, dy);
                    Buffer xb = s.upload(t, pad(x, off[0]));
                    Buffer yb = s.upload(t, pad(y, off[1]));
                    Buffer dyb = s.upload(t, pad(dy, off[2]));
                    Buffer dxb = s.upload(t, CheckSupport.sentinels(n + off[3] + 1));
                    if (!backend.unaryGrad(op, p, xb, off[0], yb, off[1], dyb, off[2], dxb, off[3], n)) {
                        throw new ContractCheck.Skipped(backend.name() + " has no fused " + op + " gradient: core "
                                + "runs the backward rule");
                    }
                    double[] expected = CheckSupport.sentinels(n + off[3] + 1);
                    System.arraycopy(ref, 0, expected, off[3], n);
                    boolean[] written = new boolean[expected.length];
                    java.util.Arrays.fill(written, off[3], off[3] + n, true);
                    String what = "unaryGrad " + op + "(" + p + ") " + t.shortName() + " n=" + n + " offsets "
                            + java.util.Arrays.toString(off);
                    assertClose(what, expected, s.read(dxb), written, tol(t));
                    // In place: dx aliases dy exactly.
                    backend.unaryGrad(op, p, xb, off[0], yb, off[1], dyb, off[2], dyb, off[2], n);
                    assertClose(what + " in place (dx = dy)", ref, s.read(dyb, off[2], n), tol(t));
                }
            }
        }
    }

    static double[] pad(double[] v, int before) {
        double[] out = new double[v.length + before + 1];
        java.util.Arrays.fill(out, Double.NaN);
        System.arraycopy(v, 0, out, before, v.length);
        return out;
    }

    private static void saturation(Backend backend, DType t) {
        CheckSupport.requireSupport(backend, t);
        double[] x = {-100, -50, -20, 0, 20, 50, 100, -1000, 1000};
        try (CheckBuffers s = new CheckBuffers(backend)) {
            Buffer xb = s.upload(t, x);
            Buffer yb = s.alloc(t, x.length);
            for (UnaryOp op : new UnaryOp[] {UnaryOp.SIGMOID, UnaryOp.TANH}) {
                backend.unary(op, 0, xb, 0, yb, 0, x.length);
                assertClose("unary " + op + " " + t.shortName() + " at large |x|",
                        forwardReference(t, op, 0, x), s.read(yb), tol(t));
            }
            double[] small = {-1000, -200, -100, 0, 5};
            Buffer sb = s.upload(t, small);
            backend.unary(UnaryOp.EXP, 0, sb, 0, yb, 0, small.length);
            assertClose("unary EXP " + t.shortName() + " underflow to 0",
                    forwardReference(t, UnaryOp.EXP, 0, small), s.read(yb, 0, small.length), tol(t));
        }
    }
}
