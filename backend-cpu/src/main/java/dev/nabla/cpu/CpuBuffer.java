package dev.nabla.cpu;

import dev.nabla.DType;
import dev.nabla.backend.Backend;
import dev.nabla.backend.Buffer;

/**
 * A Java array on the heap: {@code float[]}, {@code double[]} or {@code int[]} by dtype, at least
 * {@link #size()} long (a pooled array may be longer). Closing it on the thread that allocated it
 * hands the array back to the backend's {@link ArrayPool}.
 */
final class CpuBuffer implements Buffer {
    private final CpuBackend owner;
    private final DType dtype;
    private final long size;
    private final Thread allocator = Thread.currentThread();
    private volatile boolean closed;
    float[] f;
    double[] d;
    int[] i;

    /** A buffer of {@code size} elements over {@code array} (of the dtype's type, at least {@code max(1, size)} long). */
    CpuBuffer(CpuBackend owner, DType dtype, int size, Object array) {
        this.owner = owner;
        this.dtype = dtype;
        this.size = size;
        switch (dtype) {
            case FLOAT32 -> f = (float[]) array;
            case FLOAT64 -> d = (double[]) array;
            case INT32 -> i = (int[]) array;
        }
    }

    /** A new zeroed array for {@code length} elements of {@code dtype}. */
    static Object newArray(DType dtype, int length) {
        return switch (dtype) {
            case FLOAT32 -> new float[length];
            case FLOAT64 -> new double[length];
            case INT32 -> new int[length];
        };
    }

    CpuBackend owner() {
        return owner;
    }

    @Override
    public Backend backend() {
        return owner;
    }

    @Override
    public DType dtype() {
        return dtype;
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public void close() {
        Object array;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            array = f != null ? f : d != null ? d : i;
            f = null;
            d = null;
            i = null;
        }
        owner.released(this, Thread.currentThread() == allocator ? array : null);
    }

    @Override
    public String toString() {
        return "CpuBuffer[" + dtype.shortName() + " x " + size + (closed ? ", closed]" : "]");
    }
}
