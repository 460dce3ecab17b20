package dev.nabla;

import dev.nabla.internal.TensorInternals;
import dev.nabla.ops.NoGradOps;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;

/** Copies a tensor's elements to Java arrays in row-major order, converting the dtype. */
final class HostData {
    private HostData() {
    }

    static float[] toFloats(Tensor t) {
        Object raw = raw(t);
        if (raw instanceof float[] f) {
            return f;
        }
        double[] d = raw instanceof double[] dd ? dd : ints(raw);
        float[] out = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            out[i] = (float) d[i];
        }
        return out;
    }

    static double[] toDoubles(Tensor t) {
        Object raw = raw(t);
        if (raw instanceof double[] d) {
            return d;
        }
        if (raw instanceof float[] f) {
            double[] out = new double[f.length];
            for (int i = 0; i < f.length; i++) {
                out[i] = f[i];
            }
            return out;
        }
        return ints(raw);
    }

    static int[] toInts(Tensor t) {
        Object raw = raw(t);
        if (raw instanceof int[] v) {
            return v;
        }
        double[] d = toDoubles(t);
        int[] out = new int[d.length];
        for (int i = 0; i < d.length; i++) {
            out[i] = (int) d[i];
        }
        return out;
    }

    private static double[] ints(Object raw) {
        int[] v = (int[]) raw;
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i];
        }
        return out;
    }

    /** The elements in the tensor's own dtype: a float[], double[] or int[]. */
    private static Object raw(Tensor t) {
        if (t.numel() > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException("toArray: tensor " + t.describe() + " has too many elements for a Java array");
        }
        int n = (int) t.numel();
        try (Scope tmp = TensorInternals.hooks().openTemporaryScope()) {
            Tensor c = NoGradOps.dense(t);
            switch (t.dtype()) {
                case FLOAT32: {
                    float[] out = new float[n];
                    t.backend().copyToHost(c.buffer(), c.offset(), FloatBuffer.wrap(out));
                    return out;
                }
                case FLOAT64: {
                    double[] out = new double[n];
                    t.backend().copyToHost(c.buffer(), c.offset(), DoubleBuffer.wrap(out));
                    return out;
                }
                default: {
                    int[] out = new int[n];
                    t.backend().copyToHost(c.buffer(), c.offset(), IntBuffer.wrap(out));
                    return out;
                }
            }
        }
    }
}
