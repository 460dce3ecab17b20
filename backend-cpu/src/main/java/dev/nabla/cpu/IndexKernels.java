package dev.nabla.cpu;

import static dev.nabla.cpu.Args.own;

import dev.nabla.DType;
import dev.nabla.backend.ArgumentChecks;
import dev.nabla.backend.Buffer;
import dev.nabla.backend.IndexOutOfRangeException;

/**
 * gather and scatterAdd over an {@code [outer, extent, inner]} block. Every index is checked before
 * anything is written; then the work splits over {@code outer}, and within one {@code (o, i)} the
 * {@code j} of scatterAdd are added in order, so results do not depend on the thread count.
 */
final class IndexKernels {
    private static final ArgumentChecks ARGS = new ArgumentChecks("cpu");

    private IndexKernels() {
    }

    static void gather(CpuBackend be, Parallel par, Buffer x, long xo, int outer, int extent, int inner, Buffer index,
                       long io, long[] is, int count, Buffer out, long oo) {
        String op = "gather";
        CpuBuffer xb = own(be, op, "x", x);
        CpuBuffer ib = own(be, op, "index", index);
        CpuBuffer ob = own(be, op, "out", out);
        ARGS.sameDtype(op, xb, "out", ob);
        checkBlock(op, xb, xo, ob, oo, ib, io, is, outer, extent, inner, count, true);
        Object xa = KernelDispatch.array(xb);
        Object oa = KernelDispatch.array(ob);
        int[] idx = ib.i;
        par.forRange(outer, 1, (long) outer * count * inner, Parallel.ELEMENTWISE_GRAIN, (from, to) -> {
            for (int o = from; o < to; o++) {
                for (int j = 0; j < count; j++) {
                    for (int i = 0; i < inner; i++) {
                        int e = idx[(int) (io + o * is[0] + j * is[1] + i * is[2])];
                        int src = (int) (xo + ((long) o * extent + e) * inner + i);
                        int dst = (int) (oo + ((long) o * count + j) * inner + i);
                        copyElement(xa, src, oa, dst);
                    }
                }
            }
        });
    }

    static void scatterAdd(CpuBackend be, Parallel par, Buffer src, long so, int outer, int count, int inner,
                           Buffer index, long io, long[] is, Buffer out, long oo, int extent) {
        String op = "scatterAdd";
        CpuBuffer sb = own(be, op, "src", src);
        CpuBuffer ib = own(be, op, "index", index);
        CpuBuffer ob = own(be, op, "out", out);
        ARGS.sameDtype(op, sb, "out", ob);
        Args.requireFloating(op, sb.dtype());
        checkBlock(op, ob, oo, sb, so, ib, io, is, outer, extent, inner, count, false);
        int[] idx = ib.i;
        par.forRange(outer, 1, (long) outer * count * inner, Parallel.ELEMENTWISE_GRAIN, (from, to) -> {
            for (int o = from; o < to; o++) {
                for (int i = 0; i < inner; i++) {
                    for (int j = 0; j < count; j++) {
                        int e = idx[(int) (io + o * is[0] + j * is[1] + i * is[2])];
                        int from1 = (int) (so + ((long) o * count + j) * inner + i);
                        int to1 = (int) (oo + ((long) o * extent + e) * inner + i);
                        if (sb.dtype() == DType.FLOAT32) {
                            ob.f[to1] += sb.f[from1];
                        } else {
                            ob.d[to1] += sb.d[from1];
                        }
                    }
                }
            }
        });
    }

    /**
     * Ranges of the {@code [outer, extent, inner]} block {@code big}, the {@code [outer, count, inner]}
     * block {@code small} and the index, then every index value.
     */
    private static void checkBlock(String op, CpuBuffer big, long bigOffset, CpuBuffer small, long smallOffset,
                                   CpuBuffer index, long io, long[] is, int outer, int extent, int inner, int count,
                                   boolean gather) {
        ARGS.block(op, outer, extent, inner);
        ARGS.nonNegative(op, "count", count);
        ARGS.range(op, gather ? "x" : "out", big, bigOffset, (long) outer * extent * inner);
        ARGS.range(op, gather ? "out" : "src", small, smallOffset, (long) outer * count * inner);
        ARGS.indexOperand(op, index, io, is, outer, count, inner);
        if ((long) outer * extent * inner > Integer.MAX_VALUE || (long) outer * count * inner > Integer.MAX_VALUE) {
            throw ARGS.bad(op, "block [%d, %d|%d, %d] is larger than a cpu buffer", outer, extent, count, inner);
        }
        int[] idx = index.i;
        for (int o = 0; o < outer; o++) {
            for (int j = 0; j < count; j++) {
                for (int i = 0; i < inner; i++) {
                    int e = idx[(int) (io + o * is[0] + j * is[1] + i * is[2])];
                    if (e < 0 || e >= extent) {
                        throw new IndexOutOfRangeException("cpu " + op, new long[] {o, j, i}, e, extent);
                    }
                }
            }
        }
    }

    private static void copyElement(Object from, int src, Object to, int dst) {
        if (from instanceof float[] f) {
            ((float[]) to)[dst] = f[src];
        } else if (from instanceof double[] d) {
            ((double[]) to)[dst] = d[src];
        } else {
            ((int[]) to)[dst] = ((int[]) from)[src];
        }
    }
}
