package dev.nabla.backend.reference;

import dev.nabla.DType;
import dev.nabla.backend.Backend;
import dev.nabla.backend.Buffer;

/**
 * A buffer of the reference backend: every dtype held as doubles, rounded to the dtype on every
 * write (float rounding for FLOAT32, whole numbers for INT32), so one loop serves all dtypes.
 */
final class ReferenceBuffer implements Buffer {
    private final ReferenceBackend owner;
    private final DType dtype;
    final double[] values;
    private final long size;
    private volatile boolean closed;

    ReferenceBuffer(ReferenceBackend owner, DType dtype, int size) {
        this.owner = owner;
        this.dtype = dtype;
        this.values = new double[Math.max(1, size)];
        this.size = size;
    }

    ReferenceBackend owner() {
        return owner;
    }

    /** Stores {@code v} at {@code i}, rounded to the dtype. */
    void set(long i, double v) {
        values[(int) i] = round(dtype, v);
    }

    double get(long i) {
        return values[(int) i];
    }

    static double round(DType dtype, double v) {
        return switch (dtype) {
            case FLOAT32 -> (float) v;
            case FLOAT64 -> v;
            case INT32 -> (int) v;
        };
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
        if (!closed) {
            closed = true;
            owner.released(this);
        }
    }

    @Override
    public String toString() {
        return "ReferenceBuffer[" + dtype.shortName() + " x " + size + (closed ? ", closed" : "") + "]";
    }
}
