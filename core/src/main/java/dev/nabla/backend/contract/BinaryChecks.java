package dev.nabla.backend.contract;

import static dev.nabla.backend.contract.CheckSupport.assertClose;
import static dev.nabla.backend.contract.CheckSupport.tol;

import dev.nabla.DType;
import dev.nabla.backend.Backend;
import dev.nabla.backend.BinaryOp;
import dev.nabla.backend.Buffer;
import dev.nabla.backend.Domain;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** binary with broadcasting (zero strides), NaN propagation, in-place aliasing and optional INT32. */
final class BinaryChecks {

    /** A broadcast layout: the output shape and each operand's strides (0 = broadcast axis). */
    private record Layout(String name, int[] shape, long[] aStrides, long[] bStrides) {
    }

    private static final List<Layout> LAYOUTS = List.of(
            new Layout("rank 0", new int[0], new long[0], new long[0]),
            new Layout("[1]", new int[] {1}, new long[] {1}, new long[] {1}),
            new Layout("[1031]", new int[] {1031}, new long[] {1}, new long[] {1}),
            new Layout("[1031] b scalar", new int[] {1031}, new long[] {1}, new long[] {0}),
            new Layout("[17] a scalar", new int[] {17}, new long[] {0}, new long[] {1}),
            new Layout("[5,7] b row", new int[] {5, 7}, new long[] {7, 1}, new long[] {0, 1}),
            new Layout("[5,7] b column", new int[] {5, 7}, new long[] {7, 1}, new long[] {1, 0}),
            new Layout("[33,65] a transposed, b row", new int[] {33, 65}, new long[] {1, 33}, new long[] {0, 1}),
            new Layout("[3,4,5] a skips axis 1, b only axis 1", new int[] {3, 4, 5}, new long[] {5, 0, 1}, new long[] {0, 5, 0}),
            new Layout("[2,3,4] a two broadcast axes", new int[] {2, 3, 4}, new long[] {0, 1, 0}, new long[] {12, 4, 1}),
            new Layout("[2,3,4,5] strided a, b broadcast in 2 axes", new int[] {2, 3, 4, 5},
                    new long[] {130, 40, 10, 2}, new long[] {0, 5, 0, 1}),
            new Layout("[1,7,1,3]", new int[] {1, 7, 1, 3}, new long[] {0, 3, 0, 1}, new long[] {21, 1, 9, 7}));

    private BinaryChecks() {
    }

    static List<ContractCheck> all() {
        List<ContractCheck> list = new ArrayList<>();
        for (DType t : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            for (BinaryOp op : BinaryOp.values()) {
                list.add(new ContractCheck("binary " + op + " " + t.shortName() + ": broadcasting rank 0..4, in place",
                        b -> broadcast(b, t, op)));
            }
            list.add(new ContractCheck("binary " + t.shortName() + ": NaN propagation (MAX, MIN, ADD, comparisons)",
                    b -> nan(b, t)));
        }
        list.add(new ContractCheck("binary int32 (optional): exact or UnsupportedOperationException",
                BinaryChecks::int32));
        return list;
    }

    private static double[] operand(SplittableRandom r, DType t, BinaryOp op, boolean second, int n) {
        if (op.isComparison() || t == DType.INT32) {
            double[] v = new double[n]; // small integers, so that ties happen
            for (int i = 0; i < n; i++) {
                v[i] = r.nextInt(5) - 2;
            }
            return v;
        }
        Domain d = second ? op.domainB() : op.domainA();
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            double sign = r.nextBoolean() ? 1 : -1;
            // Within [-2, 2]: the products and powers stay far from overflow.
            v[i] = CheckSupport.round(t, Math.max(-2, Math.min(2, d.sample(r.nextDouble(), sign))));
        }
        return v;
    }

    private static int span(int[] shape, long[] strides) {
        long max = 0;
        for (int d = 0; d < shape.length; d++) {
            max += (long) (shape[d] - 1) * strides[d];
        }
        return (int) max + 1;
    }

    private static double[] reference(BinaryOp op, DType t, Layout l, double[] a, long aOff, double[] b, long bOff) {
        int count = (int) Index.count(l.shape());
        double[] out = new double[count];
        int[] i = {0};
        Index.forEach(l.shape(), idx -> {
            long ai = aOff;
            long bi = bOff;
            for (int d = 0; d < idx.length; d++) {
                ai += idx[d] * l.aStrides()[d];
                bi += idx[d] * l.bStrides()[d];
            }
            out[i[0]++] = CheckSupport.round(t, op.apply(a[(int) ai], b[(int) bi]));
        });
        return out;
    }

    private static void broadcast(Backend backend, DType t, BinaryOp op) {
        CheckSupport.requireSupport(backend, t);
        SplittableRandom r = CheckSupport.random("binary" + op + t);
        double tol = op == BinaryOp.POW ? 4 * tol(t) : tol(t);
        try (CheckBuffers s = new CheckBuffers(backend)) {
            for (Layout l : LAYOUTS) {
                runLayout(backend, s, r, t, op, l, tol);
            }
            // In place: out aliases a exactly (same shape, contiguous).
            int n = 1031;
            double[] a = operand(r, t, op, false, n);
            double[] b = operand(r, t, op, true, n);
            Buffer ab = s.upload(t, ElementwiseChecks.pad(a, 2));
            Buffer bb = s.upload(t, b);
            backend.binary(op, ab, 2, new long[] {1}, bb, 0, new long[] {1}, ab, 2, new int[] {n});
            double[] ref = new double[n];
            for (int i = 0; i < n; i++) {
                ref[i] = CheckSupport.round(t, op.apply(a[i], b[i]));
            }
            assertClose("binary " + op + " " + t.shortName() + " in place (out = a)", ref, s.read(ab, 2, n), tol);
            // In place into the second operand: out aliases b exactly.
            Buffer a2 = s.upload(t, a);
            backend.binary(op, a2, 0, new long[] {1}, bb, 0, new long[] {1}, bb, 0, new int[] {n});
            assertClose("binary " + op + " " + t.shortName() + " in place (out = b)", ref, s.read(bb), tol);
        }
    }

    private static void runLayout(Backend backend, CheckBuffers s, SplittableRandom r, DType t, BinaryOp op, Layout l,
                                  double tol) {
        long aOff = 3;
        long bOff = 1;
        double[] a = operand(r, t, op, false, (int) aOff + span(l.shape(), l.aStrides()) + 2);
        double[] b = operand(r, t, op, true, (int) bOff + span(l.shape(), l.bStrides()) + 1);
        int count = (int) Index.count(l.shape());
        Buffer ab = s.upload(t, a);
        Buffer bb = s.upload(t, b);
        Buffer out = s.upload(t, CheckSupport.sentinels(count + 3));
        backend.binary(op, ab, aOff, l.aStrides().clone(), bb, bOff, l.bStrides().clone(), out, 2, l.shape().clone());
        double[] expected = CheckSupport.sentinels(count + 3);
        System.arraycopy(reference(op, t, l, a, aOff, b, bOff), 0, expected, 2, count);
        boolean[] written = new boolean[count + 3];
        java.util.Arrays.fill(written, 2, 2 + count, true);
        assertClose("binary " + op + " " + t.shortName() + " " + l.name(), expected, s.read(out), written, tol);
    }

    private static void nan(Backend backend, DType t) {
        CheckSupport.requireSupport(backend, t);
        double nan = Double.NaN;
        double[] a = {nan, 1, nan, -2, 0, 3, 5, nan, -1};
        double[] b = {1, nan, nan, 4, nan, 3, -7, 2, 8};
        try (CheckBuffers s = new CheckBuffers(backend)) {
            Buffer ab = s.upload(t, a);
            Buffer bb = s.upload(t, b);
            Buffer out = s.alloc(t, a.length);
            for (BinaryOp op : new BinaryOp[] {BinaryOp.MAX, BinaryOp.MIN, BinaryOp.ADD, BinaryOp.MUL, BinaryOp.EQ,
                BinaryOp.NE, BinaryOp.LT, BinaryOp.GE}) {
                backend.binary(op, ab, 0, new long[] {1}, bb, 0, new long[] {1}, out, 0, new int[] {a.length});
                double[] ref = new double[a.length];
                for (int i = 0; i < a.length; i++) {
                    ref[i] = op.apply(a[i], b[i]);
                }
                assertClose("binary " + op + " " + t.shortName() + " with NaN", ref, s.read(out), 0);
            }
        }
    }

    private static void int32(Backend backend) {
        SplittableRandom r = CheckSupport.random("binaryInt32");
        try (CheckBuffers s = new CheckBuffers(backend)) {
            for (BinaryOp op : BinaryOp.values()) {
                if (!op.supportsInt()) {
                    continue;
                }
                for (Layout l : List.of(LAYOUTS.get(2), LAYOUTS.get(5), LAYOUTS.get(10))) {
                    try {
                        runLayout(backend, s, r, DType.INT32, op, l, 0);
                    } catch (UnsupportedOperationException e) {
                        CheckSupport.assertMentions("binary " + op + " int32 unsupported", String.valueOf(e.getMessage()),
                                backend.name(), "binary");
                        CheckSupport.assertMentionsDtype("binary " + op + " int32 unsupported", e.getMessage(), DType.INT32);
                    }
                }
            }
        }
    }
}
