package dev.nabla.cpu;

import static dev.nabla.cpu.Args.bad;
import static dev.nabla.cpu.Args.own;
import static dev.nabla.cpu.Args.range;

import dev.nabla.DType;
import dev.nabla.backend.Backend;
import dev.nabla.backend.BackendReport;
import dev.nabla.backend.BinaryOp;
import dev.nabla.backend.Buffer;
import dev.nabla.backend.HostBuffers;
import dev.nabla.backend.MemoryStats;
import dev.nabla.backend.ReduceOp;
import dev.nabla.backend.UnaryOp;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The pure-Java backend: buffers are heap arrays, kernels are static methods over arrays, offsets
 * and strides ({@link UnaryKernels}, {@link BinaryKernels}, {@link GemmF32}...). This class checks
 * arguments, picks the kernel and splits large work over {@code threads} threads ({@link Parallel}).
 * Calls run synchronously, so {@link #synchronize()} has nothing to wait for.
 */
public final class CpuBackend implements Backend {
    private final Parallel parallel;
    private final CpuKernels kernels;
    private final BackendReport providerReport;
    private final AtomicLong liveBytes = new AtomicLong();
    private final AtomicLong peakBytes = new AtomicLong();
    private final AtomicLong liveBuffers = new AtomicLong();
    private final ArrayPool pool = new ArrayPool(ArrayPool.defaultCapacity());
    private volatile boolean closed;

    /**
     * @param threads     worker threads for large kernels (1 = never fork)
     * @param gemmRequest {@code auto}, {@code scalar} or {@code vector} (see {@link CpuKernels})
     */
    public CpuBackend(int threads, String gemmRequest) {
        this(threads, CpuKernels.select(gemmRequest), null);
    }

    CpuBackend(int threads, CpuKernels kernels, BackendReport providerReport) {
        if (threads < 1) {
            throw new IllegalArgumentException("cpu backend: threads = " + threads + ", expected at least 1");
        }
        this.parallel = new Parallel(threads);
        this.kernels = kernels;
        this.providerReport = providerReport;
    }

    @Override
    public String name() {
        return "cpu";
    }

    @Override
    public int deviceIndex() {
        return 0;
    }

    @Override
    public boolean supports(DType dtype) {
        return true;
    }

    /** Threads that large kernels are split over. */
    public int threads() {
        return parallel.threads();
    }

    /** Which GEMM micro-kernels run, e.g. {@code vector Species[float, 16, S_512_BIT] 12x32, ...}. */
    public String gemmKernel() {
        return kernels.description();
    }

    @Override
    public BackendReport report() {
        BackendReport base = providerReport != null ? providerReport : new CpuProvider().report();
        Map<String, String> details = new LinkedHashMap<>(base.details());
        details.put("threads", String.valueOf(threads()));
        details.put("gemm kernel", gemmKernel());
        details.put("gemm kernel reason", kernels.reason());
        details.put("elementwise math", kernels.math().name);
        List<BackendReport.DeviceInfo> devices = base.devices().stream().map(d -> {
            Map<String, String> props = new LinkedHashMap<>(d.properties());
            props.put("gemm kernel", gemmKernel());
            return new BackendReport.DeviceInfo(d.index(), d.name(), d.memoryBytes(), props);
        }).toList();
        return new BackendReport(name(), true, threads() + " threads, gemm " + gemmKernel(), devices, details);
    }

    // ---------------------------------------------------------------- memory

    private void open(String op) {
        if (closed) {
            throw new IllegalStateException("cpu " + op + ": the backend is closed");
        }
    }

    @Override
    public Buffer allocate(DType dtype, long elements) {
        open("allocate");
        if (dtype == null) {
            throw bad("allocate", "dtype is null");
        }
        if (elements < 0 || elements > Integer.MAX_VALUE - 8) {
            throw bad("allocate", "%d elements of %s: expected 0 to %d (one Java array)", elements,
                    dtype.shortName(), Integer.MAX_VALUE - 8);
        }
        int n = (int) elements;
        Object array = pool.take(dtype, n);
        if (array == null) {
            int length = Math.max(1, pool.lengthFor(n)); // allocate(0) still holds one element, as the SPI says
            try {
                array = CpuBuffer.newArray(dtype, length);
            } catch (OutOfMemoryError e) {
                pool.clear();
                try {
                    array = CpuBuffer.newArray(dtype, length);
                } catch (OutOfMemoryError again) {
                    throw new IllegalStateException("cpu allocate: no heap left for " + elements + " "
                            + dtype.shortName() + " elements (" + liveBytes.get() + " bytes live, -Xmx "
                            + Runtime.getRuntime().maxMemory() + "); try a smaller batch or a larger -Xmx");
                }
            }
        }
        CpuBuffer b = new CpuBuffer(this, dtype, n, array);
        long live = liveBytes.addAndGet(b.byteSize());
        peakBytes.accumulateAndGet(live, Math::max);
        liveBuffers.incrementAndGet();
        return b;
    }

    /** Accounts for a closed buffer; {@code array}, when not null, may be reused ({@link ArrayPool}). */
    void released(CpuBuffer b, Object array) {
        liveBytes.addAndGet(-b.byteSize());
        liveBuffers.decrementAndGet();
        if (array != null && !closed) {
            pool.give(b.dtype(), array);
        }
    }

    @Override
    public void copyFromHost(java.nio.Buffer src, Buffer dst, long dstOffset) {
        open("copyFromHost");
        CpuBuffer d = own(this, "copyFromHost", "dst", dst);
        HostBuffers.check("cpu", "copyFromHost", src, d.dtype(), dstOffset, d.size());
        int at = (int) dstOffset;
        int p = src.position();
        int n = src.remaining();
        switch (d.dtype()) {
            case FLOAT32 -> ((FloatBuffer) src).get(p, d.f, at, n);
            case FLOAT64 -> ((DoubleBuffer) src).get(p, d.d, at, n);
            case INT32 -> ((IntBuffer) src).get(p, d.i, at, n);
        }
    }

    @Override
    public void copyToHost(Buffer src, long srcOffset, java.nio.Buffer dst) {
        open("copyToHost");
        CpuBuffer s = own(this, "copyToHost", "src", src);
        HostBuffers.check("cpu", "copyToHost", dst, s.dtype(), srcOffset, s.size());
        int at = (int) srcOffset;
        int p = dst.position();
        int n = dst.remaining();
        switch (s.dtype()) {
            case FLOAT32 -> ((FloatBuffer) dst).put(p, s.f, at, n);
            case FLOAT64 -> ((DoubleBuffer) dst).put(p, s.d, at, n);
            case INT32 -> ((IntBuffer) dst).put(p, s.i, at, n);
        }
    }

    @Override
    public void copy(Buffer src, long srcOffset, long[] srcStrides, Buffer dst, long dstOffset, long[] dstStrides,
                     int[] shape) {
        String op = "copy";
        open(op);
        CpuBuffer s = own(this, op, "src", src);
        CpuBuffer d = own(this, op, "dst", dst);
        Args.sameDtype(op, s, "dst", d);
        Args.shape(op, shape);
        Args.stridedRange(op, "src", s, srcOffset, srcStrides, shape);
        Args.stridedRange(op, "dst", d, dstOffset, dstStrides, shape);
        long count = count(shape);
        if (count == 0) {
            return;
        }
        StrideMerge.Merged l = StrideMerge.merge(shape, srcStrides, dstStrides);
        Object sa = KernelDispatch.array(s);
        Object da = KernelDispatch.array(d);
        parallel.forRange((int) l.rows(), 1, count, Parallel.ELEMENTWISE_GRAIN,
                (from, to) -> CopyKernels.copyRows(sa, srcOffset, da, dstOffset, l, from, to));
    }

    static long count(int[] shape) {
        long n = 1;
        for (int e : shape) {
            n *= e;
        }
        return n;
    }

    @Override
    public void cast(Buffer src, long srcOffset, Buffer dst, long dstOffset, long count) {
        String op = "cast";
        open(op);
        CpuBuffer s = own(this, op, "src", src);
        CpuBuffer d = own(this, op, "dst", dst);
        range(op, "src", s, srcOffset, count);
        range(op, "dst", d, dstOffset, count);
        Object sa = KernelDispatch.array(s);
        Object da = KernelDispatch.array(d);
        int n = (int) count;
        parallel.elementwise(n, (from, to) -> CopyKernels.cast(sa, (int) srcOffset + from, da, (int) dstOffset + from,
                to - from));
    }

    @Override
    public void fill(Buffer dst, long offset, long count, double value) {
        open("fill");
        CpuBuffer d = own(this, "fill", "dst", dst);
        range("fill", "dst", d, offset, count);
        CopyKernels.fill(KernelDispatch.array(d), (int) offset, (int) count, value);
    }

    // ---------------------------------------------------------------- arithmetic: see KernelDispatch

    @Override
    public void gemmBatched(boolean transA, boolean transB, int m, int n, int k, double alpha, Buffer a, long aOffset,
                            int lda, long strideA, Buffer b, long bOffset, int ldb, long strideB, double beta, Buffer c,
                            long cOffset, int ldc, long strideC, int batch) {
        open("gemm");
        KernelDispatch.gemm(this, parallel, kernels, transA, transB, m, n, k, alpha, a, aOffset, lda, strideA, b, bOffset,
                ldb, strideB, beta, c, cOffset, ldc, strideC, batch);
    }

    @Override
    public void unary(UnaryOp op, double param, Buffer x, long xOffset, Buffer y, long yOffset, long count) {
        open("unary");
        KernelDispatch.unary(this, parallel, kernels.math(), op, param, x, xOffset, y, yOffset, count);
    }

    @Override
    public boolean unaryGrad(UnaryOp op, double param, Buffer x, long xOffset, Buffer y, long yOffset, Buffer dy,
                             long dyOffset, Buffer dx, long dxOffset, long count) {
        open("unaryGrad");
        return KernelDispatch.unaryGrad(this, parallel, kernels.math(), op, param, x, xOffset, y, yOffset, dy, dyOffset, dx, dxOffset, count);
    }

    @Override
    public void binary(BinaryOp op, Buffer a, long aOffset, long[] aStrides, Buffer b, long bOffset, long[] bStrides,
                       Buffer out, long outOffset, int[] shape) {
        open("binary");
        KernelDispatch.binary(this, parallel, kernels.math(), op, a, aOffset, aStrides, b, bOffset, bStrides, out, outOffset, shape);
    }

    @Override
    public void reduce(ReduceOp op, Buffer x, long xOffset, int outer, int extent, int inner, Buffer out,
                       long outOffset) {
        open("reduce");
        KernelDispatch.reduce(this, parallel, kernels.math(), op, x, xOffset, outer, extent, inner, out, outOffset);
    }

    @Override
    public void argMax(Buffer x, long xOffset, int outer, int extent, int inner, Buffer out, long outOffset) {
        open("argMax");
        KernelDispatch.argMax(this, parallel, x, xOffset, outer, extent, inner, out, outOffset);
    }

    @Override
    public boolean softmax(boolean log, Buffer x, long xOffset, int rows, int cols, Buffer y, long yOffset) {
        open("softmax");
        KernelDispatch.softmax(this, parallel, kernels.math(), log, x, xOffset, rows, cols, y, yOffset);
        return true;
    }

    @Override
    public boolean softmaxCrossEntropy(Buffer logits, long logitsOffset, Buffer labels, long labelsOffset, int rows,
                                    int classes, Buffer losses, long lossesOffset, Buffer grad, long gradOffset) {
        open("softmaxCrossEntropy");
        KernelDispatch.softmaxCrossEntropy(this, parallel, kernels.math(), logits, logitsOffset, labels, labelsOffset, rows, classes, losses,
                lossesOffset, grad, gradOffset);
        return true;
    }

    @Override
    public boolean dropout(double p, long seed, Buffer x, long xOffset, Buffer y, long yOffset, Buffer mask,
                        long maskOffset, long count) {
        open("dropout");
        KernelDispatch.dropout(this, parallel, p, seed, x, xOffset, y, yOffset, mask, maskOffset, count);
        return true;
    }

    @Override
    public boolean sgdStep(Buffer param, long paramOffset, Buffer grad, long gradOffset, Buffer velocity,
                        long velocityOffset, long count, double lr, double momentum, double dampening,
                        double weightDecay, boolean nesterov, boolean firstStep) {
        open("sgdStep");
        KernelDispatch.sgdStep(this, parallel, kernels.math(), param, paramOffset, grad, gradOffset, velocity, velocityOffset, count, lr,
                momentum, dampening, weightDecay, nesterov, firstStep);
        return true;
    }

    @Override
    public boolean adamStep(Buffer param, long paramOffset, Buffer grad, long gradOffset, Buffer m, long mOffset,
                         Buffer v, long vOffset, long count, double lr, double beta1, double beta2, double eps,
                         double weightDecay, boolean decoupledWeightDecay, long step) {
        open("adamStep");
        KernelDispatch.adamStep(this, parallel, kernels.math(), param, paramOffset, grad, gradOffset, m, mOffset, v, vOffset, count, lr,
                beta1, beta2, eps, weightDecay, decoupledWeightDecay, step);
        return true;
    }

    @Override
    public void gather(Buffer x, long xOffset, int outer, int extent, int inner, Buffer index, long indexOffset,
                       long[] indexStrides, int count, Buffer out, long outOffset) {
        open("gather");
        IndexKernels.gather(this, parallel, x, xOffset, outer, extent, inner, index, indexOffset, indexStrides, count,
                out, outOffset);
    }

    @Override
    public void scatterAdd(Buffer src, long srcOffset, int outer, int count, int inner, Buffer index, long indexOffset,
                           long[] indexStrides, Buffer out, long outOffset, int extent) {
        open("scatterAdd");
        IndexKernels.scatterAdd(this, parallel, src, srcOffset, outer, count, inner, index, indexOffset, indexStrides,
                out, outOffset, extent);
    }

    // ---------------------------------------------------------------- lifecycle

    @Override
    public void synchronize() {
        // Every call has finished when it returns.
    }

    @Override
    public MemoryStats memoryStats() {
        return new MemoryStats(liveBytes.get(), pool.pooledBytes(), peakBytes.get(), liveBuffers.get());
    }

    @Override
    public void close() {
        closed = true;
        pool.clear();
        parallel.close();
    }

    @Override
    public String toString() {
        return "CpuBackend[" + threads() + " threads, gemm " + gemmKernel() + "]";
    }
}
