package dev.nabla.cpu;

import dev.nabla.DType;
import dev.nabla.backend.Backend;
import dev.nabla.backend.BackendReport;
import dev.nabla.backend.BinaryOp;
import dev.nabla.backend.Buffer;
import dev.nabla.backend.MemoryStats;
import dev.nabla.backend.ReduceOp;
import dev.nabla.backend.UnaryOp;

/**
 * A CPU backend with one deliberate bug, to show that the contract catches it. Buffers are the
 * delegate's own (so the contract's "allocate" check, which wants {@code backend() == this}, fails
 * for every fault alike and is not counted).
 */
final class FaultyBackend implements Backend {
    enum Fault {
        NONE, GEMM_IGNORES_BETA, GEMM_WRITES_LDC_PADDING, UNARY_SLIGHTLY_OFF, UNARY_GRAD_NEGATED,
        BINARY_SWAPS_OPERANDS, REDUCE_EMPTY_GIVES_ZERO, ARGMAX_LAST_ON_TIES, SOFTMAX_WITHOUT_MAX,
        CROSS_ENTROPY_WRITES_BEFORE_VALIDATING, DROPOUT_OTHER_SEED, SGD_IGNORES_NESTEROV, ADAM_WITHOUT_BIAS_CORRECTION,
        CAST_ROUNDS, FILL_ONE_SHORT, GATHER_OFF_BY_ONE, SCATTER_OVERWRITES
    }

    private final Backend d;
    private final Fault fault;

    FaultyBackend(Backend delegate, Fault fault) {
        this.d = delegate;
        this.fault = fault;
    }

    private double get(Buffer b, long at) {
        if (b.dtype() == DType.FLOAT32) {
            java.nio.FloatBuffer v = java.nio.FloatBuffer.allocate(1);
            d.copyToHost(b, at, v);
            return v.get(0);
        }
        java.nio.DoubleBuffer v = java.nio.DoubleBuffer.allocate(1);
        d.copyToHost(b, at, v);
        return v.get(0);
    }

    private void set(Buffer b, long at, double value) {
        d.fill(b, at, 1, value);
    }

    private double[] read(Buffer b, long off, int n) {
        double[] out = new double[n];
        if (b.dtype() == DType.FLOAT32) {
            float[] v = new float[n];
            d.copyToHost(b, off, java.nio.FloatBuffer.wrap(v));
            for (int i = 0; i < n; i++) {
                out[i] = v[i];
            }
        } else {
            d.copyToHost(b, off, java.nio.DoubleBuffer.wrap(out));
        }
        return out;
    }

    @Override public String name() { return d.name(); }
    @Override public int deviceIndex() { return d.deviceIndex(); }
    @Override public boolean supports(DType dtype) { return d.supports(dtype); }
    @Override public BackendReport report() { return d.report(); }
    @Override public Buffer allocate(DType dtype, long elements) { return d.allocate(dtype, elements); }
    @Override public void copyFromHost(java.nio.Buffer s, Buffer b, long o) { d.copyFromHost(s, b, o); }
    @Override public void copyToHost(Buffer b, long o, java.nio.Buffer t) { d.copyToHost(b, o, t); }

    @Override
    public void copy(Buffer src, long so, long[] ss, Buffer dst, long dso, long[] ds, int[] shape) {
        d.copy(src, so, ss, dst, dso, ds, shape);
    }

    @Override
    public void cast(Buffer src, long so, Buffer dst, long dso, long count) {
        d.cast(src, so, dst, dso, count);
        if (fault == Fault.CAST_ROUNDS && dst.dtype() == DType.INT32 && src.dtype() != DType.INT32) {
            double[] s = read(src, so, (int) count);
            for (int i = 0; i < count; i++) {
                d.fill(dst, dso + i, 1, Math.round(s[i]));
            }
        }
    }

    @Override
    public void fill(Buffer dst, long offset, long count, double value) {
        d.fill(dst, offset, fault == Fault.FILL_ONE_SHORT && count > 1 ? count - 1 : count, value);
    }

    @Override
    public void gemmBatched(boolean ta, boolean tb, int m, int n, int k, double alpha, Buffer a, long ao, int lda,
                            long sa, Buffer b, long bo, int ldb, long sb, double beta, Buffer c, long co, int ldc,
                            long sc, int batch) {
        double bt = fault == Fault.GEMM_IGNORES_BETA ? 0 : beta;
        d.gemmBatched(ta, tb, m, n, k, alpha, a, ao, lda, sa, b, bo, ldb, sb, bt, c, co, ldc, sc, batch);
        if (fault == Fault.GEMM_WRITES_LDC_PADDING && ldc > n && m > 0) {
            set(c, co + n, 0);
        }
    }

    @Override
    public void unary(UnaryOp op, double p, Buffer x, long xo, Buffer y, long yo, long count) {
        d.unary(op, p, x, xo, y, yo, count);
        if (fault == Fault.UNARY_SLIGHTLY_OFF && count > 0) {
            set(y, yo, get(y, yo) * 1.001 + 1e-3);
        }
    }

    @Override
    public boolean unaryGrad(UnaryOp op, double p, Buffer x, long xo, Buffer y, long yo, Buffer dy, long dyo, Buffer dx,
                             long dxo, long count) {
        boolean done = d.unaryGrad(op, p, x, xo, y, yo, dy, dyo, dx, dxo, count);
        if (done && fault == Fault.UNARY_GRAD_NEGATED) {
            d.unary(UnaryOp.NEG, 0, dx, dxo, dx, dxo, count);
        }
        return done;
    }

    @Override
    public void binary(BinaryOp op, Buffer a, long ao, long[] as, Buffer b, long bo, long[] bs, Buffer out, long oo,
                       int[] shape) {
        if (fault == Fault.BINARY_SWAPS_OPERANDS) {
            d.binary(op, b, bo, bs, a, ao, as, out, oo, shape);
        } else {
            d.binary(op, a, ao, as, b, bo, bs, out, oo, shape);
        }
    }

    @Override
    public void reduce(ReduceOp op, Buffer x, long xo, int outer, int extent, int inner, Buffer out, long oo) {
        d.reduce(op, x, xo, outer, extent, inner, out, oo);
        if (fault == Fault.REDUCE_EMPTY_GIVES_ZERO && extent == 0) {
            d.fill(out, oo, (long) outer * inner, 0);
        }
    }

    @Override
    public void argMax(Buffer x, long xo, int outer, int extent, int inner, Buffer out, long oo) {
        d.argMax(x, xo, outer, extent, inner, out, oo);
        if (fault == Fault.ARGMAX_LAST_ON_TIES) {
            double[] v = read(x, xo, outer * extent * inner);
            for (int o = 0; o < outer; o++) {
                for (int i = 0; i < inner; i++) {
                    int best = 0;
                    for (int e = 1; e < extent; e++) {
                        if (v[(o * extent + e) * inner + i] >= v[(o * extent + best) * inner + i]) {
                            best = e;
                        }
                    }
                    d.fill(out, oo + (long) o * inner + i, 1, best);
                }
            }
        }
    }

    @Override
    public boolean softmax(boolean log, Buffer x, long xo, int rows, int cols, Buffer y, long yo) {
        if (fault != Fault.SOFTMAX_WITHOUT_MAX) {
            return d.softmax(log, x, xo, rows, cols, y, yo);
        }
        double[] v = read(x, xo, rows * cols);
        for (int r = 0; r < rows; r++) {
            double sum = 0;
            for (int c = 0; c < cols; c++) {
                sum += Math.exp(v[r * cols + c]);
            }
            for (int c = 0; c < cols; c++) {
                double e = Math.exp(v[r * cols + c]);
                set(y, yo + (long) r * cols + c, log ? Math.log(e / sum) : e / sum);
            }
        }
        return true;
    }

    @Override
    public boolean softmaxCrossEntropy(Buffer logits, long lo, Buffer labels, long lbo, int rows, int classes,
                                       Buffer losses, long losso, Buffer grad, long go) {
        if (fault == Fault.CROSS_ENTROPY_WRITES_BEFORE_VALIDATING) {
            d.fill(losses, losso, rows, 0);
        }
        return d.softmaxCrossEntropy(logits, lo, labels, lbo, rows, classes, losses, losso, grad, go);
    }

    @Override
    public boolean dropout(double p, long seed, Buffer x, long xo, Buffer y, long yo, Buffer mask, long mo, long count) {
        return d.dropout(p, fault == Fault.DROPOUT_OTHER_SEED ? seed + 1 : seed, x, xo, y, yo, mask, mo, count);
    }

    @Override
    public boolean sgdStep(Buffer p, long po, Buffer g, long go, Buffer v, long vo, long count, double lr, double mom,
                           double damp, double wd, boolean nesterov, boolean first) {
        return d.sgdStep(p, po, g, go, v, vo, count, lr, mom, damp, wd, nesterov && fault != Fault.SGD_IGNORES_NESTEROV,
                first);
    }

    @Override
    public boolean adamStep(Buffer p, long po, Buffer g, long go, Buffer m, long mo, Buffer v, long vo, long count,
                            double lr, double b1, double b2, double eps, double wd, boolean decoupled, long step) {
        long s = fault == Fault.ADAM_WITHOUT_BIAS_CORRECTION ? 100_000 : step;
        return d.adamStep(p, po, g, go, m, mo, v, vo, count, lr, b1, b2, eps, wd, decoupled, s);
    }

    @Override
    public void gather(Buffer x, long xo, int outer, int extent, int inner, Buffer index, long io, long[] is, int count,
                       Buffer out, long oo) {
        d.gather(x, xo, outer, extent, inner, index, io, is, count, out, oo);
        if (fault == Fault.GATHER_OFF_BY_ONE && (long) outer * count * inner > 1) {
            set(out, oo + 1, get(out, oo));
        }
    }

    @Override
    public void scatterAdd(Buffer src, long so, int outer, int count, int inner, Buffer index, long io, long[] is,
                           Buffer out, long oo, int extent) {
        if (fault == Fault.SCATTER_OVERWRITES) {
            d.fill(out, oo, (long) outer * extent * inner, 0);
        }
        d.scatterAdd(src, so, outer, count, inner, index, io, is, out, oo, extent);
    }

    @Override public void synchronize() { d.synchronize(); }
    @Override public MemoryStats memoryStats() { return d.memoryStats(); }
    @Override public void close() { d.close(); }
}
