package dev.nabla.cuda;

import dev.nabla.gpu.GpuDevice;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Kernel arguments packed into one buffer the way the CUDA ABI lays out a kernel's parameters
 * (each at the next multiple of its own size, in order), for {@code cuLaunchKernel}'s {@code extra}
 * argument ({@code CU_LAUNCH_PARAM_BUFFER_POINTER}). JCuda then marshals one pointer per launch
 * instead of a {@code Pointer} per argument (a global reference, a pinned array and several JNI
 * up-calls each): the difference between about 1 and 5+ microseconds per launch.
 *
 * <p>Java types map to PTX parameter types as in {@link GpuDevice#launch}: {@link GpuDevice.Memory}
 * → {@code .u64} (the device address), {@link Integer} → {@code .u32/.s32}, {@link Long} →
 * {@code .u64/.s64}, {@link Float} → {@code .f32}, {@link Double} → {@code .f64}.
 */
final class KernelParams {
    /** Bytes of kernel parameters a launch may pass (the driver's limit before CUDA 12.1 and Volta). */
    static final int CAPACITY = 4096;

    /** Resolves a {@link GpuDevice.Memory} argument to its device address. */
    interface Addresses {
        long of(GpuDevice.Memory memory);
    }

    private KernelParams() {
    }

    /**
     * Writes {@code args} into {@code dst} from its position 0 (native byte order) and returns the
     * number of bytes the parameter list takes (no padding after the last one).
     *
     * @throws IllegalArgumentException for an argument of another type, or more than {@link #CAPACITY} bytes
     */
    static int pack(ByteBuffer dst, String kernel, Object[] args, Addresses addresses) {
        int at = 0;
        for (int i = 0; i < args.length; i++) {
            Object a = args[i];
            // One type test per argument: each branch aligns, checks room and writes.
            if (a instanceof Long v) {
                at = room(kernel, (at + 7) & -8, 8);
                dst.putLong(at, v);
                at += 8;
            } else if (a instanceof Integer v) {
                at = room(kernel, (at + 3) & -4, 4);
                dst.putInt(at, v);
                at += 4;
            } else if (a instanceof GpuDevice.Memory m) {
                at = room(kernel, (at + 7) & -8, 8);
                dst.putLong(at, addresses.of(m));
                at += 8;
            } else if (a instanceof Float v) {
                at = room(kernel, (at + 3) & -4, 4);
                dst.putFloat(at, v);
                at += 4;
            } else if (a instanceof Double v) {
                at = room(kernel, (at + 7) & -8, 8);
                dst.putDouble(at, v);
                at += 8;
            } else {
                size(kernel, i, a); // throws, naming the argument
            }
        }
        return at;
    }

    private static int room(String kernel, int at, int size) {
        if (at + size > CAPACITY) {
            throw new IllegalArgumentException("kernel " + kernel + ": arguments take more than " + CAPACITY + " bytes");
        }
        return at;
    }

    /** Bytes (and alignment) of argument {@code index}. */
    static int size(String kernel, int index, Object arg) {
        if (arg instanceof GpuDevice.Memory || arg instanceof Long || arg instanceof Double) {
            return 8;
        }
        if (arg instanceof Integer || arg instanceof Float) {
            return 4;
        }
        throw new IllegalArgumentException("kernel " + kernel + " argument " + index + ": unsupported type "
                + (arg == null ? "null" : arg.getClass().getName()));
    }

    /** A buffer for {@link #pack} over {@code bytes} of native memory (or a heap buffer in tests). */
    static ByteBuffer order(ByteBuffer b) {
        return b.order(ByteOrder.nativeOrder());
    }
}
