package dev.nabla.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nabla.backend.UnaryOp;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The hand-written vector exp against {@link Math#exp}: accuracy over the whole float range and special values. */
class VectorMathTest {
    private final VectorMath math = new VectorMath();

    @Test
    void expIsWithinTwoUlpsEverywhere() {
        int n = 200_003; // not a multiple of the vector length: the tail goes through applyLane
        float[] x = new float[n];
        float[] y = new float[n];
        SplittableRandom r = new SplittableRandom(3);
        for (int i = 0; i < n; i++) {
            x[i] = (float) (r.nextDouble() * 210 - 105);
        }
        math.unary(UnaryOp.EXP, 0f, x, 0, y, 0, n);
        for (int i = 0; i < n; i++) {
            float ref = (float) Math.exp(x[i]);
            if (ref == 0 || Float.isInfinite(ref)) {
                assertThat(y[i]).as("exp(%s)", x[i]).isEqualTo(ref);
            } else if (ref < Float.MIN_NORMAL) {
                assertThat(Math.abs(y[i] - ref)).as("exp(%s)", x[i]).isLessThanOrEqualTo(2 * Math.ulp(ref));
            } else {
                assertThat(Math.abs(y[i] - ref) / Math.ulp(ref)).as("ulps of exp(%s)", x[i]).isLessThanOrEqualTo(2);
            }
        }
    }

    @Test
    void scalarLaneGivesTheVectorBits() {
        int l = jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.length();
        float[] x = VectorElementwiseTest.data(11, 64 * l);
        SplittableRandom r = new SplittableRandom(12);
        for (int i = 0; i < x.length; i += 3) {
            x[i] = (float) (r.nextDouble() * 220 - 110); // the whole range, overflow and underflow included
        }
        float[] vector = new float[x.length];
        for (UnaryOp op : new UnaryOp[] {UnaryOp.EXP, UnaryOp.SIGMOID, UnaryOp.SQRT}) {
            math.unary(op, 0f, x, 0, vector, 0, x.length); // whole vectors: no tail
            for (int i = 0; i < x.length; i++) {
                float[] one = new float[1];
                math.unary(op, 0f, x, i, one, 0, 1); // a tail of one element
                assertThat(Float.floatToIntBits(one[0])).as("%s(%s)", op, x[i]).isEqualTo(Float.floatToIntBits(vector[i]));
            }
        }
    }

    @Test
    void shortRowCrossEntropyGivesTheRowByRowBits() {
        int l = jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.length();
        int rows = 37;
        for (int classes = 1; classes < l; classes++) {
            float[] x = new float[rows * classes + 2];
            SplittableRandom r = new SplittableRandom(classes);
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) (r.nextDouble() * 40 - 20);
            }
            int[] labels = new int[rows + 1];
            for (int i = 0; i < labels.length; i++) {
                labels[i] = r.nextInt(classes);
            }
            float[] loss1 = new float[rows + 3];
            float[] loss2 = new float[rows + 3];
            float[] grad1 = new float[rows * classes + 1];
            float[] grad2 = new float[rows * classes + 1];
            SoftmaxKernels.crossEntropyRows(math, x, 2, labels, 1, loss1, 3, grad1, 1, 0, rows, classes);
            SoftmaxKernels.crossEntropyShortRows(math, x, 2, labels, 1, loss2, 3, grad2, 1, 0, rows, classes);
            assertThat(loss2).as("losses, %d classes", classes).isEqualTo(loss1);
            assertThat(grad2).as("gradients, %d classes", classes).isEqualTo(grad1);
        }
    }

    @Test
    void expSpecialValues() {
        float[] x = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0f, -0f, 88.72f, 88.73f, -103.9f,
            -104f, 1f};
        float[] y = new float[x.length];
        math.unary(UnaryOp.EXP, 0f, x, 0, y, 0, x.length);
        assertThat(y[0]).isNaN();
        assertThat(y[1]).isEqualTo(Float.POSITIVE_INFINITY);
        assertThat(y[2]).isZero();
        assertThat(y[3]).isEqualTo(1f);
        assertThat(y[4]).isEqualTo(1f);
        assertThat(y[5]).isEqualTo((float) Math.exp(88.72f));
        assertThat(y[6]).isEqualTo(Float.POSITIVE_INFINITY);
        assertThat(y[7]).isEqualTo((float) Math.exp(-103.9f));
        assertThat(y[8]).isZero();
        assertThat(Math.abs(y[9] - (float) Math.E)).isLessThanOrEqualTo(Math.ulp((float) Math.E));
    }

    @Test
    void softmaxPiecesAgreeWithScalar() {
        float[] x = new float[1031];
        SplittableRandom r = new SplittableRandom(5);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (r.nextDouble() * 20 - 10);
        }
        x[17] = Float.NaN;
        assertThat(math.max(x, 0, x.length)).isNaN();
        x[17] = 12.5f;
        assertThat(math.max(x, 0, x.length)).isEqualTo(SimdLoops.SCALAR.max(x, 0, x.length));
        float[] y1 = new float[x.length];
        float[] y2 = new float[x.length];
        double s1 = math.expShifted(x, 0, 12.5f, y1, 0, x.length);
        double s2 = SimdLoops.SCALAR.expShifted(x, 0, 12.5f, y2, 0, x.length);
        assertThat(Math.abs(s1 - s2) / s2).isLessThan(1e-6);
        assertThat(math.expShifted(x, 0, 12.5f, null, 0, x.length)).isEqualTo(s1);
    }
}
