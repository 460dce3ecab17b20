package dev.nabla.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.nabla.DType;
import dev.nabla.Device;
import dev.nabla.Nabla;
import dev.nabla.Rng;
import dev.nabla.Scope;
import dev.nabla.Tensor;
import dev.nabla.autograd.GradCheck;
import dev.nabla.io.Checkpoint;
import dev.nabla.optim.Adam;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** BatchNorm1d and LayerNorm: values against hand computations, gradients against central differences. */
class NormalizationTest {
    private static final Device CPU = Device.reference();

    @TempDir
    Path dir;

    private static Tensor randn(Rng rng, int... shape) {
        return Tensor.randn(CPU, DType.FLOAT64, rng, shape);
    }

    @Test
    void batchNormBackwardPassesGradCheckInFloat64() {
        Rng rng = new Rng(1);
        Tensor x = randn(rng, 5, 3);
        Tensor gamma = randn(rng, 3);
        Tensor beta = randn(rng, 3);
        Tensor projection = randn(rng, 5, 3); // sum(bn(x)) alone has zero gradient in x
        GradCheck.Result functional = GradCheck.check(
                in -> BatchNorm1d.normalize(in.get(0), in.get(1), in.get(2), 1e-5).mul(projection).sum(), x, gamma, beta);
        assertThat(functional.passed()).as(functional.toString()).isTrue();

        try (BatchNorm1d bn = new BatchNorm1d(CPU, DType.FLOAT64, 3, 1e-5, 0.1, true)) {
            GradCheck.Result module = GradCheck.check(in -> bn.forward(in.get(0)).mul(projection).sum(), x);
            assertThat(module.passed()).as(module.toString()).isTrue();
        }
    }

    @Test
    void layerNormBackwardPassesGradCheckInFloat64() {
        Rng rng = new Rng(2);
        Tensor x = randn(rng, 4, 6);
        Tensor gamma = randn(rng, 6);
        Tensor beta = randn(rng, 6);
        Tensor projection = randn(rng, 4, 6);
        GradCheck.Result r = GradCheck.check(
                in -> LayerNorm.normalize(in.get(0), in.get(1), in.get(2), 1e-5).mul(projection).sum(), x, gamma, beta);
        assertThat(r.passed()).as(r.toString()).isTrue();
    }

    @Test
    void batchNormUsesBatchStatisticsInTrainingAndRunningOnesInEvaluation() {
        // two features; batch of 4
        float[] data = {1, 10, 2, 20, 3, 30, 6, 40};
        try (Scope s = Nabla.scope(); BatchNorm1d bn = new BatchNorm1d(CPU, DType.FLOAT32, 2, 1e-5, 0.1, true)) {
            Tensor x = Tensor.of(CPU, data, 4, 2);
            float[] y = bn.forward(x).toFloatArray();
            // feature 0: mean 3, biased variance (4+1+0+9)/4 = 3.5
            assertThat(y[0]).isCloseTo((float) ((1 - 3) / Math.sqrt(3.5 + 1e-5)), within(1e-5f));
            assertThat(y[6]).isCloseTo((float) ((6 - 3) / Math.sqrt(3.5 + 1e-5)), within(1e-5f));
            // running statistics, PyTorch semantics: momentum 0.1, unbiased variance 14/3 and 500/3
            assertThat(bn.runningMean().toFloatArray()).containsExactly(new float[] {0.3f, 2.5f}, within(1e-6f));
            assertThat(bn.runningVar().toFloatArray())
                    .containsExactly(new float[] {(float) (0.9 + 0.1 * 14 / 3.0), (float) (0.9 + 0.1 * 500 / 3.0)},
                            within(1e-4f));

            bn.eval();
            float[] e = bn.forward(x).toFloatArray();
            double rm = 0.3, rv = 0.9 + 0.1 * 14 / 3.0;
            assertThat(e[0]).isCloseTo((float) ((1 - rm) / Math.sqrt(rv + 1e-5)), within(1e-5f));
            assertThat(e).isNotEqualTo(y);
            // evaluation leaves the running statistics alone and needs no batch
            assertThat(bn.forward(Tensor.of(CPU, new float[] {1, 10}, 1, 2)).toFloatArray()[0])
                    .isCloseTo((float) ((1 - rm) / Math.sqrt(rv + 1e-5)), within(1e-5f));
            assertThat(bn.runningMean().toFloatArray()).containsExactly(new float[] {0.3f, 2.5f}, within(1e-6f));
            bn.train();
            assertThatThrownBy(() -> bn.forward(Tensor.of(CPU, new float[] {1, 10}, 1, 2)))
                    .hasMessageContaining("training needs more than one example per batch");
            assertThatThrownBy(() -> bn.forward(Tensor.zeros(CPU, 4, 3))).hasMessageContaining("must be [batch, 2]");
        }
    }

    @Test
    void layerNormNormalisesEachRow() {
        try (Scope s = Nabla.scope(); LayerNorm ln = new LayerNorm(CPU, DType.FLOAT32, 3, 1e-5, true)) {
            float[] y = ln.forward(Tensor.of(CPU, new float[] {1, 2, 3, 10, 10, 40}, 2, 3)).toFloatArray();
            double sd0 = Math.sqrt(2 / 3.0 + 1e-5);
            assertThat(y[0]).isCloseTo((float) (-1 / sd0), within(1e-5f));
            assertThat(y[1]).isCloseTo(0f, within(1e-6f));
            assertThat(y[5]).isCloseTo((float) (20 / Math.sqrt(200 + 1e-5)), within(1e-5f));
            ln.eval();
            assertThat(ln.forward(Tensor.of(CPU, new float[] {1, 2, 3}, 1, 3)).toFloatArray()[0])
                    .isCloseTo(y[0], within(1e-6f));
        }
    }

    @Test
    void batchNormStateSurvivesACheckpointRoundTrip() {
        MlpSpec spec = MlpSpec.parse("mlp:3-4-2,relu,batchnorm");
        assertThat(spec.toString()).isEqualTo("mlp:3-4-2,relu,batchnorm");
        Path file = dir.resolve("bn.safetensors");
        float[] expected;
        Tensor x = Tensor.of(CPU, new float[] {1, -1, 0.5f, 3, 2, -0.5f, 0, 1, 1}, 3, 3);
        try (Sequential model = spec.build(CPU, new Rng(1)); Adam adam = new Adam(model.parameters(), 0.05)) {
            assertThat(model.stateDict().keySet()).containsExactly("0.weight", "0.bias", "1.weight", "1.bias",
                    "3.weight", "3.bias", "1.running_mean", "1.running_var");
            assertThat(model.parameters()).hasSize(6); // buffers are not trained
            for (int k = 0; k < 3; k++) {
                try (Scope s = Nabla.scope()) {
                    adam.zeroGrad();
                    model.forward(x).softmaxCrossEntropy(Tensor.of(CPU, new int[] {0, 1, 1})).backward();
                    adam.step();
                }
            }
            model.eval();
            try (Scope s = Nabla.scope()) {
                expected = model.forward(x).toFloatArray();
            }
            Checkpoint.save(file, model, adam, Map.of());
        }
        try (Sequential fresh = spec.build(CPU, new Rng(2)); Checkpoint ck = Checkpoint.load(file, CPU)) {
            assertThat(ck.model()).containsKeys("1.running_mean", "1.running_var");
            fresh.eval();
            try (Scope s = Nabla.scope()) {
                assertThat(fresh.forward(x).toFloatArray()).isNotEqualTo(expected);
            }
            ck.loadInto(fresh);
            try (Scope s = Nabla.scope()) {
                assertThat(fresh.forward(x).toFloatArray()).containsExactly(expected);
            }
        }
        x.close();
    }
}
