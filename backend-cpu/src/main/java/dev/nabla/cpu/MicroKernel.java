package dev.nabla.cpu;

/**
 * A register-tiled GEMM micro-kernel: {@code C[mr x nr] += Ap · Bp} over {@code kc} steps, where
 * {@code Ap} is an A micro-panel packed k-major ({@code a[ao + p·mr + i]}) and {@code Bp} a B
 * micro-panel packed k-major ({@code b[bo + p·nr + j]}); C is row-major with row stride {@code ldc}.
 */
abstract class MicroKernel {
    final String name;
    final int mr;
    final int nr;

    MicroKernel(String name, int mr, int nr) {
        this.name = name;
        this.mr = mr;
        this.nr = nr;
    }

    abstract static class F32 extends MicroKernel {
        F32(String name, int mr, int nr) {
            super(name, mr, nr);
        }

        abstract void run(int kc, float[] a, int ao, float[] b, int bo, float[] c, int co, int ldc);
    }

    abstract static class F64 extends MicroKernel {
        F64(String name, int mr, int nr) {
            super(name, mr, nr);
        }

        abstract void run(int kc, double[] a, int ao, double[] b, int bo, double[] c, int co, int ldc);
    }

    /** Plain Java 4x4 kernel: 16 scalar accumulators. Used when the Vector API is absent or refused. */
    static F32 scalarF32() {
        return new F32("scalar 4x4", 4, 4) {
            @Override
            void run(int kc, float[] a, int ao, float[] b, int bo, float[] c, int co, int ldc) {
                float c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
                float c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0;
                for (int p = 0; p < kc; p++) {
                    float b0 = b[bo], b1 = b[bo + 1], b2 = b[bo + 2], b3 = b[bo + 3];
                    float a0 = a[ao], a1 = a[ao + 1], a2 = a[ao + 2], a3 = a[ao + 3];
                    c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
                    c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
                    c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
                    c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
                    ao += 4;
                    bo += 4;
                }
                c[co] += c00; c[co + 1] += c01; c[co + 2] += c02; c[co + 3] += c03;
                co += ldc;
                c[co] += c10; c[co + 1] += c11; c[co + 2] += c12; c[co + 3] += c13;
                co += ldc;
                c[co] += c20; c[co + 1] += c21; c[co + 2] += c22; c[co + 3] += c23;
                co += ldc;
                c[co] += c30; c[co + 1] += c31; c[co + 2] += c32; c[co + 3] += c33;
            }
        };
    }

    static F64 scalarF64() {
        return new F64("scalar 4x4", 4, 4) {
            @Override
            void run(int kc, double[] a, int ao, double[] b, int bo, double[] c, int co, int ldc) {
                double c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
                double c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0;
                for (int p = 0; p < kc; p++) {
                    double b0 = b[bo], b1 = b[bo + 1], b2 = b[bo + 2], b3 = b[bo + 3];
                    double a0 = a[ao], a1 = a[ao + 1], a2 = a[ao + 2], a3 = a[ao + 3];
                    c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
                    c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
                    c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
                    c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
                    ao += 4;
                    bo += 4;
                }
                c[co] += c00; c[co + 1] += c01; c[co + 2] += c02; c[co + 3] += c03;
                co += ldc;
                c[co] += c10; c[co + 1] += c11; c[co + 2] += c12; c[co + 3] += c13;
                co += ldc;
                c[co] += c20; c[co + 1] += c21; c[co + 2] += c22; c[co + 3] += c23;
                co += ldc;
                c[co] += c30; c[co + 1] += c31; c[co + 2] += c32; c[co + 3] += c33;
            }
        };
    }
}
