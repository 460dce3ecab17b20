package dev.nabla.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The packed GEMM driver directly on arrays, against a double triple loop: shapes that cross every
 * block boundary (KC, MC, NC, KB and the micro-tile edges), every transpose, both micro-kernels, one
 * and three threads (three does not divide the work evenly).
 */
class GemmTest {
    private static final CpuKernels VECTOR = CpuKernels.vectorModulePresent() ? CpuKernels.select("vector") : null;
    private static final CpuKernels SCALAR = CpuKernels.select("scalar");

    static Stream<Arguments> problems() {
        int[][] shapes = {
            {1, 1, 1}, {1, 40, 3}, {40, 1, 3}, {13, 33, 1}, {12, 32, 256}, {12, 32, 257}, {25, 65, 300},
            {193, 35, 20}, {11, 1030, 9}, {200, 70, 520}, {97, 1100, 31}, {3, 5, 700}, {13, 40, 2100},
        };
        List<Arguments> args = new ArrayList<>();
        int i = 0;
        for (int[] s : shapes) {
            for (int t = 0; t < 4; t++) {
                args.add(Arguments.of(s[0], s[1], s[2], (t & 1) != 0, (t & 2) != 0, 1 + 2 * (i++ % 2)));
            }
        }
        return args.stream();
    }

    @ParameterizedTest(name = "m={0} n={1} k={2} transA={3} transB={4} threads={5}")
    @MethodSource("problems")
    void float32MatchesReference(int m, int n, int k, boolean ta, boolean tb, int threads) {
        SplittableRandom r = new SplittableRandom(31L * m + 7L * n + k + (ta ? 1 : 0) + (tb ? 2 : 0));
        int lda = (ta ? m : k) + 3;
        int ldb = (tb ? k : n) + 1;
        int ldc = n + 2;
        float[] a = random(r, (ta ? k : m) * lda + 5);
        float[] b = random(r, (tb ? n : k) * ldb + 5);
        float[] c0 = random(r, m * ldc + 5);
        double[] expected = reference(ta, tb, m, n, k, 0.75, toDouble(a), 2, lda, toDouble(b), 1, ldb, -1.5,
                toDouble(c0), 3, ldc);
        for (CpuKernels kernels : VECTOR == null ? List.of(SCALAR) : List.of(SCALAR, VECTOR)) {
            float[] c = c0.clone();
            try (Parallel par = new Parallel(threads)) {
                GemmF32.gemm(kernels.f32(), par, ta, tb, m, n, k, 0.75f, a, 2, lda, b, 1, ldb, -1.5f, c, 3, ldc);
            }
            assertThat(relativeError(expected, toDouble(c))).as(kernels.description()).isLessThan(1e-6 * (k + 16));
        }
    }

    @ParameterizedTest(name = "m={0} n={1} k={2} transA={3} transB={4} threads={5}")
    @MethodSource("problems")
    void float64MatchesReference(int m, int n, int k, boolean ta, boolean tb, int threads) {
        SplittableRandom r = new SplittableRandom(17L * m + 5L * n + k + (ta ? 1 : 0) + (tb ? 2 : 0));
        int lda = (ta ? m : k) + 1;
        int ldb = (tb ? k : n) + 2;
        int ldc = n + 1;
        double[] a = toDouble(random(r, (ta ? k : m) * lda + 3));
        double[] b = toDouble(random(r, (tb ? n : k) * ldb + 3));
        double[] c0 = toDouble(random(r, m * ldc + 3));
        java.util.Arrays.fill(c0, Double.NaN); // beta == 0 must not read C
        double[] expected = reference(ta, tb, m, n, k, -2, a, 0, lda, b, 3, ldb, 0, c0, 1, ldc);
        for (CpuKernels kernels : VECTOR == null ? List.of(SCALAR) : List.of(SCALAR, VECTOR)) {
            double[] c = c0.clone();
            try (Parallel par = new Parallel(threads)) {
                GemmF64.gemm(kernels.f64(), par, ta, tb, m, n, k, -2, a, 0, lda, b, 3, ldb, 0, c, 1, ldc);
            }
            assertThat(relativeError(expected, c)).as(kernels.description()).isLessThan(1e-14 * (k + 16));
        }
    }

    private static float[] random(SplittableRandom r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (2 * r.nextDouble() - 1);
        }
        return v;
    }

    private static double[] toDouble(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }

    /** C outside the m x n window keeps its values (NaN included). */
    private static double[] reference(boolean ta, boolean tb, int m, int n, int k, double alpha, double[] a, int ao,
                                      int lda, double[] b, int bo, int ldb, double beta, double[] c, int co, int ldc) {
        double[] out = c.clone();
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) {
                    s += a[ao + (ta ? p * lda + i : i * lda + p)] * b[bo + (tb ? j * ldb + p : p * ldb + j)];
                }
                int ci = co + i * ldc + j;
                out[ci] = alpha * s + (beta == 0 ? 0 : beta * c[ci]);
            }
        }
        return out;
    }

    /** max|g - r| / max|r| over finite references; a NaN reference must stay NaN. */
    private static double relativeError(double[] expected, double[] actual) {
        double max = 1e-12;
        double err = 0;
        for (int i = 0; i < expected.length; i++) {
            if (Double.isNaN(expected[i])) {
                if (!Double.isNaN(actual[i])) {
                    return Double.POSITIVE_INFINITY;
                }
                continue;
            }
            max = Math.max(max, Math.abs(expected[i]));
            err = Math.max(err, Math.abs(expected[i] - actual[i]));
        }
        return Double.isNaN(err) ? Double.POSITIVE_INFINITY : err / max;
    }
}
