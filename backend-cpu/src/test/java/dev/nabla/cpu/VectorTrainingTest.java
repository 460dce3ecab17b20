package dev.nabla.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The vectorised SGD and Adam updates give the scalar updates' bits, for every option, with a tail. */
class VectorTrainingTest {
    private static final int N = 1029;

    private static float[] values(long seed, float scale) {
        float[] v = VectorElementwiseTest.data(seed, N + 8);
        for (int i = 0; i < v.length; i++) {
            v[i] = Float.isFinite(v[i]) ? v[i] * scale : scale;
        }
        return v;
    }

    @ParameterizedTest(name = "momentum={0} dampening={1} weightDecay={2} nesterov={3} first={4}")
    @CsvSource({"0, 0, 0, false, false", "0, 0, 0.01, false, false", "0.9, 0, 0, false, true",
        "0.9, 0.1, 0.001, false, false", "0.9, 0, 0.001, true, false", "0.5, 0, 0, true, true"})
    void sgdMatchesScalar(double momentum, double dampening, double wd, boolean nesterov, boolean first) {
        float[] p1 = values(1, 1f);
        float[] g = values(2, 0.1f);
        float[] v1 = momentum == 0 ? null : values(3, 0.01f);
        float[] p2 = p1.clone();
        float[] v2 = v1 == null ? null : v1.clone();
        TrainingKernels.sgdScalar(p1, 3, g, 1, v1, 2, 5, N, 0.05, momentum, dampening, wd, nesterov, first);
        VectorTraining.sgd(p2, 3, g, 1, v2, 2, 5, N, 0.05, momentum, dampening, wd, nesterov, first);
        assertThat(p2).isEqualTo(p1);
        assertThat(v2).isEqualTo(v1);
    }

    @ParameterizedTest(name = "weightDecay={0} decoupled={1} step={2}")
    @CsvSource({"0, false, 1", "0.01, false, 7", "0.01, true, 3", "0, true, 1000"})
    void adamMatchesScalar(double wd, boolean decoupled, long step) {
        float[] p1 = values(4, 1f);
        float[] g = values(5, 0.1f);
        float[] m1 = values(6, 0.01f);
        float[] v1 = values(7, 0.001f);
        for (int i = 0; i < v1.length; i++) {
            v1[i] = Math.abs(v1[i]);
        }
        float[] p2 = p1.clone();
        float[] m2 = m1.clone();
        float[] v2 = v1.clone();
        TrainingKernels.adamScalar(p1, 1, g, 2, m1, 3, v1, 0, 3, N, 1e-3, 0.9, 0.999, 1e-8, wd, decoupled, step);
        VectorTraining.adam(p2, 1, g, 2, m2, 3, v2, 0, 3, N, 1e-3, 0.9, 0.999, 1e-8, wd, decoupled, step);
        assertThat(p2).isEqualTo(p1);
        assertThat(m2).isEqualTo(m1);
        assertThat(v2).isEqualTo(v1);
    }
}
