package dev.nabla.cpu;

import dev.nabla.DType;
import dev.nabla.backend.Backend;
import dev.nabla.backend.Buffer;

/** A Java array on the heap: {@code float[]}, {@code double[]} or {@code int[]} by dtype. */
final class CpuBuffer implements Buffer {
    private final CpuBackend owner;
    private final DType dtype;
    private final long size;
    private volatile boolean closed;
    float[] f;
    double[] d;
    int[] i;

    CpuBuffer(CpuBackend owner, DType dtype, int size) {
        this.owner = owner;
        this.dtype = dtype;
        this.size = size;
        int storage = Math.max(1, size); // allocate(0) still holds one element, as the SPI says
        switch (dtype) {
            case FLOAT32 -> f = new float[storage];
            case FLOAT64 -> d = new double[storage];
            case INT32 -> i = new int[storage];
        }
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
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            f = null;
            d = null;
            i = null;
        }
        owner.released(this);
    }

    @Override
    public String toString() {
        return "CpuBuffer[" + dtype.shortName() + " x " + size + (closed ? ", closed]" : "]");
    }
}
