package dev.nabla.cpu;

import dev.nabla.backend.ReduceOp;

/**
 * Reductions of the middle axis of a contiguous {@code [outer, extent, inner]} block, outer blocks
 * {@code [from, to)}. With {@code inner == 1} each output is one contiguous run (accumulated in
 * double); otherwise whole rows of {@code inner} are combined, which C2 vectorises.
 */
final class ReduceKernels {
    private ReduceKernels() {
    }

    private static double identity(ReduceOp op) {
        return switch (op) {
            case SUM, MEAN -> 0;
            case MAX -> Double.NEGATIVE_INFINITY;
            case MIN -> Double.POSITIVE_INFINITY;
        };
    }

    /**
     * Float32: a whole run ({@code inner == 1}) is summed in double by {@link SimdLoops#sum}, its
     * extremes found by {@link SimdLoops#max}/{@link SimdLoops#min}; rows are combined column by
     * column in order, vectorised by {@link SimdLoops#reduceRows}. Either way the same bits as the
     * scalar loops.
     */
    static void reduce(SimdLoops math, ReduceOp op, float[] x, int xo, int from, int to, int extent, int inner,
                       float[] out, int oo) {
        for (int o = from; o < to; o++) {
            int base = xo + o * extent * inner;
            int dst = oo + o * inner;
            if (inner == 1) {
                out[dst] = switch (op) {
                    case SUM -> (float) math.sum(x, base, extent);
                    case MEAN -> (float) (math.sum(x, base, extent) / extent);
                    case MAX -> math.max(x, base, extent);
                    case MIN -> math.min(x, base, extent);
                };
                continue;
            }
            if (math.reduceRows(op, x, base, extent, inner, out, dst)) {
                scaleMean(op, extent, inner, out, dst);
                continue;
            }
            java.util.Arrays.fill(out, dst, dst + inner, (float) identity(op));
            for (int e = 0; e < extent; e++) {
                int src = base + e * inner;
                switch (op) {
                    case SUM, MEAN -> { for (int i = 0; i < inner; i++) { out[dst + i] += x[src + i]; } }
                    case MAX -> { for (int i = 0; i < inner; i++) { out[dst + i] = Math.max(out[dst + i], x[src + i]); } }
                    case MIN -> { for (int i = 0; i < inner; i++) { out[dst + i] = Math.min(out[dst + i], x[src + i]); } }
                }
            }
            scaleMean(op, extent, inner, out, dst);
        }
    }

    private static void scaleMean(ReduceOp op, int extent, int inner, float[] out, int dst) {
        if (op == ReduceOp.MEAN) {
            float inv = extent == 0 ? Float.NaN : 1f / extent;
            for (int i = 0; i < inner; i++) {
                out[dst + i] = extent == 0 ? Float.NaN : out[dst + i] * inv;
            }
        }
    }

    static void reduce(ReduceOp op, double[] x, int xo, int from, int to, int extent, int inner, double[] out, int oo) {
        for (int o = from; o < to; o++) {
            int base = xo + o * extent * inner;
            int dst = oo + o * inner;
            if (inner == 1) {
                double acc = identity(op);
                switch (op) {
                    case SUM, MEAN -> { for (int e = 0; e < extent; e++) { acc += x[base + e]; } }
                    case MAX -> { for (int e = 0; e < extent; e++) { acc = Math.max(acc, x[base + e]); } }
                    case MIN -> { for (int e = 0; e < extent; e++) { acc = Math.min(acc, x[base + e]); } }
                }
                out[dst] = op == ReduceOp.MEAN ? acc / extent : acc;
                continue;
            }
            java.util.Arrays.fill(out, dst, dst + inner, identity(op));
            for (int e = 0; e < extent; e++) {
                int src = base + e * inner;
                switch (op) {
                    case SUM, MEAN -> { for (int i = 0; i < inner; i++) { out[dst + i] += x[src + i]; } }
                    case MAX -> { for (int i = 0; i < inner; i++) { out[dst + i] = Math.max(out[dst + i], x[src + i]); } }
                    case MIN -> { for (int i = 0; i < inner; i++) { out[dst + i] = Math.min(out[dst + i], x[src + i]); } }
                }
            }
            if (op == ReduceOp.MEAN) {
                for (int i = 0; i < inner; i++) {
                    out[dst + i] = out[dst + i] / extent;
                }
            }
        }
    }

    /** First index of the largest value (NaN counts as largest) along the middle axis. */
    static void argMax(Object x, int xo, int from, int to, int extent, int inner, int[] out, int oo) {
        float[] f = x instanceof float[] a ? a : null;
        double[] d = x instanceof double[] a ? a : null;
        for (int o = from; o < to; o++) {
            for (int i = 0; i < inner; i++) {
                int base = xo + o * extent * inner + i;
                int best = 0;
                double bv = f != null ? f[base] : d[base];
                for (int e = 1; e < extent && bv == bv; e++) {
                    double v = f != null ? f[base + e * inner] : d[base + e * inner];
                    if (v > bv || v != v) {
                        best = e;
                        bv = v;
                    }
                }
                out[oo + o * inner + i] = best;
            }
        }
    }
}
