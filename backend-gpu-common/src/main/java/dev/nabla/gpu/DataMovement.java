package dev.nabla.gpu;

import dev.nabla.DType;
import dev.nabla.backend.Buffer;

/**
 * Host transfers, strided copy, casts and fill: the data-movement half of {@link KernelBackend}.
 * Called with the backend's lock held, after its checks of state.
 */
final class DataMovement {
    private final KernelBackend backend;
    private final Checks checks;
    private final Launcher launcher;
    private final GpuDevice device;

    DataMovement(KernelBackend backend, Checks checks, Launcher launcher, GpuDevice device) {
        this.backend = backend;
        this.checks = checks;
        this.launcher = launcher;
        this.device = device;
    }

    void copyFromHost(float[] src, int srcOffset, Buffer dst, long dstOffset, int count) {
        GpuBuffer d = toDevice("copyFromHost", src == null ? -1 : src.length, srcOffset, dst, dstOffset, count,
                DType.FLOAT32);
        if (count > 0) {
            device.write(d.memory(), dstOffset * 4, src, srcOffset, count);
        }
    }

    void copyFromHost(double[] src, int srcOffset, Buffer dst, long dstOffset, int count) {
        GpuBuffer d = toDevice("copyFromHost", src == null ? -1 : src.length, srcOffset, dst, dstOffset, count,
                DType.FLOAT64);
        if (count > 0) {
            device.write(d.memory(), dstOffset * 8, src, srcOffset, count);
        }
    }

    void copyFromHost(int[] src, int srcOffset, Buffer dst, long dstOffset, int count) {
        GpuBuffer d = toDevice("copyFromHost", src == null ? -1 : src.length, srcOffset, dst, dstOffset, count,
                DType.INT32);
        if (count > 0) {
            device.write(d.memory(), dstOffset * 4, src, srcOffset, count);
            d.hostKnows(src, srcOffset, dstOffset, count);
        }
    }

    void copyToHost(Buffer src, long srcOffset, float[] dst, int dstOffset, int count) {
        GpuBuffer s = toDevice("copyToHost", dst == null ? -1 : dst.length, dstOffset, src, srcOffset, count,
                DType.FLOAT32);
        if (count > 0) {
            device.read(s.memory(), srcOffset * 4, dst, dstOffset, count);
        }
    }

    void copyToHost(Buffer src, long srcOffset, double[] dst, int dstOffset, int count) {
        GpuBuffer s = toDevice("copyToHost", dst == null ? -1 : dst.length, dstOffset, src, srcOffset, count,
                DType.FLOAT64);
        if (count > 0) {
            device.read(s.memory(), srcOffset * 8, dst, dstOffset, count);
        }
    }

    void copyToHost(Buffer src, long srcOffset, int[] dst, int dstOffset, int count) {
        GpuBuffer s = toDevice("copyToHost", dst == null ? -1 : dst.length, dstOffset, src, srcOffset, count,
                DType.INT32);
        if (count > 0) {
            device.read(s.memory(), srcOffset * 4, dst, dstOffset, count);
            s.hostKnows(dst, dstOffset, srcOffset, count);
        }
    }

    /** Checks of a host transfer; {@code arrayLength} is -1 for a null array. */
    private GpuBuffer toDevice(String op, int arrayLength, int hostOffset, Buffer buffer, long offset, int count,
            DType dtype) {
        if (arrayLength < 0) {
            throw new IllegalArgumentException(backend.name() + ": " + op + ": host array is null");
        }
        checks.host(op, arrayLength, hostOffset, count);
        GpuBuffer g = checks.range(op, "device buffer", buffer, offset, count);
        checks.dtype(op, "device buffer", g, dtype);
        return g;
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
        Strides.Layout layout = Strides.collapse(shape, srcStrides, dstStrides);
        if (layout.rank() == 0 || layout.rank() == 1 && layout.strides()[0][0] == 1 && layout.strides()[1][0] == 1) {
            launcher.items(launcher.kernel(KernelSources.copy(), wide ? "copy_contiguous_u64" : "copy_contiguous_u32"),
                    count, s.memory(), srcOffset, d.memory(), dstOffset, count);
            return;
        }
        GpuDevice.Kernel k = launcher.kernel(KernelSources.copy(), wide ? "copy_strided_u64" : "copy_strided_u32");
        Strides.split(layout, new long[] {srcOffset, dstOffset}, (at, piece) -> launcher.items(k, piece.count(),
                Launcher.concat(new Object[] {s.memory(), at[0], d.memory(), at[1], piece.count()},
                        Strides.kernelArgs(piece))));
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
