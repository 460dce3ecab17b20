package dev.nabla.backend.contract;

import dev.nabla.DType;
import dev.nabla.backend.Backend;
import dev.nabla.backend.Buffer;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The buffers one check allocates, closed together; values travel to and from the device as
 * {@code double[]} and are converted to the buffer's dtype on the way.
 */
final class CheckBuffers implements AutoCloseable {
    private final Backend backend;
    private final List<Buffer> buffers = new ArrayList<>();

    CheckBuffers(Backend backend) {
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
                backend.copyFromHost(FloatBuffer.wrap(f), b, offset);
            }
            case FLOAT64 -> backend.copyFromHost(DoubleBuffer.wrap(values), b, offset);
            case INT32 -> {
                int[] v = new int[n];
                for (int i = 0; i < n; i++) {
                    v[i] = (int) values[i];
                }
                backend.copyFromHost(IntBuffer.wrap(v), b, offset);
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
                backend.copyToHost(b, offset, FloatBuffer.wrap(f));
                for (int i = 0; i < n; i++) {
                    out[i] = f[i];
                }
            }
            case FLOAT64 -> backend.copyToHost(b, offset, DoubleBuffer.wrap(out));
            case INT32 -> {
                int[] v = new int[n];
                backend.copyToHost(b, offset, IntBuffer.wrap(v));
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
