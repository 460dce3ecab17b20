package dev.nabla.backend.reference;

import dev.nabla.DType;
import dev.nabla.backend.ArgumentChecks;
import dev.nabla.backend.Backend;
import dev.nabla.backend.BackendReport;
import dev.nabla.backend.BinaryOp;
import dev.nabla.backend.Buffer;
import dev.nabla.backend.HostBuffers;
import dev.nabla.backend.IndexOutOfRangeException;
import dev.nabla.backend.MemoryStats;
import dev.nabla.backend.ReduceOp;
import dev.nabla.backend.UnaryOp;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The oracle: every primitive of the SPI as the plainest loop over doubles, straight from the op
 * tables' scalar references, and none of the optional fast paths, so that everything else core
 * composes runs here too. Slow on purpose: no blocking, no threads, no vectors. It lets core test
 * itself without any real backend, and the contract suite compares real backends with it.
 */
public final class ReferenceBackend implements Backend {
    static final String NAME = "reference";

    private final ArgumentChecks args = new ArgumentChecks(NAME);
    private final AtomicLong liveBytes = new AtomicLong();
    private final AtomicLong peakBytes = new AtomicLong();
    private final AtomicLong liveBuffers = new AtomicLong();
    private volatile boolean closed;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int deviceIndex() {
        return 0;
    }

    @Override
    public boolean supports(DType dtype) {
        return true;
    }

    @Override
    public BackendReport report() {
        Map<String, String> details = Map.of("kernels", "scalar double loops (the contract's oracle)");
        return new BackendReport(NAME, true, "scalar reference kernels",
                List.of(new BackendReport.DeviceInfo(0, "reference", Runtime.getRuntime().maxMemory(), details)),
                details);
    }

    // ---------------------------------------------------------------- memory

    private ReferenceBuffer own(String op, String name, Buffer b) {
        if (closed) {
            throw new IllegalStateException(NAME + " " + op + ": the backend is closed");
        }
        if (b == null) {
            throw args.bad(op, "%s is null", name);
        }
        if (!(b instanceof ReferenceBuffer rb) || rb.owner() != this) {
            throw args.bad(op, "%s (%s) was not allocated by this reference backend", name, b);
        }
        if (rb.isClosed()) {
            throw new IllegalStateException(NAME + " " + op + ": " + name + " is closed");
        }
        return rb;
    }

    private ReferenceBuffer own(String op, String name, Buffer b, ReferenceBuffer sameAs) {
        ReferenceBuffer rb = own(op, name, b);
        args.sameDtype(op, sameAs, name, rb);
        return rb;
    }

    @Override
    public Buffer allocate(DType dtype, long elements) {
        if (closed) {
            throw new IllegalStateException(NAME + " allocate: the backend is closed");
        }
        if (dtype == null) {
            throw args.bad("allocate", "dtype is null");
        }
        if (elements < 0 || elements > Integer.MAX_VALUE - 8) {
            throw args.bad("allocate", "%d elements: expected 0 to %d", elements, Integer.MAX_VALUE - 8);
        }
        ReferenceBuffer b = new ReferenceBuffer(this, dtype, (int) elements);
        long live = liveBytes.addAndGet(b.byteSize());
        peakBytes.accumulateAndGet(live, Math::max);
        liveBuffers.incrementAndGet();
        return b;
    }

    void released(ReferenceBuffer b) {
        liveBytes.addAndGet(-b.byteSize());
        liveBuffers.decrementAndGet();
    }

    @Override
    public void copyFromHost(java.nio.Buffer src, Buffer dst, long dstOffset) {
        ReferenceBuffer d = own("copyFromHost", "dst", dst);
        HostBuffers.check(NAME, "copyFromHost", src, d.dtype(), dstOffset, d.size());
        int n = src.remaining();
        int p = src.position();
        for (int i = 0; i < n; i++) {
            double v = switch (d.dtype()) {
                case FLOAT32 -> ((FloatBuffer) src).get(p + i);
                case FLOAT64 -> ((DoubleBuffer) src).get(p + i);
                case INT32 -> ((IntBuffer) src).get(p + i);
            };
            d.set(dstOffset + i, v);
        }
    }

    @Override
    public void copyToHost(Buffer src, long srcOffset, java.nio.Buffer dst) {
        ReferenceBuffer s = own("copyToHost", "src", src);
        HostBuffers.check(NAME, "copyToHost", dst, s.dtype(), srcOffset, s.size());
        int n = dst.remaining();
        int p = dst.position();
        for (int i = 0; i < n; i++) {
            double v = s.get(srcOffset + i);
            switch (s.dtype()) {
                case FLOAT32 -> ((FloatBuffer) dst).put(p + i, (float) v);
                case FLOAT64 -> ((DoubleBuffer) dst).put(p + i, v);
                case INT32 -> ((IntBuffer) dst).put(p + i, (int) v);
            }
        }
    }

    @Override
    public void copy(Buffer src, long srcOffset, long[] srcStrides, Buffer dst, long dstOffset, long[] dstStrides,
                     int[] shape) {
        String op = "copy";
        ReferenceBuffer s = own(op, "src", src);
        ReferenceBuffer d = own(op, "dst", dst, s);
        args.shape(op, shape);
        args.stridedRange(op, "src", s, srcOffset, srcStrides, shape);
        args.stridedRange(op, "dst", d, dstOffset, dstStrides, shape);
        Strided.forEach(shape, (i, index) -> d.set(dstOffset + Strided.offset(index, dstStrides),
                s.get(srcOffset + Strided.offset(index, srcStrides))));
    }

    @Override
    public void cast(Buffer src, long srcOffset, Buffer dst, long dstOffset, long count) {
        ReferenceBuffer s = own("cast", "src", src);
        ReferenceBuffer d = own("cast", "dst", dst);
        args.range("cast", "src", s, srcOffset, count);
        args.range("cast", "dst", d, dstOffset, count);
        for (long i = 0; i < count; i++) {
            d.set(dstOffset + i, s.get(srcOffset + i));
        }
    }

    @Override
    public void fill(Buffer dst, long offset, long count, double value) {
        ReferenceBuffer d = own("fill", "dst", dst);
        args.range("fill", "dst", d, offset, count);
        for (long i = 0; i < count; i++) {
            d.set(offset + i, value);
        }
    }

    // ---------------------------------------------------------------- arithmetic

    @Override
    public void gemmBatched(boolean transA, boolean transB, int m, int n, int k, double alpha, Buffer a, long aOffset,
                            int lda, long strideA, Buffer b, long bOffset, int ldb, long strideB, double beta,
                            Buffer c, long cOffset, int ldc, long strideC, int batch) {
        String op = "gemm";
        ReferenceBuffer ab = own(op, "A", a);
        ReferenceBuffer bb = own(op, "B", b, ab);
        ReferenceBuffer cb = own(op, "C", c, ab);
        args.floating(op, ab.dtype());
        if (m < 0 || n < 0 || k < 0 || batch < 0) {
            throw args.bad(op, "m=%d n=%d k=%d batch=%d: sizes must not be negative", m, n, k, batch);
        }
        args.matrix(op, "A", ab, aOffset, lda, strideA, transA ? k : m, transA ? m : k, batch);
        args.matrix(op, "B", bb, bOffset, ldb, strideB, transB ? n : k, transB ? k : n, batch);
        args.matrix(op, "C", cb, cOffset, ldc, strideC, m, n, batch);
        for (int p = 0; p < batch; p++) {
            long ao = aOffset + p * strideA, bo = bOffset + p * strideB, co = cOffset + p * strideC;
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double sum = 0;
                    for (int q = 0; q < k; q++) {
                        double av = ab.get(ao + (transA ? (long) q * lda + i : (long) i * lda + q));
                        double bv = bb.get(bo + (transB ? (long) j * ldb + q : (long) q * ldb + j));
                        sum += av * bv;
                    }
                    long at = co + (long) i * ldc + j;
                    cb.set(at, alpha * sum + (beta == 0 ? 0 : beta * cb.get(at)));
                }
            }
        }
    }

    @Override
    public void unary(UnaryOp op, double param, Buffer x, long xOffset, Buffer y, long yOffset, long count) {
        if (op == null) {
            throw args.bad("unary", "op is null");
        }
        ReferenceBuffer xb = own("unary", "x", x);
        ReferenceBuffer yb = own("unary", "y", y, xb);
        args.floating("unary", xb.dtype());
        args.range("unary", "x", xb, xOffset, count);
        args.range("unary", "y", yb, yOffset, count);
        double p = ReferenceBuffer.round(xb.dtype(), param);
        for (long i = 0; i < count; i++) {
            yb.set(yOffset + i, op.apply(xb.get(xOffset + i), p));
        }
    }

    @Override
    public void binary(BinaryOp op, Buffer a, long aOffset, long[] aStrides, Buffer b, long bOffset, long[] bStrides,
                       Buffer out, long outOffset, int[] shape) {
        String name = "binary";
        if (op == null) {
            throw args.bad(name, "op is null");
        }
        ReferenceBuffer ab = own(name, "a", a);
        ReferenceBuffer bb = own(name, "b", b, ab);
        ReferenceBuffer ob = own(name, "out", out, ab);
        boolean ints = ab.dtype() == DType.INT32;
        if (ints && !op.supportsInt()) {
            throw args.unsupported("binary " + op, DType.INT32, "floating dtypes only");
        }
        args.shape(name, shape);
        args.stridedRange(name, "a", ab, aOffset, aStrides, shape);
        args.stridedRange(name, "b", bb, bOffset, bStrides, shape);
        args.range(name, "out", ob, outOffset, Strided.count(shape));
        Strided.forEach(shape, (i, index) -> {
            double av = ab.get(aOffset + Strided.offset(index, aStrides));
            double bv = bb.get(bOffset + Strided.offset(index, bStrides));
            ob.set(outOffset + i, ints ? op.applyInt((int) av, (int) bv) : op.apply(av, bv));
        });
    }

    @Override
    public void reduce(ReduceOp op, Buffer x, long xOffset, int outer, int extent, int inner, Buffer out,
                       long outOffset) {
        if (op == null) {
            throw args.bad("reduce", "op is null");
        }
        ReferenceBuffer xb = own("reduce", "x", x);
        ReferenceBuffer ob = own("reduce", "out", out, xb);
        args.floating("reduce", xb.dtype());
        args.block("reduce", outer, extent, inner);
        args.range("reduce", "x", xb, xOffset, (long) outer * extent * inner);
        args.range("reduce", "out", ob, outOffset, (long) outer * inner);
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                double acc = op.identity();
                for (int e = 0; e < extent; e++) {
                    acc = op.combine(acc, xb.get(xOffset + ((long) o * extent + e) * inner + i));
                }
                ob.set(outOffset + (long) o * inner + i, op.finish(acc, extent));
            }
        }
    }

    @Override
    public void argMax(Buffer x, long xOffset, int outer, int extent, int inner, Buffer out, long outOffset) {
        ReferenceBuffer xb = own("argMax", "x", x);
        ReferenceBuffer ob = own("argMax", "out", out);
        args.dtype("argMax", "out", ob, DType.INT32);
        args.floating("argMax", xb.dtype());
        args.block("argMax", outer, extent, inner);
        args.range("argMax", "x", xb, xOffset, (long) outer * extent * inner);
        args.range("argMax", "out", ob, outOffset, (long) outer * inner);
        if (extent == 0 && (long) outer * inner > 0) {
            throw args.bad("argMax", "block [%d, 0, %d]: no index of the largest value along an empty axis", outer,
                    inner);
        }
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                int best = 0;
                double bestValue = Double.NaN;
                for (int e = 0; e < extent; e++) {
                    double v = xb.get(xOffset + ((long) o * extent + e) * inner + i);
                    boolean better = e == 0 || (!Double.isNaN(bestValue) && (Double.isNaN(v) || v > bestValue));
                    if (better) {
                        best = e;
                        bestValue = v;
                    }
                }
                ob.set(outOffset + (long) o * inner + i, best);
            }
        }
    }

    @Override
    public void gather(Buffer x, long xOffset, int outer, int extent, int inner, Buffer index, long indexOffset,
                       long[] indexStrides, int count, Buffer out, long outOffset) {
        String op = "gather";
        ReferenceBuffer xb = own(op, "x", x);
        ReferenceBuffer ib = own(op, "index", index);
        ReferenceBuffer ob = own(op, "out", out, xb);
        args.block(op, outer, extent, inner);
        args.nonNegative(op, "count", count);
        args.range(op, "x", xb, xOffset, (long) outer * extent * inner);
        args.range(op, "out", ob, outOffset, (long) outer * count * inner);
        args.indexOperand(op, ib, indexOffset, indexStrides, outer, count, inner);
        int[] shape = {outer, count, inner};
        validate(op, ib, indexOffset, indexStrides, shape, extent);
        Strided.forEach(shape, (flat, at) -> {
            long e = (long) ib.get(indexOffset + Strided.offset(at, indexStrides));
            ob.set(outOffset + flat, xb.get(xOffset + ((long) at[0] * extent + e) * inner + at[2]));
        });
    }

    @Override
    public void scatterAdd(Buffer src, long srcOffset, int outer, int count, int inner, Buffer index,
                           long indexOffset, long[] indexStrides, Buffer out, long outOffset, int extent) {
        String op = "scatterAdd";
        ReferenceBuffer sb = own(op, "src", src);
        ReferenceBuffer ib = own(op, "index", index);
        ReferenceBuffer ob = own(op, "out", out, sb);
        args.floating(op, sb.dtype());
        args.block(op, outer, extent, inner);
        args.nonNegative(op, "count", count);
        args.range(op, "src", sb, srcOffset, (long) outer * count * inner);
        args.range(op, "out", ob, outOffset, (long) outer * extent * inner);
        args.indexOperand(op, ib, indexOffset, indexStrides, outer, count, inner);
        int[] shape = {outer, count, inner};
        validate(op, ib, indexOffset, indexStrides, shape, extent);
        Strided.forEach(shape, (flat, at) -> {
            long e = (long) ib.get(indexOffset + Strided.offset(at, indexStrides));
            long to = outOffset + ((long) at[0] * extent + e) * inner + at[2];
            ob.set(to, ob.get(to) + sb.get(srcOffset + flat));
        });
    }

    /** Every index inside {@code [0, extent)}, before anything is written. */
    private static void validate(String op, ReferenceBuffer index, long offset, long[] strides, int[] shape,
                                 int extent) {
        Strided.forEach(shape, (flat, at) -> {
            long e = (long) index.get(offset + Strided.offset(at, strides));
            if (e < 0 || e >= extent) {
                throw new IndexOutOfRangeException(NAME + " " + op, new long[] {at[0], at[1], at[2]}, e, extent);
            }
        });
    }

    // ---------------------------------------------------------------- lifecycle

    @Override
    public void synchronize() {
        // Every call has finished when it returns.
    }

    @Override
    public MemoryStats memoryStats() {
        return new MemoryStats(liveBytes.get(), 0, peakBytes.get(), liveBuffers.get());
    }

    @Override
    public void close() {
        closed = true;
    }

    @Override
    public String toString() {
        return "ReferenceBackend";
    }
}
