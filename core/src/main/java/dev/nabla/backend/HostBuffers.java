package dev.nabla.backend;

import dev.nabla.DType;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;

/** The host side of {@link Backend#copyFromHost} and {@link Backend#copyToHost}: which NIO buffer type carries which dtype. */
public final class HostBuffers {
    private HostBuffers() {
    }

    /**
     * The dtype a host buffer carries: FLOAT32 for {@link FloatBuffer}, FLOAT64 for
     * {@link DoubleBuffer}, INT32 for {@link IntBuffer}.
     *
     * @throws IllegalArgumentException for null or any other buffer type
     */
    public static DType dtypeOf(java.nio.Buffer host) {
        if (host instanceof FloatBuffer) {
            return DType.FLOAT32;
        }
        if (host instanceof DoubleBuffer) {
            return DType.FLOAT64;
        }
        if (host instanceof IntBuffer) {
            return DType.INT32;
        }
        throw new IllegalArgumentException("host buffer " + (host == null ? "null" : host.getClass().getSimpleName())
                + ": expected a FloatBuffer, DoubleBuffer or IntBuffer");
    }

    /**
     * Checks that {@code host} carries {@code dtype} and that {@code count} elements from
     * {@code offset} fit in a device buffer of {@code size} elements.
     *
     * @throws IllegalArgumentException naming {@code backend}, {@code op}, the types and the range
     */
    public static void check(String backend, String op, java.nio.Buffer host, DType dtype, long offset, long size) {
        DType carried = dtypeOf(host);
        if (carried != dtype) {
            throw new IllegalArgumentException(backend + ": " + op + ": a " + host.getClass().getSimpleName()
                    + " carries " + carried.shortName() + ", the buffer holds " + dtype.shortName());
        }
        long count = host.remaining();
        if (offset < 0 || offset > size || count > size - offset) {
            throw new IllegalArgumentException(backend + ": " + op + ": " + count + " elements at offset " + offset
                    + " do not fit a buffer of " + size);
        }
    }
}
