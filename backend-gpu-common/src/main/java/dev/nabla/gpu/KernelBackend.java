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
    private final Checks checks;
    private final Launcher launcher;
    private final GemmLauncher gemmLauncher;
    private volatile boolean closed;
    private GemmTuner.Choice gemmChoice;

    protected KernelBackend(String name, int deviceIndex, GpuDevice device) {
        this.name = name;
        this.deviceIndex = deviceIndex;
        this.device = device;
        this.info = device.info();
        this.allocator = new CachingAllocator(device);
        this.checks = new Checks(this);
        this.launcher = new Launcher(device, info);
        this.gemmLauncher = new GemmLauncher(launcher);
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
        gemmLauncher.run(call, gemmChoice().config());
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
        GemmTuner.Choice c = gemmChoice();
        return "portable gemm.cl, tiles " + c.config() + " (BMxBNxBK/TMxTN), " + c.source();
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
    public synchronized void copyFromHost(float[] src, int srcOffset, Buffer dst, long dstOffset, int count) {
        GpuBuffer d = toDevice("copyFromHost", src == null ? -1 : src.length, srcOffset, dst, dstOffset, count, DType.FLOAT32);
        if (count > 0) {
            device.write(d.memory(), dstOffset * 4, src, srcOffset, count);
        }
    }

    @Override
    public synchronized void copyFromHost(double[] src, int srcOffset, Buffer dst, long dstOffset, int count) {
        GpuBuffer d = toDevice("copyFromHost", src == null ? -1 : src.length, srcOffset, dst, dstOffset, count, DType.FLOAT64);
        if (count > 0) {
            device.write(d.memory(), dstOffset * 8, src, srcOffset, count);
        }
    }

    @Override
    public synchronized void copyFromHost(int[] src, int srcOffset, Buffer dst, long dstOffset, int count) {
        GpuBuffer d = toDevice("copyFromHost", src == null ? -1 : src.length, srcOffset, dst, dstOffset, count, DType.INT32);
        if (count > 0) {
            device.write(d.memory(), dstOffset * 4, src, srcOffset, count);
        }
    }

    @Override
    public synchronized void copyToHost(Buffer src, long srcOffset, float[] dst, int dstOffset, int count) {
        GpuBuffer s = toDevice("copyToHost", dst == null ? -1 : dst.length, dstOffset, src, srcOffset, count, DType.FLOAT32);
        if (count > 0) {
            device.read(s.memory(), srcOffset * 4, dst, dstOffset, count);
        }
    }

    @Override
    public synchronized void copyToHost(Buffer src, long srcOffset, double[] dst, int dstOffset, int count) {
        GpuBuffer s = toDevice("copyToHost", dst == null ? -1 : dst.length, dstOffset, src, srcOffset, count, DType.FLOAT64);
        if (count > 0) {
            device.read(s.memory(), srcOffset * 8, dst, dstOffset, count);
        }
    }

    @Override
    public synchronized void copyToHost(Buffer src, long srcOffset, int[] dst, int dstOffset, int count) {
        GpuBuffer s = toDevice("copyToHost", dst == null ? -1 : dst.length, dstOffset, src, srcOffset, count, DType.INT32);
        if (count > 0) {
            device.read(s.memory(), srcOffset * 4, dst, dstOffset, count);
        }
    }

    /** Checks of a host transfer; {@code arrayLength} is -1 for a null array. */
    private GpuBuffer toDevice(String op, int arrayLength, int hostOffset, Buffer buffer, long offset, int count,
                               DType dtype) {
        enter(op);
        if (arrayLength < 0) {
            throw new IllegalArgumentException(name + ": " + op + ": host array is null");
        }
        checks.host(op, arrayLength, hostOffset, count);
        GpuBuffer g = checks.range(op, "device buffer", buffer, offset, count);
        checks.dtype(op, "device buffer", g, dtype);
        return g;
    }

    @Override
    public synchronized void copy(Buffer src, long srcOffset, long[] srcStrides, Buffer dst, long dstOffset,
                                  long[] dstStrides, int[] shape) {
        enter("copy");
        long count = checks.shape("copy", shape);
        GpuBuffer s = checks.strided("copy", "src", src, srcOffset, shape, srcStrides);
        GpuBuffer d = checks.strided("copy", "dst", dst, dstOffset, shape, dstStrides);
        if (s.dtype() != d.dtype()) {
            throw new IllegalArgumentException(name + ": copy: src is " + s.dtype().shortName() + " but dst is "
                    + d.dtype().shortName() + " (use cast)");
        }
        if (count == 0) {
            return;
        }
        String word = s.dtype().byteSize() == 8 ? "u64" : "u32";
        Strides.Layout layout = Strides.collapse(shape, srcStrides, dstStrides);
        if (layout.rank() == 0 || layout.rank() == 1 && layout.strides()[0][0] == 1 && layout.strides()[1][0] == 1) {
            launcher.items(launcher.kernel(KernelSources.copy(), "copy_contiguous_" + word), count,
                    s.memory(), srcOffset, d.memory(), dstOffset, count);
            return;
        }
        GpuDevice.Kernel k = launcher.kernel(KernelSources.copy(), "copy_strided_" + word);
        Strides.split(layout, new long[] {srcOffset, dstOffset}, (at, piece) -> launcher.items(k, piece.count(),
                concat(new Object[] {s.memory(), at[0], d.memory(), at[1], piece.count()}, Strides.kernelArgs(piece))));
    }

    @Override
    public synchronized void cast(Buffer src, long srcOffset, Buffer dst, long dstOffset, long count) {
        enter("cast");
        GpuBuffer s = checks.range("cast", "src", src, srcOffset, count);
        GpuBuffer d = checks.range("cast", "dst", dst, dstOffset, count);
        DType from = s.dtype(), to = d.dtype();
        checks.supported("cast", from);
        checks.supported("cast", to);
        if (count == 0) {
            return;
        }
        if (from == to) {
            String word = from.byteSize() == 8 ? "u64" : "u32";
            launcher.items(launcher.kernel(KernelSources.copy(), "copy_contiguous_" + word), count,
                    s.memory(), srcOffset, d.memory(), dstOffset, count);
            return;
        }
        // Conversions with FLOAT64 on either side live in the double module.
        String real = from == DType.FLOAT64 || to == DType.FLOAT64 ? "double" : "float";
        String kernel;
        if (to == DType.INT32) {
            kernel = "cast_real_to_int";
        } else if (from == DType.INT32) {
            kernel = "cast_int_to_real";
        } else {
            kernel = to == DType.FLOAT64 ? "cast_float_to_real" : "cast_real_to_float";
        }
        launcher.items(launcher.kernel(KernelSources.real(KernelSources.ELEMENTWISE, real), kernel), count,
                s.memory(), srcOffset, d.memory(), dstOffset, count);
    }

    @Override
    public synchronized void fill(Buffer dst, long offset, long count, double value) {
        enter("fill");
        GpuBuffer d = checks.range("fill", "dst", dst, offset, count);
        if (count == 0) {
            return;
        }
        GpuDevice.Kernel k;
        Object pattern;
        switch (d.dtype()) {
            case FLOAT64 -> {
                k = launcher.kernel(KernelSources.copy(), "fill_u64");
                pattern = Double.doubleToRawLongBits(value);
            }
            case FLOAT32 -> {
                k = launcher.kernel(KernelSources.copy(), "fill_u32");
                pattern = Float.floatToRawIntBits((float) value);
            }
            default -> {
                k = launcher.kernel(KernelSources.copy(), "fill_u32");
                pattern = (int) value;
            }
        }
        launcher.items(k, count, d.memory(), offset, count, pattern);
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
        DType t = checks.floating(op, ga, gb, gc);
        runGemm(new GemmCall(t, transA, transB, m, n, k, alpha, ga.memory(), aOffset, lda, strideA,
                gb.memory(), bOffset, ldb, strideB, beta, gc.memory(), cOffset, ldc, strideC, batch));
    }

    /** A batch of {@code rows×cols} row-major matrices with row stride {@code ld}, each inside the buffer. */
    private GpuBuffer matrix(String op, String role, Buffer buf, long offset, int rows, int cols, int ld, long stride,
                             int batch) {
        GpuBuffer g = checks.buffer(op, role, buf);
        checks.nonNegative(op, "offset of " + role, offset);
        checks.nonNegative(op, "batch stride of " + role, stride);
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
        GpuBuffer gx = checks.range("unary", "x", x, xOffset, count);
        GpuBuffer gy = checks.range("unary", "y", y, yOffset, count);
        DType t = checks.floating("unary " + op, gx, gy);
        if (count > 0) {
            launcher.items(elementwise(t, "unary"), count, OpCodes.unary(op), real(t, param),
                    gx.memory(), xOffset, gy.memory(), yOffset, count);
        }
    }

    @Override
    public synchronized void unaryGrad(UnaryOp op, double param, Buffer x, long xOffset, Buffer y, long yOffset,
                                       Buffer dy, long dyOffset, Buffer dx, long dxOffset, long count) {
        enter("unaryGrad");
        String o = "unaryGrad";
        GpuBuffer gx = checks.range(o, "x", x, xOffset, count);
        GpuBuffer gy = checks.range(o, "y", y, yOffset, count);
        GpuBuffer gdy = checks.range(o, "dy", dy, dyOffset, count);
        GpuBuffer gdx = checks.range(o, "dx", dx, dxOffset, count);
        DType t = checks.floating(o + " " + op, gx, gy, gdy, gdx);
        if (count > 0) {
            launcher.items(elementwise(t, "unary_grad"), count, OpCodes.unary(op), real(t, param),
                    gx.memory(), xOffset, gy.memory(), yOffset, gdy.memory(), dyOffset, gdx.memory(), dxOffset, count);
        }
    }

    @Override
    public synchronized void binary(BinaryOp op, Buffer a, long aOffset, long[] aStrides, Buffer b, long bOffset,
                                    long[] bStrides, Buffer out, long outOffset, int[] shape) {
        enter("binary");
        String o = "binary " + op;
        long count = checks.shape(o, shape);
        GpuBuffer ga = checks.strided(o, "a", a, aOffset, shape, aStrides);
        GpuBuffer gb = checks.strided(o, "b", b, bOffset, shape, bStrides);
        GpuBuffer gout = checks.range(o, "out", out, outOffset, count);
        DType t = checks.floating(o, ga, gb, gout);
        if (count == 0) {
            return;
        }
        int code = OpCodes.binary(op);
        Strides.Layout layout = Strides.collapse(shape, aStrides, bStrides, Strides.contiguous(shape));
        if (layout.rank() == 0 || layout.rank() == 1 && layout.strides()[0][0] == 1 && layout.strides()[1][0] == 1) {
            launcher.items(elementwise(t, "binary_contiguous"), count, code,
                    ga.memory(), aOffset, gb.memory(), bOffset, gout.memory(), outOffset, count);
            return;
        }
        GpuDevice.Kernel k = elementwise(t, "binary_strided");
        Strides.split(layout, new long[] {aOffset, bOffset, outOffset}, (at, piece) -> {
            Strides.Layout ab = new Strides.Layout(piece.shape(), new long[][] {piece.strides()[0], piece.strides()[1]});
            launcher.items(k, piece.count(), concat(new Object[] {code, ga.memory(), at[0], gb.memory(), at[1],
                    gout.memory(), at[2], piece.count()}, Strides.kernelArgs(ab)));
        });
    }

    @Override
    public synchronized void reduce(ReduceOp op, Buffer x, long xOffset, int outer, int extent, int inner, Buffer out,
                                    long outOffset) {
        enter("reduce");
        String o = "reduce " + op;
        long outputs = blockShape(o, outer, extent, inner);
        GpuBuffer gx = checks.range(o, "x", x, xOffset, outputs * extent);
        GpuBuffer gout = checks.range(o, "out", out, outOffset, outputs);
        DType t = checks.floating(o, gx, gout);
        if (outputs == 0) {
            return;
        }
        boolean groups = launcher.groupPerOutput(outputs, extent, inner);
        GpuDevice.Kernel k = launcher.kernel(KernelSources.real(KernelSources.REDUCE, realName(t)),
                groups ? "reduce_groups" : "reduce_items");
        Object[] args = {OpCodes.reduce(op), gx.memory(), xOffset, outer, extent, inner, gout.memory(), outOffset};
        if (groups) {
            launcher.groups(k, outputs, args);
        } else {
            launcher.items(k, outputs, args);
        }
    }

    @Override
    public synchronized void argMax(Buffer x, long xOffset, int outer, int extent, int inner, Buffer out, long outOffset) {
        enter("argMax");
        long outputs = blockShape("argMax", outer, extent, inner);
        GpuBuffer gx = checks.range("argMax", "x", x, xOffset, outputs * extent);
        GpuBuffer gout = checks.range("argMax", "out", out, outOffset, outputs);
        DType t = checks.floating("argMax", gx);
        checks.dtype("argMax", "out", gout, DType.INT32);
        if (outputs == 0) {
            return;
        }
        boolean groups = launcher.groupPerOutput(outputs, extent, inner);
        GpuDevice.Kernel k = launcher.kernel(KernelSources.real(KernelSources.REDUCE, realName(t)),
                groups ? "argmax_groups" : "argmax_items");
        Object[] args = {gx.memory(), xOffset, outer, extent, inner, gout.memory(), outOffset};
        if (groups) {
            launcher.groups(k, outputs, args);
        } else {
            launcher.items(k, outputs, args);
        }
    }

    private long blockShape(String op, int outer, int extent, int inner) {
        checks.nonNegative(op, "outer", outer);
        checks.nonNegative(op, "extent", extent);
        checks.nonNegative(op, "inner", inner);
        long outputs = (long) outer * inner;
        checks.multiply(op, "block size", outputs, extent);
        return outputs;
    }

    @Override
    public synchronized void softmax(boolean log, Buffer x, long xOffset, int rows, int cols, Buffer y, long yOffset) {
        String o = log ? "logSoftmax" : "softmax";
        enter(o);
        checks.nonNegative(o, "rows", rows);
        checks.nonNegative(o, "cols", cols);
        long count = (long) rows * cols;
        GpuBuffer gx = checks.range(o, "x", x, xOffset, count);
        GpuBuffer gy = checks.range(o, "y", y, yOffset, count);
        DType t = checks.floating(o, gx, gy);
        if (count > 0) {
            launcher.groups(reduceKernel(t, "softmax_rows"), rows, log ? 1 : 0, gx.memory(), xOffset, rows, cols,
                    gy.memory(), yOffset);
        }
    }

    @Override
    public synchronized void softmaxCrossEntropy(Buffer logits, long logitsOffset, Buffer labels, long labelsOffset,
                                                 int rows, int classes, Buffer losses, long lossesOffset, Buffer grad,
                                                 long gradOffset) {
        String o = "softmaxCrossEntropy";
        enter(o);
        checks.nonNegative(o, "rows", rows);
        checks.nonNegative(o, "classes", classes);
        long count = (long) rows * classes;
        GpuBuffer gl = checks.range(o, "logits", logits, logitsOffset, count);
        GpuBuffer glab = checks.range(o, "labels", labels, labelsOffset, rows);
        checks.dtype(o, "labels", glab, DType.INT32);
        GpuBuffer gloss = checks.range(o, "losses", losses, lossesOffset, rows);
        GpuBuffer gg = grad == null ? null : checks.range(o, "grad", grad, gradOffset, count);
        DType t = checks.floating(o, gl, gloss, gg);
        if (rows == 0) {
            return;
        }
        // Validated on the host before anything is launched: a bad label never reaches a kernel.
        int[] host = new int[rows];
        device.read(glab.memory(), labelsOffset * 4, host, 0, rows);
        for (int r = 0; r < rows; r++) {
            if (host[r] < 0 || host[r] >= classes) {
                throw new IllegalArgumentException(name + ": " + o + ": label " + host[r] + " of row " + r
                        + " is outside [0, " + classes + ")");
            }
        }
        launcher.groups(reduceKernel(t, "softmax_cross_entropy"), rows, gl.memory(), logitsOffset, glab.memory(),
                labelsOffset, rows, classes, gloss.memory(), lossesOffset, gg == null ? gl.memory() : gg.memory(),
                gg == null ? 0L : gradOffset, gg == null ? 0 : 1);
    }

    @Override
    public synchronized void dropout(double p, long seed, Buffer x, long xOffset, Buffer y, long yOffset, Buffer mask,
                                     long maskOffset, long count) {
        enter("dropout");
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException(name + ": dropout: p must be in [0, 1], was " + p);
        }
        GpuBuffer gx = checks.range("dropout", "x", x, xOffset, count);
        GpuBuffer gy = checks.range("dropout", "y", y, yOffset, count);
        GpuBuffer gm = checks.range("dropout", "mask", mask, maskOffset, count);
        DType t = checks.floating("dropout", gx, gy, gm);
        if (count == 0) {
            return;
        }
        // Kept iff Philox.uniform >= p, i.e. (bits >>> 8) * 2^-24 >= p, i.e. (bits >>> 8) >= ceil(p * 2^24).
        int threshold = (int) Math.min(1L << 24, (long) Math.ceil(p * 0x1.0p24));
        launcher.items(elementwise(t, "dropout"), (count + 3) / 4, threshold, (int) seed, (int) (seed >>> 32),
                real(t, 1 / (1 - p)), gx.memory(), xOffset, gy.memory(), yOffset, gm.memory(), maskOffset, count);
    }

    // ---------------------------------------------------------------- fused optimizer updates

    @Override
    public synchronized void sgdStep(Buffer param, long paramOffset, Buffer grad, long gradOffset, Buffer velocity,
                                     long velocityOffset, long count, double lr, double momentum, double dampening,
                                     double weightDecay, boolean nesterov, boolean firstStep) {
        enter("sgdStep");
        GpuBuffer gp = checks.range("sgdStep", "param", param, paramOffset, count);
        GpuBuffer gg = checks.range("sgdStep", "grad", grad, gradOffset, count);
        GpuBuffer gv = null;
        if (momentum != 0) {
            if (velocity == null) {
                throw new IllegalArgumentException(name + ": sgdStep: momentum " + momentum + " needs a velocity buffer");
            }
            gv = checks.range("sgdStep", "velocity", velocity, velocityOffset, count);
        }
        DType t = checks.floating("sgdStep", gp, gg, gv);
        if (count > 0) {
            launcher.items(elementwise(t, "sgd_step"), count, gp.memory(), paramOffset, gg.memory(), gradOffset,
                    gv == null ? gp.memory() : gv.memory(), gv == null ? 0L : velocityOffset, count, real(t, lr),
                    real(t, momentum), real(t, dampening), real(t, weightDecay), nesterov ? 1 : 0, firstStep ? 1 : 0);
        }
    }

    @Override
    public synchronized void adamStep(Buffer param, long paramOffset, Buffer grad, long gradOffset, Buffer m,
                                      long mOffset, Buffer v, long vOffset, long count, double lr, double beta1,
                                      double beta2, double eps, double weightDecay, boolean decoupledWeightDecay,
                                      long step) {
        enter("adamStep");
        if (step < 1) {
            throw new IllegalArgumentException(name + ": adamStep: step counts from 1, was " + step);
        }
        GpuBuffer gp = checks.range("adamStep", "param", param, paramOffset, count);
        GpuBuffer gg = checks.range("adamStep", "grad", grad, gradOffset, count);
        GpuBuffer gm = checks.range("adamStep", "m", m, mOffset, count);
        GpuBuffer gv = checks.range("adamStep", "v", v, vOffset, count);
        DType t = checks.floating("adamStep", gp, gg, gm, gv);
        if (count > 0) {
            double bc1 = 1 - Math.pow(beta1, step);
            double bc2 = 1 - Math.pow(beta2, step);
            launcher.items(elementwise(t, "adam_step"), count, gp.memory(), paramOffset, gg.memory(), gradOffset,
                    gm.memory(), mOffset, gv.memory(), vOffset, count, real(t, lr), real(t, beta1), real(t, beta2),
                    real(t, eps), real(t, weightDecay), decoupledWeightDecay ? 1 : 0, real(t, bc1), real(t, bc2));
        }
    }

    // ---------------------------------------------------------------- helpers

    private GpuDevice.Kernel elementwise(DType t, String kernel) {
        return launcher.kernel(KernelSources.real(KernelSources.ELEMENTWISE, realName(t)), kernel);
    }

    private GpuDevice.Kernel reduceKernel(DType t, String kernel) {
        return launcher.kernel(KernelSources.real(KernelSources.REDUCE, realName(t)), kernel);
    }

    private static String realName(DType t) {
        return t == DType.FLOAT64 ? "double" : "float";
    }

    /** A scalar kernel argument of the module's REAL type. */
    static Object real(DType t, double value) {
        return t == DType.FLOAT64 ? (Object) value : (Object) (float) value;
    }

    private static Object[] concat(Object[] head, Object[] tail) {
        Object[] all = java.util.Arrays.copyOf(head, head.length + tail.length);
        System.arraycopy(tail, 0, all, head.length, tail.length);
        return all;
    }

    private static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.0f MiB", bytes / 1048576.0);
    }

    // ---------------------------------------------------------------- GEMM tile configuration

    /** The tile configuration, chosen on first use (autotuned, cached or default). */
    private GemmTuner.Choice gemmChoice() {
        if (gemmChoice == null) {
            int n = Integer.getInteger("nabla.gpu.autotune.size", 1024);
            gemmChoice = GemmTuner.choose(info, GemmTuner.autotuneEnabled(), CacheDir.resolve(), n, this::timeGemm);
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
