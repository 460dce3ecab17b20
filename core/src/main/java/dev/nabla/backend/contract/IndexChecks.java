package dev.nabla.backend.contract;

import static dev.nabla.backend.contract.CheckSupport.assertClose;
import static dev.nabla.backend.contract.CheckSupport.tol;

import dev.nabla.DType;
import dev.nabla.backend.Backend;
import dev.nabla.backend.Buffer;
import dev.nabla.backend.IndexOutOfRangeException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * gather and scatterAdd against plain loops: blocks with size-1 and odd extents, indices read
 * through broadcasting strides, repeated indices (summed in order by scatterAdd), and indices out
 * of range, which must be refused with the position and nothing written.
 */
final class IndexChecks {
    /** {outer, extent, inner, count}. */
    private static final int[][] BLOCKS = {{1, 1, 1, 1}, {3, 5, 1, 4}, {2, 7, 3, 9}, {1, 4, 6, 2}, {5, 2, 2, 1},
        {4, 33, 1, 17}};

    private IndexChecks() {
    }

    static List<ContractCheck> all() {
        List<ContractCheck> list = new ArrayList<>();
        for (DType t : DType.values()) {
            list.add(new ContractCheck("gather " + t.shortName() + ": blocks, full and broadcast indices",
                    b -> gather(b, t)));
        }
        for (DType t : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            list.add(new ContractCheck("scatterAdd " + t.shortName() + ": blocks, repeated indices summed in order",
                    b -> scatterAdd(b, t)));
        }
        list.add(new ContractCheck("gather, scatterAdd: an index out of range names its position, writes nothing",
                IndexChecks::outOfRange));
        return list;
    }

    /** Index strides: a full {@code [outer, count, inner]} index, or one index per {@code j} broadcast. */
    private static long[][] strideCases(int outer, int count, int inner) {
        return new long[][] {{(long) count * inner, inner, 1}, {0, 1, 0}};
    }

    private static double[] indices(SplittableRandom r, int n, int extent) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = r.nextInt(extent);
        }
        return v;
    }

    private static long at(long[] strides, int o, int j, int i) {
        return o * strides[0] + j * strides[1] + i * strides[2];
    }

    private static void gather(Backend backend, DType t) {
        CheckSupport.requireSupport(backend, t);
        SplittableRandom r = CheckSupport.random("gather" + t);
        try (CheckBuffers s = new CheckBuffers(backend)) {
            for (int[] blk : BLOCKS) {
                int outer = blk[0], extent = blk[1], inner = blk[2], count = blk[3];
                for (long[] st : strideCases(outer, count, inner)) {
                    double[] x = CheckSupport.uniform(r, t, outer * extent * inner, -50, 50);
                    double[] idx = indices(r, outer * count * inner, extent);
                    Buffer xb = s.upload(t, ElementwiseChecks.pad(x, 2));
                    Buffer ib = s.upload(DType.INT32, ElementwiseChecks.pad(idx, 1));
                    int n = outer * count * inner;
                    Buffer ob = s.upload(t, CheckSupport.sentinels(n + 4));
                    backend.gather(xb, 2, outer, extent, inner, ib, 1, st, count, ob, 3);
                    double[] expected = CheckSupport.sentinels(n + 4);
                    boolean[] written = new boolean[n + 4];
                    for (int o = 0; o < outer; o++) {
                        for (int j = 0; j < count; j++) {
                            for (int i = 0; i < inner; i++) {
                                int e = (int) idx[(int) at(st, o, j, i)];
                                int to = 3 + (o * count + j) * inner + i;
                                expected[to] = x[(o * extent + e) * inner + i];
                                written[to] = true;
                            }
                        }
                    }
                    assertClose("gather " + t.shortName() + " block " + java.util.Arrays.toString(blk) + " strides "
                            + java.util.Arrays.toString(st), expected, s.read(ob), written, 0);
                }
            }
        }
    }

    private static void scatterAdd(Backend backend, DType t) {
        CheckSupport.requireSupport(backend, t);
        SplittableRandom r = CheckSupport.random("scatterAdd" + t);
        try (CheckBuffers s = new CheckBuffers(backend)) {
            for (int[] blk : BLOCKS) {
                int outer = blk[0], extent = blk[1], inner = blk[2], count = blk[3];
                for (long[] st : strideCases(outer, count, inner)) {
                    double[] src = CheckSupport.uniform(r, t, outer * count * inner, -5, 5);
                    double[] idx = indices(r, outer * count * inner, extent);
                    double[] base = CheckSupport.uniform(r, t, outer * extent * inner, -1, 1);
                    Buffer sb = s.upload(t, ElementwiseChecks.pad(src, 1));
                    Buffer ib = s.upload(DType.INT32, ElementwiseChecks.pad(idx, 2));
                    double[] outInit = CheckSupport.sentinels(base.length + 3);
                    System.arraycopy(base, 0, outInit, 1, base.length);
                    Buffer ob = s.upload(t, outInit);
                    backend.scatterAdd(sb, 1, outer, count, inner, ib, 2, st, ob, 1, extent);
                    double[] expected = outInit.clone();
                    for (int o = 0; o < outer; o++) {
                        for (int i = 0; i < inner; i++) {
                            for (int j = 0; j < count; j++) {
                                int e = (int) idx[(int) at(st, o, j, i)];
                                int to = 1 + (o * extent + e) * inner + i;
                                expected[to] = CheckSupport.round(t, expected[to] + src[(o * count + j) * inner + i]);
                            }
                        }
                    }
                    boolean[] written = new boolean[expected.length];
                    java.util.Arrays.fill(written, 1, 1 + base.length, true);
                    assertClose("scatterAdd " + t.shortName() + " block " + java.util.Arrays.toString(blk)
                            + " strides " + java.util.Arrays.toString(st), expected, s.read(ob), written, tol(t));
                }
            }
        }
    }

    private static void outOfRange(Backend backend) {
        try (CheckBuffers s = new CheckBuffers(backend)) {
            int outer = 3, extent = 4, inner = 2, count = 2;
            double[] idx = new double[outer * count * inner];
            idx[7] = extent;        // o = 1, j = 1, i = 1
            Buffer xb = s.upload(DType.FLOAT32, new double[outer * extent * inner]);
            Buffer ib = s.upload(DType.INT32, idx);
            Buffer ob = s.upload(DType.FLOAT32, CheckSupport.sentinels(outer * count * inner));
            long[] st = {(long) count * inner, inner, 1};
            IndexOutOfRangeException e = CheckSupport.expectThrows(IndexOutOfRangeException.class, "gather index 4 of 4",
                    () -> backend.gather(xb, 0, outer, extent, inner, ib, 0, st, count, ob, 0));
            CheckSupport.check(e.index() == extent && e.bound() == extent
                            && java.util.Arrays.equals(e.position(), new long[] {1, 1, 1}),
                    "gather: exception says index %d at %s of bound %d, expected 4 at [1, 1, 1] of 4", e.index(),
                    java.util.Arrays.toString(e.position()), e.bound());
            assertClose("gather out of range: output written", CheckSupport.sentinels(idx.length), s.read(ob), 0);
            s.write(ib, 0, new double[] {-1});
            Buffer out = s.upload(DType.FLOAT32, CheckSupport.sentinels(outer * extent * inner));
            e = CheckSupport.expectThrows(IndexOutOfRangeException.class, "scatterAdd index -1",
                    () -> backend.scatterAdd(ob, 0, outer, count, inner, ib, 0, st, out, 0, extent));
            CheckSupport.check(e.index() == -1, "scatterAdd: exception names index %d, expected -1", e.index());
            assertClose("scatterAdd out of range: output written", CheckSupport.sentinels(outer * extent * inner),
                    s.read(out), 0);
        }
    }
}
