package dev.nabla.testing;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;

/** Tests' shorthand for the NIO views the host-copy methods of the Backend SPI take. */
public final class HostArrays {
    private HostArrays() {
    }

    /** Elements {@code [offset, offset + count)} of {@code a}. */
    public static FloatBuffer wrap(float[] a, int offset, int count) {
        return FloatBuffer.wrap(a, offset, count);
    }

    /** Elements {@code [offset, offset + count)} of {@code a}. */
    public static DoubleBuffer wrap(double[] a, int offset, int count) {
        return DoubleBuffer.wrap(a, offset, count);
    }

    /** Elements {@code [offset, offset + count)} of {@code a}. */
    public static IntBuffer wrap(int[] a, int offset, int count) {
        return IntBuffer.wrap(a, offset, count);
    }
}
