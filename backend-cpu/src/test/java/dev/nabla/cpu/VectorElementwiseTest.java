package dev.nabla.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nabla.backend.BinaryOp;
import dev.nabla.backend.ReduceOp;
import dev.nabla.backend.UnaryOp;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The Vector API loops give the same bits as the scalar loops they replace, on data with NaN,
 * infinities, signed zeros and subnormals, at offsets, with a length that leaves a tail.
 */
class VectorElementwiseTest {
    private static final int N = 1037;
    private final VectorMath math = new VectorMath();

    /** Random values with every special float sprinkled in. */
    static float[] data(long seed, int n) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] special = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0f, -0f, Float.MIN_VALUE,
            -Float.MIN_VALUE, 1f, -1f, 0.5f, 3f};
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = r.nextInt(8) == 0 ? special[r.nextInt(special.length)] : (float) (r.nextDouble() * 8 - 4);
        }
        return v;
    }

    private static void assertSameBits(float[] expected, float[] actual, String what) {
        for (int i = 0; i < expected.length; i++) {
            assertThat(Float.floatToIntBits(actual[i])).as("%s at %d: %s vs %s", what, i, actual[i], expected[i])
                    .isEqualTo(Float.floatToIntBits(expected[i]));
        }
    }

    @ParameterizedTest
    @EnumSource(UnaryOp.class)
    void unaryMatchesScalar(UnaryOp op) {
        float[] x = data(op.ordinal(), N + 5);
        float[] expected = new float[N + 3];
        float[] actual = new float[N + 3];
        UnaryKernels.applyScalar(op, 0.25f, x, 5, expected, 3, N);
        boolean done = math.unary(op, 0.25f, x, 5, actual, 3, N);
        if (VectorElementwise.hasUnary(op)) {
            assertThat(done).isTrue();
            assertSameBits(expected, actual, op.name());
        }
    }

    @ParameterizedTest
    @EnumSource(UnaryOp.class)
    void aGradientTailGoesThroughTheSameLanesAsTheBody(UnaryOp op) {
        if (!VectorElementwise.hasGradient(op)) {
            return; // core runs the op's backward rule; nothing vectorised to compare
        }
        float[] x = data(10 + op.ordinal(), N + 2);
        float[] y = data(20 + op.ordinal(), N + 1);
        float[] dy = data(30 + op.ordinal(), N);
        float[] whole = new float[N];
        assertThat(math.unaryGrad(op, -0.5f, x, 2, y, 1, dy, 0, whole, 0, N)).isTrue();
        // The same elements again, each alone: all of them then go through the padded tail.
        for (int i = 0; i < N; i += 97) {
            float[] one = new float[1];
            math.unaryGrad(op, -0.5f, x, 2 + i, y, 1 + i, dy, i, one, 0, 1);
            assertThat(Float.floatToIntBits(one[0])).as("%s element %d", op, i)
                    .isEqualTo(Float.floatToIntBits(whole[i]));
        }
    }

    @ParameterizedTest
    @EnumSource(BinaryOp.class)
    void binaryMatchesScalarForUnitAndBroadcastStrides(BinaryOp op) {
        float[] a = data(40 + op.ordinal(), N + 1);
        float[] b = data(50 + op.ordinal(), N + 2);
        int[][] strides = {{1, 1}, {1, 0}, {0, 1}};
        for (int[] s : strides) {
            float[] expected = new float[N + 3];
            float[] actual = new float[N + 3];
            BinaryKernels.rowScalar(op, a, 1, s[0], b, 2, s[1], expected, 3, N);
            boolean done = math.binary(op, a, 1, s[0], b, 2, s[1], actual, 3, N);
            assertThat(done).as("%s strides %d, %d vectorised", op, s[0], s[1]).isEqualTo(op != BinaryOp.POW);
            if (done) {
                assertSameBits(expected, actual, op + " strides " + s[0] + ", " + s[1]);
            }
        }
        assertThat(math.binary(op, a, 0, 2, b, 0, 1, new float[N], 0, N / 2)).as("stride 2 is left to the caller")
                .isFalse();
        assertThat(math.binary(op, a, 0, 0, b, 0, 0, new float[N], 0, N)).as("two scalars").isFalse();
    }

    @ParameterizedTest
    @EnumSource(BinaryOp.class)
    void binaryOverRowsMatchesScalar(BinaryOp op) {
        int rows = 7;
        for (int n : new int[] {3, 16, 37}) {
            float[] a = data(80 + op.ordinal() + n, rows * (n + 2) + 1);
            float[] b = data(90 + op.ordinal() + n, n + 1);
            float[] expected = new float[rows * n + 2];
            float[] actual = new float[rows * n + 2];
            for (int r = 0; r < rows; r++) {
                BinaryKernels.rowScalar(op, a, 1 + r * (n + 2), 1, b, 1, 1, expected, 2 + r * n, n);
            }
            boolean done = math.binaryRows(op, a, 1, n + 2, b, 1, 0, actual, 2, n, rows);
            assertThat(done).isEqualTo(op != BinaryOp.POW);
            if (done) {
                assertSameBits(expected, actual, op + " rows of " + n + " with a broadcast row");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(ReduceOp.class)
    void columnReductionsMatchTheScalarLoop(ReduceOp op) {
        for (int inner : new int[] {1, 15, 16, 67, 256}) {
            int extent = 37;
            float[] x = data(60 + op.ordinal() + inner, extent * inner + 3);
            float[] expected = new float[inner + 2];
            float[] actual = new float[inner + 2];
            ReduceKernels.reduce(SimdLoops.SCALAR, op, x, 3, 0, 1, extent, inner, expected, 2);
            ReduceKernels.reduce(math, op, x, 3, 0, 1, extent, inner, actual, 2);
            assertSameBits(expected, actual, op + " inner " + inner);
        }
    }

    @Test
    void minAndMaxOfRuns() {
        float[] x = new float[N];
        SplittableRandom r = new SplittableRandom(80);
        for (int i = 0; i < N; i++) {
            x[i] = (float) (r.nextDouble() * 200 - 100);
        }
        for (int n : new int[] {0, 1, 7, 16, 33, N - 3}) {
            assertThat(math.max(x, 3, n)).isEqualTo(SimdLoops.SCALAR.max(x, 3, n));
            assertThat(math.min(x, 3, n)).isEqualTo(SimdLoops.SCALAR.min(x, 3, n));
        }
        x[500] = Float.NaN;
        assertThat(math.min(x, 0, N)).isNaN();
        assertThat(math.max(x, 0, N)).isNaN();
        assertThat(math.max(x, 0, 0)).isEqualTo(Float.NEGATIVE_INFINITY);
        assertThat(math.min(x, 0, 0)).isEqualTo(Float.POSITIVE_INFINITY);
    }
}
