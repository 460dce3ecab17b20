package dev.nabla.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nabla.Device;
import dev.nabla.Nabla;
import dev.nabla.Rng;
import dev.nabla.Scope;
import dev.nabla.Tensor;
import dev.nabla.nn.MlpSpec;
import dev.nabla.nn.Sequential;
import dev.nabla.optim.Adam;
import dev.nabla.optim.Optimizer;
import dev.nabla.optim.SGD;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointTest {
    private static final Device CPU = Device.reference();
    private static final MlpSpec SPEC = MlpSpec.parse("mlp:3-5-2,relu");

    @TempDir
    Path dir;

    private static void trainStep(Sequential model, Optimizer opt, int k) {
        try (Scope s = Nabla.scope()) {
            opt.zeroGrad();
            Tensor x = Tensor.of(CPU, new float[] {1, -1, 0.5f, k, 2, -0.5f}, 2, 3);
            model.forward(x).softmaxCrossEntropy(Tensor.of(CPU, new int[] {0, 1})).backward();
            opt.step();
        }
    }

    @Test
    void savingAndResumingDoesNotChangeTheRun() {
        Sequential straight = SPEC.build(CPU, new Rng(1));
        Sequential first = SPEC.build(CPU, new Rng(1));
        Adam a = new Adam(straight.parameters(), 0.01);
        Adam b = new Adam(first.parameters(), 0.01);
        for (int k = 0; k < 4; k++) {
            trainStep(straight, a, k);
            trainStep(first, b, k);
        }
        Path file = dir.resolve("c.safetensors");
        Checkpoint.save(file, first, b, Map.of("arch", SPEC.toString(), "seed", "1"));

        Safetensors.Header h = Safetensors.readHeader(file);
        assertThat(h.entries()).extracting(Safetensors.Entry::name).containsExactly("0.weight", "0.bias", "2.weight",
                "2.bias", "optim.0.weight.exp_avg", "optim.0.weight.exp_avg_sq", "optim.0.bias.exp_avg",
                "optim.0.bias.exp_avg_sq", "optim.2.weight.exp_avg", "optim.2.weight.exp_avg_sq",
                "optim.2.bias.exp_avg", "optim.2.bias.exp_avg_sq");
        assertThat(h.metadata()).containsEntry("optim.name", "adam").containsEntry("optim.step", "4")
                .containsEntry("optim.hyper", "{\"lr\":0.01,\"beta1\":0.9,\"beta2\":0.999,\"eps\":1.0E-8,\"weight_decay\":0.0}")
                .containsEntry("optim.params", "[\"0.weight\",\"0.bias\",\"2.weight\",\"2.bias\"]")
                .containsEntry("arch", "mlp:3-5-2,relu");

        Sequential resumed;
        Adam c;
        try (Checkpoint ck = Checkpoint.load(file, CPU)) {
            resumed = MlpSpec.parse(ck.meta("arch")).build(CPU, new Rng(99));
            ck.loadInto(resumed);
            c = new Adam(resumed.parameters(), 0.5);
            ck.loadInto(c);
        }
        assertThat(c.lr()).isEqualTo(0.01);
        assertThat(c.stepCount()).isEqualTo(4);
        for (int k = 4; k < 8; k++) {
            trainStep(straight, a, k);
            trainStep(resumed, c, k);
        }
        for (String name : straight.stateDict().keySet()) {
            assertThat(resumed.stateDict().get(name).toFloatArray()).as(name)
                    .containsExactly(straight.stateDict().get(name).toFloatArray());
        }
        List.of(a, b, c).forEach(Optimizer::close);
        List.of(straight, first, resumed).forEach(Sequential::close);
    }

    @Test
    void aCheckpointThatDoesNotFitTheModelNamesFileAndTensor() {
        Path file = dir.resolve("small.safetensors");
        try (Sequential small = MlpSpec.parse("mlp:3-4-2,relu").build(CPU, new Rng(1));
             Sequential model = SPEC.build(CPU, new Rng(1))) {
            Checkpoint.save(file, small, null, Map.of());
            try (Checkpoint ck = Checkpoint.load(file, CPU)) {
                assertThat(ck.optimizer()).isNull();
                assertThatThrownBy(() -> ck.loadInto(model)).isInstanceOf(SafetensorsException.class)
                        .hasMessage(file + ": tensor '0.weight' has shape [3, 4] but the model's parameter has shape [3, 5]");
                try (SGD sgd = new SGD(model.parameters(), 0.1)) {
                    assertThatThrownBy(() -> ck.loadInto(sgd)).hasMessage(file + ": the checkpoint holds no optimizer state");
                }
            }
        }
    }

    @Test
    void optimizerMetadataKeysAreReservedAndForeignTensorsRefused() {
        try (Sequential model = SPEC.build(CPU, new Rng(1)); Sequential other = SPEC.build(CPU, new Rng(2));
             SGD sgd = new SGD(other.parameters(), 0.1)) {
            assertThatThrownBy(() -> Checkpoint.save(dir.resolve("x"), model, null, Map.of("optim.lr", "1")))
                    .hasMessageContaining("the prefix 'optim.' is reserved");
            assertThatThrownBy(() -> Checkpoint.save(dir.resolve("y"), model, sgd, Map.of()))
                    .hasMessageContaining("not a parameter of the model");
        }
    }
}
