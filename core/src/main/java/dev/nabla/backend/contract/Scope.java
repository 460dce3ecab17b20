package dev.nabla.backend.contract;

import dev.nabla.DType;
import dev.nabla.backend.Backend;
import dev.nabla.backend.Buffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The buffers one check allocates, closed together; values travel to and from the device as
 * {@code double[]} and are converted to the buffer's dtype on the way.
 */
final class Scope implements AutoCloseable {
    private final Backend backend;
    private final List<Buffer> buffers = new ArrayList<>();

    Scope(Backend backend) {
        this.backend = backend;
    }

    Backend backend() {
        return backend;
    }

    Buffer alloc(DType dtype, long elements) {
        Buffer b = backend.allocate(dtype, elements);
        buffers.add(b);
        return b;
    }

    /** A buffer holding exactly {@code values} (converted to {@code dtype}). */
    Buffer upload(DType dtype, double[] values) {
        Buffer b = alloc(dtype, values.length);
        write(b, 0, values);
        return b;
    }

    void write(Buffer b, long offset, double[] values) {
        int n = values.length;
        switch (b.dtype()) {
            case FLOAT32 -> {
                float[] f = new float[n];
                for (int i = 0; i < n; i++) {
                    f[i] = (float) values[i];
                }
                backend.copyFromHost(f, 0, b, offset, n);
            }
            case FLOAT64 -> backend.copyFromHost(values, 0, b, offset, n);
            case INT32 -> {
                int[] v = new int[n];
                for (int i = 0; i < n; i++) {
                    v[i] = (int) values[i];
                }
                backend.copyFromHost(v, 0, b, offset, n);
            }
        }
    }

    /** The whole buffer as doubles. */
    double[] read(Buffer b) {
        return read(b, 0, Math.toIntExact(b.size()));
    }

    double[] read(Buffer b, long offset, int n) {
        double[] out = new double[n];
        switch (b.dtype()) {
            case FLOAT32 -> {
                float[] f = new float[n];
                backend.copyToHost(b, offset, f, 0, n);
                for (int i = 0; i < n; i++) {
                    out[i] = f[i];
                }
            }
            case FLOAT64 -> backend.copyToHost(b, offset, out, 0, n);
            case INT32 -> {
                int[] v = new int[n];
                backend.copyToHost(b, offset, v, 0, n);
                for (int i = 0; i < n; i++) {
                    out[i] = v[i];
                }
            }
        }
        return out;
    }

    @Override
    public void close() {
        for (Buffer b : buffers) {
            b.close();
        }
        buffers.clear();
    }
}
