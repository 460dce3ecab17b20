package dev.nabla.gpu;

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
import java.util.Locale;
import java.util.Map;

/**
 * Every {@link Backend} method written once for GPUs: argument checks, kernel choice, launch
 * geometry and arguments, over a {@link GpuDevice}. A GPU backend is a subclass that supplies the
 * device (and may route GEMM elsewhere through {@link #runGemm} and add report lines through
 * {@link #reportDetails}).
 *
 * <p>Calls are serialised on this object's monitor. Buffers closed on other threads are queued
 * and returned to the {@link CachingAllocator} at the start of the next call, on the caller's thread.
 */
public abstract class KernelBackend implements Backend {

    private final String name;
    private final int deviceIndex;
    private final GpuDevice device;
    private final GpuDeviceInfo info;
    private final CachingAllocator allocator;
    private final GpuArguments checks;
    private final Launcher launcher;
    private final GemmLauncher gemmLauncher;
    private final DataMovement data;
    private final ElementwiseOps elementwise;
    private final RowOps rowOps;
    private volatile boolean closed;
    private GemmTuner.Choice gemmChoice;

    protected KernelBackend(String name, int deviceIndex, GpuDevice device) {
        this.name = name;
        this.deviceIndex = deviceIndex;
        this.device = device;
        this.info = device.info();
        this.allocator = new CachingAllocator(device);
        this.checks = new GpuArguments(this);
        this.launcher = new Launcher(device, info);
        this.gemmLauncher = new GemmLauncher(launcher);
        this.data = new DataMovement(this, checks, launcher, device);
        this.elementwise = new ElementwiseOps(this, checks, launcher);
        this.rowOps = new RowOps(this, checks, launcher, data);
    }

    // ---------------------------------------------------------------- extension points

    /** The arguments of one checked {@link #gemmBatched} call, buffers resolved to device memory. */
    protected record GemmCall(DType dtype, boolean transA, boolean transB, int m, int n, int k, double alpha,
                              GpuDevice.Memory a, long aOffset, int lda, long strideA,
                              GpuDevice.Memory b, long bOffset, int ldb, long strideB,
                              double beta, GpuDevice.Memory c, long cOffset, int ldc, long strideC, int batch) {
    }

    /**
     * Runs a checked GEMM. The default is {@link #portableGemm}; a subclass may route it to a vendor
     * library (cuBLAS) and fall back to {@code portableGemm}. Called with the backend's lock held.
     */
    protected void runGemm(GemmCall call) {
        portableGemm(call);
    }

    /** The shared tiled kernel of {@code gemm.cl} with this device's tile configuration. */
    protected final void portableGemm(GemmCall call) {
        gemmLauncher.run(call, gemmChoice().config(call.m(), call.n(), call.batch(), info.computeUnits()));
    }

    /** Adds the subclass's lines (library versions, which GEMM runs...) to the report; may replace keys. */
    protected void reportDetails(Map<String, String> details) {
    }

    /** Why FLOAT64 is missing, appended to the UnsupportedOperationException message. */
    protected String float64MissingReason() {
        return " (the device has no double precision)";
    }

    protected final GpuDevice device() {
        return device;
    }

    protected final GpuDeviceInfo deviceInfo() {
        return info;
    }

    // ---------------------------------------------------------------- identity and lifecycle

    @Override
    public String name() {
        return name;
    }

    @Override
    public int deviceIndex() {
        return deviceIndex;
    }

    @Override
    public boolean supports(DType dtype) {
        return dtype != DType.FLOAT64 || info.fp64();
    }

    String deviceName() {
        return info.name();
    }

    String unsupportedReason(DType t) {
        return t == DType.FLOAT64 ? float64MissingReason() : "";
    }

    boolean isClosed() {
        return closed;
    }

    /** Called by {@link GpuBuffer#close()} on any thread: queue only. */
    void released(CachingAllocator.Block block) {
        if (!closed) {
            allocator.releaseLater(block);
        }
    }

    /** Every operation starts here: refuses a closed backend and returns blocks closed elsewhere. */
    private void enter(String op) {
        if (closed) {
            throw new IllegalStateException(name + ": " + op + ": backend is closed");
        }
        allocator.drainReleases();
    }

    @Override
    public synchronized BackendReport report() {
        Map<String, String> props = new LinkedHashMap<>(info.properties());
        props.put("driver", info.driverVersion());
        props.put("global memory", mib(info.globalMemoryBytes()));
        props.put("max allocation", mib(info.maxAllocationBytes()));
        props.put("fp64", info.fp64() ? "yes" : "no");
        props.put("compute units", Integer.toString(info.computeUnits()));
        props.put("gemm", closed ? "closed" : gemmDescription());
        props.put("allocator", "caching (512 B classes up to 1 MiB, then 4 per power of two)");
        reportDetails(props);
        var device = new BackendReport.DeviceInfo(deviceIndex, info.name(), info.globalMemoryBytes(), props);
        return new BackendReport(name, true, "", List.of(device), props);
    }

    private String gemmDescription() {
        return "portable gemm.cl, " + gemmChoice().describe(info.computeUnits());
    }

    @Override
    public synchronized void synchronize() {
        enter("synchronize");
        device.synchronize();
    }

    @Override
    public synchronized MemoryStats memoryStats() {
        return closed ? new MemoryStats(0, 0, allocator.stats().peakBytes(), 0) : allocator.stats();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            device.synchronize();
            allocator.emptyCache();
        } finally {
            device.close();
        }
    }

    // ---------------------------------------------------------------- memory

    @Override
    public synchronized Buffer allocate(DType dtype, long elements) {
        enter("allocate");
        if (dtype == null) {
            throw new IllegalArgumentException(name + ": allocate: dtype is null");
        }
        checks.nonNegative("allocate", "elements", elements);
        checks.supported("allocate", dtype);
        long bytes = checks.multiply("allocate", "size", Math.max(1, elements), dtype.byteSize());
        if (bytes > info.maxAllocationBytes()) {
            throw new IllegalStateException(String.format(Locale.ROOT,
                    "%s: allocate: %s is more than %s allows in one buffer (%s): use a smaller batch or model",
                    name, mib(bytes), info.name(), mib(info.maxAllocationBytes())));
        }
        return new GpuBuffer(this, dtype, elements, allocator.allocate(bytes));
    }

    @Override
    public synchronized void copyFromHost(java.nio.Buffer src, Buffer dst, long dstOffset) {
        enter("copyFromHost");
        data.copyFromHost(src, dst, dstOffset);
    }

    @Override
    public synchronized void copyToHost(Buffer src, long srcOffset, java.nio.Buffer dst) {
        enter("copyToHost");
        data.copyToHost(src, srcOffset, dst);
    }

    @Override
    public synchronized void copy(Buffer src, long srcOffset, long[] srcStrides, Buffer dst, long dstOffset,
                                  long[] dstStrides, int[] shape) {
        enter("copy");
        data.copy(src, srcOffset, srcStrides, dst, dstOffset, dstStrides, shape);
    }

    @Override
    public synchronized void cast(Buffer src, long srcOffset, Buffer dst, long dstOffset, long count) {
        enter("cast");
        data.cast(src, srcOffset, dst, dstOffset, count);
    }

    @Override
    public synchronized void fill(Buffer dst, long offset, long count, double value) {
        enter("fill");
        data.fill(dst, offset, count, value);
    }

    // ---------------------------------------------------------------- arithmetic

    @Override
    public synchronized void gemmBatched(boolean transA, boolean transB, int m, int n, int k, double alpha,
                                         Buffer a, long aOffset, int lda, long strideA,
                                         Buffer b, long bOffset, int ldb, long strideB,
                                         double beta, Buffer c, long cOffset, int ldc, long strideC, int batch) {
        enter("gemm");
        String op = "gemm";
        checks.nonNegative(op, "m", m);
        checks.nonNegative(op, "n", n);
        checks.nonNegative(op, "k", k);
        checks.nonNegative(op, "batch", batch);
        GpuBuffer ga = matrix(op, "A", a, aOffset, transA ? k : m, transA ? m : k, lda, strideA, batch);
        GpuBuffer gb = matrix(op, "B", b, bOffset, transB ? n : k, transB ? k : n, ldb, strideB, batch);
        GpuBuffer gc = matrix(op, "C", c, cOffset, m, n, ldc, strideC, batch);
        gc.deviceWrites();
        DType t = checks.floating(op, ga, gb, gc);
        runGemm(new GemmCall(t, transA, transB, m, n, k, alpha, ga.memory(), aOffset, lda, strideA,
                gb.memory(), bOffset, ldb, strideB, beta, gc.memory(), cOffset, ldc, strideC, batch));
    }

    /** A batch of {@code rows×cols} row-major matrices with row stride {@code ld}, each inside the buffer. */
    private GpuBuffer matrix(String op, String role, Buffer buf, long offset, int rows, int cols, int ld, long stride,
                             int batch) {
        GpuBuffer g = checks.buffer(op, role, buf);
        // Messages are built only on failure: this runs three times per GEMM.
        if (offset < 0) {
            checks.nonNegative(op, "offset of " + role, offset);
        }
        if (stride < 0) {
            checks.nonNegative(op, "batch stride of " + role, stride);
        }
        if (ld < cols || ld < 0) {
            throw new IllegalArgumentException(name + ": " + op + ": leading dimension of " + role + " is " + ld
                    + ", less than its " + cols + " columns");
        }
        if (rows > 0 && cols > 0 && batch > 0) {
            long last = offset + checks.multiply(op, role, batch - 1L, stride)
                    + checks.multiply(op, role, rows - 1L, ld) + cols - 1;
            if (last >= g.size()) {
                throw new IllegalArgumentException(name + ": " + op + ": " + role + " (" + batch + " x " + rows + "x"
                        + cols + ", ld " + ld + ", offset " + offset + ", batch stride " + stride + ") reaches element "
                        + last + " of a buffer of " + g.size());
            }
        }
        return g;
    }

    @Override
    public synchronized void unary(UnaryOp op, double param, Buffer x, long xOffset, Buffer y, long yOffset, long count) {
        enter("unary");
        elementwise.unary(op, param, x, xOffset, y, yOffset, count);
    }

    @Override
    public synchronized boolean unaryGrad(UnaryOp op, double param, Buffer x, long xOffset, Buffer y, long yOffset,
                                       Buffer dy, long dyOffset, Buffer dx, long dxOffset, long count) {
        enter("unaryGrad");
        return elementwise.unaryGrad(op, param, x, xOffset, y, yOffset, dy, dyOffset, dx, dxOffset, count);
    }

    @Override
    public synchronized void binary(BinaryOp op, Buffer a, long aOffset, long[] aStrides, Buffer b, long bOffset,
                                    long[] bStrides, Buffer out, long outOffset, int[] shape) {
        enter("binary");
        elementwise.binary(op, a, aOffset, aStrides, b, bOffset, bStrides, out, outOffset, shape);
    }

    @Override
    public synchronized void reduce(ReduceOp op, Buffer x, long xOffset, int outer, int extent, int inner, Buffer out,
                                    long outOffset) {
        enter("reduce");
        rowOps.reduce(op, x, xOffset, outer, extent, inner, out, outOffset);
    }

    @Override
    public synchronized void argMax(Buffer x, long xOffset, int outer, int extent, int inner, Buffer out, long outOffset) {
        enter("argMax");
        rowOps.argMax(x, xOffset, outer, extent, inner, out, outOffset);
    }

    @Override
    public synchronized boolean softmax(boolean log, Buffer x, long xOffset, int rows, int cols, Buffer y, long yOffset) {
        enter("softmax");
        return rowOps.softmax(log, x, xOffset, rows, cols, y, yOffset);
    }

    @Override
    public synchronized boolean softmaxCrossEntropy(Buffer logits, long logitsOffset, Buffer labels, long labelsOffset,
                                                 int rows, int classes, Buffer losses, long lossesOffset, Buffer grad,
                                                 long gradOffset) {
        enter("softmaxCrossEntropy");
        return rowOps.softmaxCrossEntropy(logits, logitsOffset, labels, labelsOffset, rows, classes, losses, lossesOffset,
                grad, gradOffset);
    }

    @Override
    public synchronized boolean dropout(double p, long seed, Buffer x, long xOffset, Buffer y, long yOffset, Buffer mask,
                                     long maskOffset, long count) {
        enter("dropout");
        return elementwise.dropout(p, seed, x, xOffset, y, yOffset, mask, maskOffset, count);
    }

    @Override
    public synchronized void gather(Buffer x, long xOffset, int outer, int extent, int inner, Buffer index,
                                    long indexOffset, long[] indexStrides, int count, Buffer out, long outOffset) {
        enter("gather");
        data.gather(x, xOffset, outer, extent, inner, index, indexOffset, indexStrides, count, out, outOffset);
    }

    @Override
    public synchronized void scatterAdd(Buffer src, long srcOffset, int outer, int count, int inner, Buffer index,
                                        long indexOffset, long[] indexStrides, Buffer out, long outOffset, int extent) {
        enter("scatterAdd");
        checks.nonNegative("scatterAdd", "outer", outer);
        checks.nonNegative("scatterAdd", "count", count);
        checks.nonNegative("scatterAdd", "inner", inner);
        checks.nonNegative("scatterAdd", "extent", extent);
        GpuBuffer gi = data.checkIndices("scatterAdd", index, indexOffset, indexStrides, outer, count, inner, extent);
        elementwise.scatterAdd(src, srcOffset, outer, count, inner, gi, indexOffset, indexStrides, out, outOffset,
                extent);
    }

    // ---------------------------------------------------------------- fused optimizer updates

    @Override
    public synchronized boolean sgdStep(Buffer param, long paramOffset, Buffer grad, long gradOffset, Buffer velocity,
                                     long velocityOffset, long count, double lr, double momentum, double dampening,
                                     double weightDecay, boolean nesterov, boolean firstStep) {
        enter("sgdStep");
        return elementwise.sgdStep(param, paramOffset, grad, gradOffset, velocity, velocityOffset, count, lr, momentum,
                dampening, weightDecay, nesterov, firstStep);
    }

    @Override
    public synchronized boolean adamStep(Buffer param, long paramOffset, Buffer grad, long gradOffset, Buffer m,
                                      long mOffset, Buffer v, long vOffset, long count, double lr, double beta1,
                                      double beta2, double eps, double weightDecay, boolean decoupledWeightDecay,
                                      long step) {
        enter("adamStep");
        return elementwise.adamStep(param, paramOffset, grad, gradOffset, m, mOffset, v, vOffset, count, lr, beta1, beta2, eps,
                weightDecay, decoupledWeightDecay, step);
    }

    // ---------------------------------------------------------------- helpers

    private static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.0f MiB", bytes / 1048576.0);
    }

    // ---------------------------------------------------------------- GEMM tile configuration

    /**
     * The tile configurations, chosen on first use (autotuned, cached or default) at the sizes
     * {@code nabla.gpu.autotune.size} (default 1024) and {@code nabla.gpu.autotune.largeSize} (4096),
     * or forced by {@code nabla.gpu.gemm.tiles}.
     */
    private GemmTuner.Choice gemmChoice() {
        if (gemmChoice == null) {
            int small = Integer.getInteger("nabla.gpu.autotune.size", 1024);
            int large = Integer.getInteger("nabla.gpu.autotune.largeSize", 4096);
            gemmChoice = GemmTuner.choose(info, GemmTuner.autotuneEnabled(), GemmTuner.forcedTiles(),
                    CacheDir.resolve(), small, large, this::timeGemm);
        }
        return gemmChoice;
    }

    /** Best of three runs of a square float32 GEMM with {@code config} (after one untimed run that builds it). */
    private double timeGemm(GemmConfig config, int n) {
        long bytes = (long) n * n * 4;
        CachingAllocator.Block a = allocator.allocate(bytes);
        CachingAllocator.Block b = allocator.allocate(bytes);
        CachingAllocator.Block c = allocator.allocate(bytes);
        try {
            GpuDevice.Kernel fill = launcher.kernel(KernelSources.copy(), "fill_u32");
            launcher.items(fill, (long) n * n, a.memory(), 0L, (long) n * n, Float.floatToRawIntBits(0.5f));
            launcher.items(fill, (long) n * n, b.memory(), 0L, (long) n * n, Float.floatToRawIntBits(0.25f));
            GemmCall call = new GemmCall(DType.FLOAT32, false, false, n, n, n, 1, a.memory(), 0, n, 0,
                    b.memory(), 0, n, 0, 0, c.memory(), 0, n, 0, 1);
            gemmLauncher.run(call, config);
            device.synchronize();
            double best = Double.MAX_VALUE;
            for (int rep = 0; rep < 3; rep++) {
                long t0 = System.nanoTime();
                gemmLauncher.run(call, config);
                device.synchronize();
                best = Math.min(best, (System.nanoTime() - t0) / 1e9);
            }
            return best;
        } finally {
            allocator.release(a);
            allocator.release(b);
            allocator.release(c);
        }
    }
}
