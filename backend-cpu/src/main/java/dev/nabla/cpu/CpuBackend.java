package dev.nabla.cpu;

import static dev.nabla.cpu.Args.bad;
import static dev.nabla.cpu.Args.own;
import static dev.nabla.cpu.Args.range;

import dev.nabla.DType;
import dev.nabla.backend.Backend;
import dev.nabla.backend.BackendReport;
import dev.nabla.backend.BinaryOp;
import dev.nabla.backend.Buffer;
import dev.nabla.backend.MemoryStats;
import dev.nabla.backend.ReduceOp;
import dev.nabla.backend.UnaryOp;
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
        CpuBuffer b;
        try {
            b = new CpuBuffer(this, dtype, (int) elements);
        } catch (OutOfMemoryError e) {
            throw new IllegalStateException("cpu allocate: no heap left for " + elements + " " + dtype.shortName()
                    + " elements (" + liveBytes.get() + " bytes live, -Xmx " + Runtime.getRuntime().maxMemory()
                    + "); try a smaller batch or a larger -Xmx");
        }
        long live = liveBytes.addAndGet(b.byteSize());
        peakBytes.accumulateAndGet(live, Math::max);
        liveBuffers.incrementAndGet();
        return b;
    }

    void released(CpuBuffer b) {
        liveBytes.addAndGet(-b.byteSize());
        liveBuffers.decrementAndGet();
    }

    @Override
    public void copyFromHost(float[] src, int srcOffset, Buffer dst, long dstOffset, int count) {
        CpuBuffer d = hostCopy("copyFromHost", src, src == null ? 0 : src.length, srcOffset, dst, DType.FLOAT32,
                dstOffset, count);
        System.arraycopy(src, srcOffset, d.f, (int) dstOffset, count);
    }

    @Override
    public void copyFromHost(double[] src, int srcOffset, Buffer dst, long dstOffset, int count) {
        CpuBuffer d = hostCopy("copyFromHost", src, src == null ? 0 : src.length, srcOffset, dst, DType.FLOAT64,
                dstOffset, count);
        System.arraycopy(src, srcOffset, d.d, (int) dstOffset, count);
    }

    @Override
    public void copyFromHost(int[] src, int srcOffset, Buffer dst, long dstOffset, int count) {
        CpuBuffer d = hostCopy("copyFromHost", src, src == null ? 0 : src.length, srcOffset, dst, DType.INT32,
                dstOffset, count);
        System.arraycopy(src, srcOffset, d.i, (int) dstOffset, count);
    }

    @Override
    public void copyToHost(Buffer src, long srcOffset, float[] dst, int dstOffset, int count) {
        CpuBuffer s = hostCopy("copyToHost", dst, dst == null ? 0 : dst.length, dstOffset, src, DType.FLOAT32,
                srcOffset, count);
        System.arraycopy(s.f, (int) srcOffset, dst, dstOffset, count);
    }

    @Override
    public void copyToHost(Buffer src, long srcOffset, double[] dst, int dstOffset, int count) {
        CpuBuffer s = hostCopy("copyToHost", dst, dst == null ? 0 : dst.length, dstOffset, src, DType.FLOAT64,
                srcOffset, count);
        System.arraycopy(s.d, (int) srcOffset, dst, dstOffset, count);
    }

    @Override
    public void copyToHost(Buffer src, long srcOffset, int[] dst, int dstOffset, int count) {
        CpuBuffer s = hostCopy("copyToHost", dst, dst == null ? 0 : dst.length, dstOffset, src, DType.INT32,
                srcOffset, count);
        System.arraycopy(s.i, (int) srcOffset, dst, dstOffset, count);
    }

    private CpuBuffer hostCopy(String op, Object host, int hostLength, int hostOffset, Buffer device, DType dtype,
                               long deviceOffset, int count) {
        open(op);
        if (host == null) {
            throw bad(op, "host array is null");
        }
        CpuBuffer b = own(this, op, "buffer", device, dtype);
        Args.hostRange(op, hostLength, hostOffset, count);
        range(op, "buffer", b, deviceOffset, count);
        return b;
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
        Strides.Merged l = Strides.merge(shape, srcStrides, dstStrides);
        Object sa = Kernels.array(s);
        Object da = Kernels.array(d);
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
        Object sa = Kernels.array(s);
        Object da = Kernels.array(d);
        int n = (int) count;
        parallel.elementwise(n, (from, to) -> CopyKernels.cast(sa, (int) srcOffset + from, da, (int) dstOffset + from,
                to - from));
    }

    @Override
    public void fill(Buffer dst, long offset, long count, double value) {
        open("fill");
        CpuBuffer d = own(this, "fill", "dst", dst);
        range("fill", "dst", d, offset, count);
        CopyKernels.fill(Kernels.array(d), (int) offset, (int) count, value);
    }

    // ---------------------------------------------------------------- arithmetic: see Kernels

    @Override
    public void gemmBatched(boolean transA, boolean transB, int m, int n, int k, double alpha, Buffer a, long aOffset,
                            int lda, long strideA, Buffer b, long bOffset, int ldb, long strideB, double beta, Buffer c,
                            long cOffset, int ldc, long strideC, int batch) {
        open("gemm");
        Kernels.gemm(this, parallel, kernels, transA, transB, m, n, k, alpha, a, aOffset, lda, strideA, b, bOffset,
                ldb, strideB, beta, c, cOffset, ldc, strideC, batch);
    }

    @Override
    public void unary(UnaryOp op, double param, Buffer x, long xOffset, Buffer y, long yOffset, long count) {
        open("unary");
        Kernels.unary(this, parallel, kernels.math(), op, param, x, xOffset, y, yOffset, count);
    }

    @Override
    public void unaryGrad(UnaryOp op, double param, Buffer x, long xOffset, Buffer y, long yOffset, Buffer dy,
                          long dyOffset, Buffer dx, long dxOffset, long count) {
        open("unaryGrad");
        Kernels.unaryGrad(this, parallel, op, param, x, xOffset, y, yOffset, dy, dyOffset, dx, dxOffset, count);
    }

    @Override
    public void binary(BinaryOp op, Buffer a, long aOffset, long[] aStrides, Buffer b, long bOffset, long[] bStrides,
                       Buffer out, long outOffset, int[] shape) {
        open("binary");
        Kernels.binary(this, parallel, op, a, aOffset, aStrides, b, bOffset, bStrides, out, outOffset, shape);
    }

    @Override
    public void reduce(ReduceOp op, Buffer x, long xOffset, int outer, int extent, int inner, Buffer out,
                       long outOffset) {
        open("reduce");
        Kernels.reduce(this, parallel, op, x, xOffset, outer, extent, inner, out, outOffset);
    }

    @Override
    public void argMax(Buffer x, long xOffset, int outer, int extent, int inner, Buffer out, long outOffset) {
        open("argMax");
        Kernels.argMax(this, parallel, x, xOffset, outer, extent, inner, out, outOffset);
    }

    @Override
    public void softmax(boolean log, Buffer x, long xOffset, int rows, int cols, Buffer y, long yOffset) {
        open("softmax");
        Kernels.softmax(this, parallel, kernels.math(), log, x, xOffset, rows, cols, y, yOffset);
    }

    @Override
    public void softmaxCrossEntropy(Buffer logits, long logitsOffset, Buffer labels, long labelsOffset, int rows,
                                    int classes, Buffer losses, long lossesOffset, Buffer grad, long gradOffset) {
        open("softmaxCrossEntropy");
        Kernels.softmaxCrossEntropy(this, parallel, kernels.math(), logits, logitsOffset, labels, labelsOffset, rows, classes, losses,
                lossesOffset, grad, gradOffset);
    }

    @Override
    public void dropout(double p, long seed, Buffer x, long xOffset, Buffer y, long yOffset, Buffer mask,
                        long maskOffset, long count) {
        open("dropout");
        Kernels.dropout(this, parallel, p, seed, x, xOffset, y, yOffset, mask, maskOffset, count);
    }

    @Override
    public void sgdStep(Buffer param, long paramOffset, Buffer grad, long gradOffset, Buffer velocity,
                        long velocityOffset, long count, double lr, double momentum, double dampening,
                        double weightDecay, boolean nesterov, boolean firstStep) {
        open("sgdStep");
        Kernels.sgdStep(this, parallel, param, paramOffset, grad, gradOffset, velocity, velocityOffset, count, lr,
                momentum, dampening, weightDecay, nesterov, firstStep);
    }

    @Override
    public void adamStep(Buffer param, long paramOffset, Buffer grad, long gradOffset, Buffer m, long mOffset,
                         Buffer v, long vOffset, long count, double lr, double beta1, double beta2, double eps,
                         double weightDecay, boolean decoupledWeightDecay, long step) {
        open("adamStep");
        Kernels.adamStep(this, parallel, param, paramOffset, grad, gradOffset, m, mOffset, v, vOffset, count, lr,
                beta1, beta2, eps, weightDecay, decoupledWeightDecay, step);
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
        parallel.close();
    }

    @Override
    public String toString() {
        return "CpuBackend[" + threads() + " threads, gemm " + gemmKernel() + "]";
    }
}
