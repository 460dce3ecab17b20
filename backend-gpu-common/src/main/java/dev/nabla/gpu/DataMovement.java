package dev.nabla.gpu;

import dev.nabla.DType;
import dev.nabla.backend.Buffer;
import dev.nabla.backend.HostBuffers;
import dev.nabla.backend.IndexOutOfRangeException;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;

/**
 * Host transfers, strided copy, casts, fill and gather: the data-movement half of {@link KernelBackend}.
 * Called with the backend's lock held, after its checks of state.
 */
final class DataMovement {
    private final KernelBackend backend;
    private final GpuArguments checks;
    private final Launcher launcher;
    private final GpuDevice device;

    DataMovement(KernelBackend backend, GpuArguments checks, Launcher launcher, GpuDevice device) {
        this.backend = backend;
        this.checks = checks;
        this.launcher = launcher;
        this.device = device;
    }

    /**
     * Host to device. An array-backed NIO buffer goes straight from its array; a direct one through
     * a temporary array (the device interface moves arrays).
     */
    void copyFromHost(java.nio.Buffer src, Buffer dst, long dstOffset) {
        GpuBuffer d = checks.range("copyFromHost", "device buffer", dst, dstOffset, Math.max(0, remaining(src)));
        HostBuffers.check(backend.name(), "copyFromHost", src, d.dtype(), dstOffset, d.size());
        int n = src.remaining();
        if (n == 0) {
            return;
        }
        int p = src.position();
        long bytes = dstOffset * d.dtype().byteSize();
        switch (d.dtype()) {
            case FLOAT32 -> {
                FloatBuffer f = (FloatBuffer) src;
                float[] a = f.hasArray() ? f.array() : new float[n];
                int at = f.hasArray() ? f.arrayOffset() + p : 0;
                if (!f.hasArray()) {
                    f.get(p, a, 0, n);
                }
                device.write(d.memory(), bytes, a, at, n);
            }
            case FLOAT64 -> {
                DoubleBuffer f = (DoubleBuffer) src;
                double[] a = f.hasArray() ? f.array() : new double[n];
                int at = f.hasArray() ? f.arrayOffset() + p : 0;
                if (!f.hasArray()) {
                    f.get(p, a, 0, n);
                }
                device.write(d.memory(), bytes, a, at, n);
            }
            case INT32 -> {
                IntBuffer f = (IntBuffer) src;
                int[] a = f.hasArray() ? f.array() : new int[n];
                int at = f.hasArray() ? f.arrayOffset() + p : 0;
                if (!f.hasArray()) {
                    f.get(p, a, 0, n);
                }
                device.write(d.memory(), bytes, a, at, n);
                d.hostKnows(a, at, dstOffset, n);
            }
        }
    }

    /** Device to host; into a direct NIO buffer through a temporary array. */
    void copyToHost(Buffer src, long srcOffset, java.nio.Buffer dst) {
        GpuBuffer s = checks.range("copyToHost", "device buffer", src, srcOffset, Math.max(0, remaining(dst)));
        HostBuffers.check(backend.name(), "copyToHost", dst, s.dtype(), srcOffset, s.size());
        int n = dst.remaining();
        if (n == 0) {
            return;
        }
        int p = dst.position();
        long bytes = srcOffset * s.dtype().byteSize();
        switch (s.dtype()) {
            case FLOAT32 -> {
                FloatBuffer f = (FloatBuffer) dst;
                float[] a = f.hasArray() ? f.array() : new float[n];
                int at = f.hasArray() ? f.arrayOffset() + p : 0;
                device.read(s.memory(), bytes, a, at, n);
                if (!f.hasArray()) {
                    f.put(p, a, 0, n);
                }
            }
            case FLOAT64 -> {
                DoubleBuffer f = (DoubleBuffer) dst;
                double[] a = f.hasArray() ? f.array() : new double[n];
                int at = f.hasArray() ? f.arrayOffset() + p : 0;
                device.read(s.memory(), bytes, a, at, n);
                if (!f.hasArray()) {
                    f.put(p, a, 0, n);
                }
            }
            case INT32 -> {
                IntBuffer f = (IntBuffer) dst;
                int[] a = f.hasArray() ? f.array() : new int[n];
                int at = f.hasArray() ? f.arrayOffset() + p : 0;
                device.read(s.memory(), bytes, a, at, n);
                s.hostKnows(a, at, srcOffset, n);
                if (!f.hasArray()) {
                    f.put(p, a, 0, n);
                }
            }
        }
    }

    private int remaining(java.nio.Buffer b) {
        if (b == null) {
            throw new IllegalArgumentException(backend.name() + ": host buffer is null");
        }
        return b.remaining();
    }

    /**
     * The INT32 values of {@code [offset, offset + count)}: from the host's shadow when it knows
     * them (no device round trip), else read back. For checking indices and labels before a launch.
     */
    int[] hostValues(GpuBuffer ints, long offset, int count) {
        int[] values = new int[count];
        IntShadow known = ints.known(offset, count);
        if (known != null) {
            for (int i = 0; i < count; i++) {
                values[i] = known.get(offset + i);
            }
        } else if (count > 0) {
            device.read(ints.memory(), offset * 4, values, 0, count);
            ints.hostKnows(values, 0, offset, count);
        }
        return values;
    }

    /**
     * gather on 32- or 64-bit words: any dtype. Every index is checked on the host first (see
     * {@link #checkIndices}).
     */
    void gather(Buffer x, long xOffset, int outer, int extent, int inner, Buffer index, long indexOffset,
                long[] indexStrides, int count, Buffer out, long outOffset) {
        String op = "gather";
        checks.nonNegative(op, "outer", outer);
        checks.nonNegative(op, "extent", extent);
        checks.nonNegative(op, "inner", inner);
        checks.nonNegative(op, "count", count);
        GpuBuffer gx = checks.range(op, "x", x, xOffset, checks.multiply(op, "x block", (long) outer * inner, extent));
        GpuBuffer gout = checks.output(op, "out", out, outOffset,
                checks.multiply(op, "out block", (long) outer * inner, count));
        GpuBuffer gi = checkIndices(op, index, indexOffset, indexStrides, outer, count, inner, extent);
        if (gx.dtype() != gout.dtype()) {
            throw new IllegalArgumentException(backend.name() + ": gather: x is " + gx.dtype().shortName()
                    + " but out is " + gout.dtype().shortName());
        }
        checks.supported(op, gx.dtype());
        long total = (long) outer * count * inner;
        if (total == 0) {
            return;
        }
        String kernel = gx.dtype().byteSize() == 8 ? "gather_u64" : "gather_u32";
        launcher.items(launcher.kernel(KernelSources.copy(), kernel), total, gx.memory(), xOffset, outer, extent, inner,
                gi.memory(), indexOffset, indexStrides[0], indexStrides[1], indexStrides[2], count, gout.memory(),
                outOffset);
    }

    /**
     * The index operand of gather and scatterAdd, every value inside {@code [0, extent)}: checked on
     * the host before anything is launched, from the shadow of the span the strides reach (or one
     * read-back of it).
     */
    GpuBuffer checkIndices(String op, Buffer index, long offset, long[] strides, int outer, int count, int inner,
                           int extent) {
        GpuBuffer gi = checks.buffer(op, "index", index);
        checks.dtype(op, "index", gi, DType.INT32);
        if (strides == null || strides.length != 3) {
            throw new IllegalArgumentException(backend.name() + ": " + op + ": index strides must be {outer, count, "
                    + "inner}");
        }
        int[] shape = {outer, count, inner};
        checks.strided(op, "index", gi, offset, shape, strides);
        if ((long) outer * count * inner == 0) {
            return gi;
        }
        long lo = offset, hi = offset;
        for (int d = 0; d < 3; d++) {
            long span = (shape[d] - 1L) * strides[d];
            lo += Math.min(0, span);
            hi += Math.max(0, span);
        }
        int[] values = hostValues(gi, lo, Math.toIntExact(hi - lo + 1));
        for (int o = 0; o < outer; o++) {
            for (int j = 0; j < count; j++) {
                for (int i = 0; i < inner; i++) {
                    int e = values[(int) (offset - lo + o * strides[0] + j * strides[1] + i * strides[2])];
                    if (e < 0 || e >= extent) {
                        throw new IndexOutOfRangeException(backend.name() + ": " + op, new long[] {o, j, i}, e, extent);
                    }
                }
            }
        }
        return gi;
    }

    void copy(Buffer src, long srcOffset, long[] srcStrides, Buffer dst, long dstOffset,
            long[] dstStrides, int[] shape) {
        long count = checks.shape("copy", shape);
        GpuBuffer s = checks.strided("copy", "src", src, srcOffset, shape, srcStrides);
        GpuBuffer d = checks.stridedOutput("copy", "dst", dst, dstOffset, shape, dstStrides);
        if (s.dtype() != d.dtype()) {
            throw new IllegalArgumentException(backend.name() + ": copy: src is " + s.dtype().shortName()
                    + " but dst is " + d.dtype().shortName() + " (use cast)");
        }
        if (count == 0) {
            return;
        }
        boolean wide = s.dtype().byteSize() == 8;
        KernelStrides.Layout layout = KernelStrides.collapse(shape, srcStrides, dstStrides);
        if (layout.rank() == 0 || layout.rank() == 1 && layout.strides()[0][0] == 1 && layout.strides()[1][0] == 1) {
            launcher.items(launcher.kernel(KernelSources.copy(), wide ? "copy_contiguous_u64" : "copy_contiguous_u32"),
                    count, s.memory(), srcOffset, d.memory(), dstOffset, count);
            return;
        }
        GpuDevice.Kernel k = launcher.kernel(KernelSources.copy(), wide ? "copy_strided_u64" : "copy_strided_u32");
        KernelStrides.split(layout, new long[] {srcOffset, dstOffset}, (at, piece) -> launcher.items(k, piece.count(),
                Launcher.concat(new Object[] {s.memory(), at[0], d.memory(), at[1], piece.count()},
                        KernelStrides.kernelArgs(piece))));
    }

    void cast(Buffer src, long srcOffset, Buffer dst, long dstOffset, long count) {
        GpuBuffer s = checks.range("cast", "src", src, srcOffset, count);
        GpuBuffer d = checks.output("cast", "dst", dst, dstOffset, count);
        DType from = s.dtype(), to = d.dtype();
        checks.supported("cast", from);
        checks.supported("cast", to);
        if (count == 0) {
            return;
        }
        if (from == to) {
            String kernel = from.byteSize() == 8 ? "copy_contiguous_u64" : "copy_contiguous_u32";
            launcher.items(launcher.kernel(KernelSources.copy(), kernel), count,
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

    void fill(Buffer dst, long offset, long count, double value) {
        GpuBuffer d = checks.output("fill", "dst", dst, offset, count);
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
}
