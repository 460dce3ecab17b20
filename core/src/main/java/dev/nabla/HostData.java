package dev.nabla;

import dev.nabla.ops.Kernels;

/** Copies a tensor's elements to Java arrays in row-major order, converting the dtype. */
final class HostData {
    private HostData() {
    }

    static float[] toFloats(Tensor t) {
        Tensor c = dense(t);
        try {
            int n = count(t);
            switch (t.dtype()) {
                case FLOAT32: {
                    float[] out = new float[n];
                    t.backend().copyToHost(c.buffer(), c.offset(), out, 0, n);
                    return out;
                }
                case FLOAT64: {
                    double[] d = new double[n];
                    t.backend().copyToHost(c.buffer(), c.offset(), d, 0, n);
                    float[] out = new float[n];
                    for (int i = 0; i < n; i++) {
                        out[i] = (float) d[i];
                    }
                    return out;
                }
                default: {
                    int[] v = new int[n];
                    t.backend().copyToHost(c.buffer(), c.offset(), v, 0, n);
                    float[] out = new float[n];
                    for (int i = 0; i < n; i++) {
                        out[i] = v[i];
                    }
                    return out;
                }
            }
        } finally {
            release(t, c);
        }
    }

    static double[] toDoubles(Tensor t) {
        Tensor c = dense(t);
        try {
            int n = count(t);
            double[] out = new double[n];
            switch (t.dtype()) {
                case FLOAT64:
                    t.backend().copyToHost(c.buffer(), c.offset(), out, 0, n);
                    break;
                case FLOAT32: {
                    float[] f = new float[n];
                    t.backend().copyToHost(c.buffer(), c.offset(), f, 0, n);
                    for (int i = 0; i < n; i++) {
                        out[i] = f[i];
                    }
                    break;
                }
                default: {
                    int[] v = new int[n];
                    t.backend().copyToHost(c.buffer(), c.offset(), v, 0, n);
                    for (int i = 0; i < n; i++) {
                        out[i] = v[i];
                    }
                }
            }
            return out;
        } finally {
            release(t, c);
        }
    }

    static int[] toInts(Tensor t) {
        if (t.dtype() != DType.INT32) {
            double[] d = toDoubles(t);
            int[] out = new int[d.length];
            for (int i = 0; i < d.length; i++) {
                out[i] = (int) d[i];
            }
            return out;
        }
        Tensor c = dense(t);
        try {
            int n = count(t);
            int[] out = new int[n];
            t.backend().copyToHost(c.buffer(), c.offset(), out, 0, n);
            return out;
        } finally {
            release(t, c);
        }
    }

    private static int count(Tensor t) {
        if (t.numel() > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException("toArray: tensor " + t.describe() + " has too many elements for a Java array");
        }
        return (int) t.numel();
    }

    private static Tensor dense(Tensor t) {
        return t.isContiguous() ? t : Kernels.copy(t);
    }

    private static void release(Tensor t, Tensor c) {
        if (c != t) {
            c.close();
        }
    }
}
