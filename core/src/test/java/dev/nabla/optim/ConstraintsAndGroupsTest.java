package dev.nabla.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.nabla.Device;
import dev.nabla.Nabla;
import dev.nabla.Rng;
import dev.nabla.Scope;
import dev.nabla.Tensor;
import dev.nabla.io.Checkpoint;
import dev.nabla.nn.Linear;
import dev.nabla.nn.MlpSpec;
import dev.nabla.nn.Sequential;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Max-norm constraint, per-group hyper-parameters with schedules, and early stopping. */
class ConstraintsAndGroupsTest {
    private static final Device CPU = Device.reference();

    @TempDir
    Path dir;

    private static double columnNorm(float[] w, int rows, int cols, int c) {
        double s = 0;
        for (int r = 0; r < rows; r++) {
            s += (double) w[r * cols + c] * w[r * cols + c];
        }
        return Math.sqrt(s);
    }

    @Test
    void maxNormCapsEachUnitsIncomingWeightsAfterAStepAndLeavesSmallOnesAlone() {
        // [in = 2, out = 3]: column 0 has norm 5, column 1 norm 0.5, column 2 norm 1.3
        float[] init = {3, 0.3f, 0.5f, 4, 0.4f, 1.2f};
        List<Function<List<Tensor>, Optimizer>> optimizers = List.of(p -> new SGD(p, 0.1), p -> new SGD(p, 0.1, 0.9),
                p -> new Adam(p, 0.001), p -> new AdaGrad(p, 0.01), p -> new RMSProp(p, 0.001));
        for (Function<List<Tensor>, Optimizer> make : optimizers) {
            try (Tensor w = Tensor.of(CPU, init, 2, 3).requiresGrad(true);
                 Tensor free = Tensor.of(CPU, init, 2, 3).requiresGrad(true);
                 Optimizer constrained = make.apply(List.of(w)); Optimizer plain = make.apply(List.of(free))) {
                constrained.addConstraint(new MaxNorm(List.of(w), 2.0));
                try (Scope s = Nabla.scope()) {
                    w.sum().backward(); // every gradient 1: a small step
                    free.sum().backward();
                    constrained.step();
                    plain.step();
                }
                float[] after = w.toFloatArray();
                float[] unconstrained = free.toFloatArray();
                String name = constrained.name();
                double n0 = columnNorm(unconstrained, 2, 3, 0);
                assertThat(n0).as(name).isGreaterThan(2.0);
                assertThat(columnNorm(after, 2, 3, 0)).as(name).isCloseTo(2.0, within(1e-5));
                assertThat(after[0]).as(name).isCloseTo((float) (unconstrained[0] * 2 / n0), within(1e-6f));
                assertThat(after[3]).as(name).isCloseTo((float) (unconstrained[3] * 2 / n0), within(1e-6f));
                // the columns within the bound are exactly the unconstrained optimizer's
                assertThat(new float[] {after[1], after[2], after[4], after[5]}).as(name).containsExactly(
                        unconstrained[1], unconstrained[2], unconstrained[4], unconstrained[5]);
            }
        }
        // below the bound: the constraint changes nothing, bit for bit
        try (Tensor w = Tensor.of(CPU, init, 2, 3).requiresGrad(true)) {
            new MaxNorm(List.of(w), 5.5).apply();
            assertThat(w.toFloatArray()).containsExactly(init);
            new MaxNorm(List.of(w), 1.0).apply();
            float[] capped = w.toFloatArray();
            assertThat(columnNorm(capped, 2, 3, 0)).isCloseTo(1.0, within(1e-6));
            assertThat(columnNorm(capped, 2, 3, 1)).isCloseTo(0.5, within(1e-6));
            assertThat(capped[1]).isEqualTo(init[1]);
            assertThat(columnNorm(capped, 2, 3, 2)).isCloseTo(1.0, within(1e-6));
        }
        assertThatThrownBy(() -> new MaxNorm(List.of(), -1)).hasMessageContaining("positive number, got -1.0");
    }

    @Test
    void maxNormOnLinearLayersFindsEveryLinearWeight() {
        try (Sequential m = MlpSpec.parse("mlp:3-4-2,relu").build(CPU, new Rng(1))) {
            Linear first = (Linear) m.get(0);
            try (Scope s = Nabla.scope(); var g = Nabla.noGrad()) {
                first.weight().mulInPlace(100);
            }
            MaxNorm.onLinearLayers(m, 0.5).apply();
            float[] w = first.weight().toFloatArray();
            for (int c = 0; c < 4; c++) {
                assertThat(columnNorm(w, 3, 4, c)).isCloseTo(0.5, within(1e-5));
            }
            float[] out = ((Linear) m.get(2)).weight().toFloatArray();
            for (int c = 0; c < 2; c++) {
                assertThat(columnNorm(out, 4, 2, c)).isLessThanOrEqualTo(0.5 + 1e-6);
            }
        }
    }

    @Test
    void eachParameterGroupUsesItsOwnLearningRateAndWeightDecayAndSchedulesScaleEachBase() {
        try (Tensor a = Tensor.of(CPU, new float[] {1, 2}).requiresGrad(true);
             Tensor b = Tensor.of(CPU, new float[] {1, 2}).requiresGrad(true);
             SGD sgd = new SGD(List.of(a, b), 0.1, 0, 0, 0.5, false)) {
            int g = sgd.addParamGroup(List.of(b), Map.of("lr", 0.01, "weight_decay", 0.0));
            assertThat(g).isEqualTo(1);
            assertThat(sgd.groupCount()).isEqualTo(2);
            assertThat(sgd.groupParameters(1)).containsExactly(b);
            assertThat(sgd.hyperParameter(1, "momentum")).isEqualTo(0); // inherited from group 0
            try (Scope s = Nabla.scope()) {
                a.add(b).sum().backward(); // gradients 1
                sgd.step();
            }
            // a: p − 0.1·(1 + 0.5·p); b: p − 0.01·1
            assertThat(a.toFloatArray()).containsExactly(new float[] {0.85f, 1.8f}, within(1e-6f));
            assertThat(b.toFloatArray()).containsExactly(new float[] {0.99f, 1.99f}, within(1e-6f));

            StepLR schedule = new StepLR(sgd, 1, 0.5);
            assertThat(sgd.lr(0)).isEqualTo(0.1);
            assertThat(sgd.lr(1)).isEqualTo(0.01);
            schedule.step();
            assertThat(sgd.lr(0)).isEqualTo(0.05);
            assertThat(sgd.lr(1)).isEqualTo(0.005);
            CosineAnnealing cosine = new CosineAnnealing(sgd, 10, 0);
            cosine.setT(5);
            assertThat(sgd.lr(0)).isCloseTo(0.025, within(1e-12));
            assertThat(sgd.lr(1)).isCloseTo(0.0025, within(1e-12));
            // warm-up from the current rates (0.025 and 0.0025) up to each group's own base
            LinearWarmup warm = new LinearWarmup(sgd, 4, new StepLR(sgd, 100, 0.1));
            assertThat(sgd.lr(0)).isCloseTo(0.025 / 4, within(1e-12));
            assertThat(sgd.lr(1)).isCloseTo(0.0025 / 4, within(1e-12));
            warm.setT(10);
            assertThat(sgd.lr(0)).isCloseTo(0.025, within(1e-12));
            assertThat(sgd.lr(1)).isCloseTo(0.0025, within(1e-12));

            assertThatThrownBy(() -> sgd.addParamGroup(List.of(a), Map.of("betas", 1.0)))
                    .hasMessageContaining("no hyper-parameter 'betas'");
            assertThatThrownBy(() -> sgd.addParamGroup(List.of(a), Map.of("lr", -1.0)))
                    .hasMessageContaining("lr must be finite and >= 0");
            try (Tensor stranger = Tensor.zeros(CPU, 2).requiresGrad(true)) {
                assertThatThrownBy(() -> sgd.addParamGroup(List.of(stranger), Map.of()))
                        .hasMessageContaining("is not a parameter of this optimizer");
            }
            assertThat(sgd.groupCount()).isEqualTo(2);
        }
    }

    @Test
    void parameterGroupsSurviveACheckpointAndMustMatchOnLoad() {
        Path file = dir.resolve("groups.safetensors");
        try (Sequential m = MlpSpec.parse("mlp:3-4-2,relu").build(CPU, new Rng(1));
             Adam adam = new Adam(m.parameters(), 0.01)) {
            adam.addParamGroup(((Linear) m.get(2)).parameters(), Map.of("lr", 0.001, "weight_decay", 0.1));
            try (Scope s = Nabla.scope()) {
                m.forward(Tensor.ones(CPU, 2, 3)).softmaxCrossEntropy(Tensor.of(CPU, new int[] {0, 1})).backward();
                adam.step();
            }
            Checkpoint.save(file, m, adam, Map.of());
            try (Checkpoint ck = Checkpoint.load(file, CPU)) {
                assertThat(ck.meta("optim.groups")).isEqualTo("[{\"params\":[\"0.weight\",\"0.bias\"],\"hyper\":"
                        + "{\"lr\":0.01,\"beta1\":0.9,\"beta2\":0.999,\"eps\":1.0E-8,\"weight_decay\":0.0}},"
                        + "{\"params\":[\"2.weight\",\"2.bias\"],\"hyper\":"
                        + "{\"lr\":0.001,\"beta1\":0.9,\"beta2\":0.999,\"eps\":1.0E-8,\"weight_decay\":0.1}}]");
                try (Adam same = new Adam(m.parameters(), 0.5); Adam single = new Adam(m.parameters(), 0.5)) {
                    same.addParamGroup(((Linear) m.get(2)).parameters(), Map.of());
                    ck.loadInto(same);
                    assertThat(same.lr(0)).isEqualTo(0.01);
                    assertThat(same.lr(1)).isEqualTo(0.001);
                    assertThat(same.hyperParameter(1, "weight_decay")).isEqualTo(0.1);
                    assertThatThrownBy(() -> ck.loadInto(single))
                            .hasMessageEndingWith("optimizer state has 2 parameter group(s), this adam optimizer has 1");
                }
            }
        }
    }

    @Test
    void earlyStoppingStopsAfterPatienceAndRestoresTheBestState() {
        try (Sequential m = MlpSpec.parse("mlp:2-3-2,relu").build(CPU, new Rng(1));
             EarlyStopping stop = new EarlyStopping(2)) {
            Tensor w = m.parameters().get(0);
            float[] atBest = null;
            double[] losses = {1.0, 0.8, 0.9, 0.85, 0.7};
            boolean[] expectStop = {false, false, false, true};
            for (int epoch = 0; epoch < 4; epoch++) {
                try (Scope s = Nabla.scope(); var g = Nabla.noGrad()) {
                    w.addInPlace(Tensor.ones(CPU, 2, 3)); // "training" changes the weights each epoch
                }
                if (epoch == 1) {
                    atBest = w.toFloatArray();
                }
                assertThat(stop.update(losses[epoch], m)).as("epoch %d", epoch + 1).isEqualTo(expectStop[epoch]);
            }
            assertThat(stop.bestEpoch()).isEqualTo(2);
            assertThat(stop.bestLoss()).isEqualTo(0.8);
            assertThat(w.toFloatArray()).isNotEqualTo(atBest);
            stop.restoreBest(m);
            assertThat(w.toFloatArray()).containsExactly(atBest);
        }
        assertThatThrownBy(() -> new EarlyStopping(0)).hasMessageContaining("patience must be at least 1");
    }
}
