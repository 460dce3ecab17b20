package dev.nabla.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The unpacked small-shape GEMM against a double triple loop, with padded leading dimensions and
 * offsets, every transpose, and shapes that reach each of its paths: rows (B as stored, and a
 * transposed B copied first), rows on the transposed problem (transposed A, few columns), dots
 * (with A and/or B copied), vector tails in n and k, and k = 0.
 */
class SmallGemmTest {

    static Stream<Arguments> problems() {
        int[][] shapes = {
            {120, 256, 4}, {120, 3, 256}, {120, 256, 3}, {256, 3, 120}, {4, 256, 120}, {512, 10, 1024},
            {1024, 10, 512}, {512, 1024, 10}, {1, 1, 1}, {7, 17, 33}, {33, 65, 5}, {17, 5, 1}, {5, 70, 0},
            {40, 100, 40}, {11, 31, 300}, {300, 31, 17},
        };
        List<Arguments> args = new ArrayList<>();
        for (int[] s : shapes) {
            for (int t = 0; t < 4; t++) {
                args.add(Arguments.of(s[0], s[1], s[2], (t & 1) != 0, (t & 2) != 0));
            }
        }
        return args.stream();
    }

    @ParameterizedTest(name = "m={0} n={1} k={2} transA={3} transB={4}")
    @MethodSource("problems")
    void matchesReference(int m, int n, int k, boolean ta, boolean tb) {
        SplittableRandom r = new SplittableRandom(13L * m + 3L * n + k + (ta ? 1 : 0) + (tb ? 2 : 0));
        int lda = (ta ? m : k) + 2;
        int ldb = (tb ? k : n) + 3;
        int ldc = n + 1;
        float[] a = GemmTest.random(r, Math.max(1, (ta ? k : m) * lda + 4));
        float[] b = GemmTest.random(r, Math.max(1, (tb ? n : k) * ldb + 2));
        float[] c0 = GemmTest.random(r, m * ldc + 3);
        double[] expected = GemmTest.reference(ta, tb, m, n, k, 1.25, GemmTest.toDouble(a), 3, lda,
                GemmTest.toDouble(b), 1, ldb, 0.5, GemmTest.toDouble(c0), 2, ldc);
        float[] c = c0.clone();
        SmallGemm.gemm(ta, tb, m, n, k, 1.25f, a, 3, lda, b, 1, ldb, 0.5f, c, 2, ldc);
        assertThat(GemmTest.relativeError(expected, GemmTest.toDouble(c))).isLessThan(1e-6 * (k + 16));

        // beta == 0 must not read C: NaN there may not reach the result.
        float[] nan = new float[c0.length];
        Arrays.fill(nan, Float.NaN);
        double[] expectedNoBeta = GemmTest.reference(ta, tb, m, n, k, -2, GemmTest.toDouble(a), 3, lda,
                GemmTest.toDouble(b), 1, ldb, 0, GemmTest.toDouble(nan), 2, ldc);
        SmallGemm.gemm(ta, tb, m, n, k, -2f, a, 3, lda, b, 1, ldb, 0f, nan, 2, ldc);
        assertThat(GemmTest.relativeError(expectedNoBeta, GemmTest.toDouble(nan))).isLessThan(1e-6 * (k + 16));
    }

    @Test
    void chosenForShapesThatWasteThePackedKernel() {
        assertThat(SmallGemm.suits(512, 10, 1024, 12, 32)).as("few columns").isTrue();
        assertThat(SmallGemm.suits(4, 256, 120, 12, 32)).as("few rows").isTrue();
        assertThat(SmallGemm.suits(512, 1024, 10, 12, 32)).as("short k").isTrue();
        assertThat(SmallGemm.suits(40, 40, 40, 12, 32)).as("little work").isTrue();
        assertThat(SmallGemm.suits(512, 1024, 784, 12, 32)).as("a large product").isFalse();
    }

    @Test
    void sameBitsEveryCall() {
        SplittableRandom r = new SplittableRandom(9);
        float[] a = GemmTest.random(r, 256 * 120);
        float[] b = GemmTest.random(r, 120 * 3);
        float[] first = new float[256 * 3];
        SmallGemm.gemm(true, false, 256, 3, 120, 1f, a, 0, 256, b, 0, 3, 0f, first, 0, 3);
        for (int i = 0; i < 2000; i++) { // through the interpreter and C2
            float[] again = new float[256 * 3];
            SmallGemm.gemm(true, false, 256, 3, 120, 1f, a, 0, 256, b, 0, 3, 0f, again, 0, 3);
            assertThat(again).isEqualTo(first);
        }
    }
}
