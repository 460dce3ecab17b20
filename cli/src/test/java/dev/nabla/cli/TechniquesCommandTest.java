package dev.nabla.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nabla.Device;
import dev.nabla.Nabla;
import dev.nabla.Tensor;
import dev.nabla.autograd.NanGuard;
import dev.nabla.cli.CliTest.Run;
import dev.nabla.data.Datasets;
import dev.nabla.nn.MlpSpec;
import dev.nabla.io.Safetensors;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The training techniques through {@code nabla train}: resuming, NaN guard, ensembles, early stopping, augmentation. */
class TechniquesCommandTest {
    private static final Pattern EPOCH = Pattern.compile("(epoch +\\d+/\\d+) \\d+/\\d+ samples  (step \\d+/\\d+ loss \\S+ acc \\S+ test \\S+(?: val loss \\S+ acc \\S+)?)");
    private static final Pattern TEST_ACCURACY = Pattern.compile("Test accuracy: (\\S+) \\((\\d+)/(\\d+)\\)");

    @TempDir
    Path dir;

    private static Run ok(String... args) {
        Run r = CliTest.run(args);
        assertThat(r.code()).as(r.err() + r.out()).isZero();
        assertThat(r.err()).isEmpty();
        return r;
    }

    private static List<String> epochs(Run r) {
        List<String> out = new ArrayList<>();
        Matcher m = EPOCH.matcher(r.out());
        while (m.find()) {
            out.add(m.group(1) + " " + m.group(2));
        }
        return out;
    }

    private static String accuracyLine(Run r) {
        Matcher m = TEST_ACCURACY.matcher(r.out());
        assertThat(m.find()).as(r.out()).isTrue();
        return m.group();
    }

    private static String[] args(String... extra) {
        List<String> a = new ArrayList<>(List.of("train", "--data", "digits", "--hidden", "24", "--seed", "3",
                "--optimizer", "momentum", "--layer-lr", "0.05,0.02", "--dropout", "0.1", "--batch-norm",
                "--augment-shift", "1", "--augment-noise", "0.1", "--max-norm", "2", "--val-split", "0.1",
                "--patience", "10"));
        a.addAll(List.of(extra));
        return a.toArray(new String[0]);
    }

    @Test
    void aRunStoppedAndResumedEndsWithTheSameParametersBitForBit() {
        Path straight = dir.resolve("straight.safetensors");
        Path half = dir.resolve("half.safetensors");
        Path resumed = dir.resolve("resumed.safetensors");
        Run full = ok(args("--epochs", "6", "--save", straight.toString()));
        ok(args("--epochs", "3", "--save", half.toString()));
        Run second = ok(args("--epochs", "6", "--resume", half.toString(), "--save", resumed.toString()));
        assertThat(second.out()).contains("Resumed:   " + half + " after epoch 3");
        // the resumed run prints epochs 4..6 exactly as the straight run did
        assertThat(epochs(second)).hasSize(3).isEqualTo(epochs(full).subList(3, 6));
        assertThat(accuracyLine(second)).isEqualTo(accuracyLine(full));

        try (Safetensors.Contents a = Safetensors.load(straight, Device.cpu());
             Safetensors.Contents b = Safetensors.load(resumed, Device.cpu());
             Safetensors.Contents h = Safetensors.load(half, Device.cpu())) {
            assertThat(b.tensors().keySet()).isEqualTo(a.tensors().keySet());
            assertThat(a.tensors()).containsKeys("0.weight", "1.running_var", "optim.0.weight.momentum_buffer",
                    "extra.best.0.weight");
            for (Map.Entry<String, Tensor> e : a.tensors().entrySet()) {
                assertThat(rawBits(b.tensors().get(e.getKey()))).as(e.getKey()).containsExactly(rawBits(e.getValue()));
            }
            assertThat(b.metadata()).isEqualTo(a.metadata());
            // and training went on after the checkpoint (so the comparison means something)
            assertThat(rawBits(b.tensors().get("0.weight"))).isNotEqualTo(rawBits(h.tensors().get("0.weight")));
        }
    }

    private static int[] rawBits(Tensor t) {
        float[] v = t.toFloatArray();
        int[] bits = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            bits[i] = Float.floatToRawIntBits(v[i]);
        }
        return bits;
    }

    @Test
    void saveEveryWritesResumableStateAtEveryNthEpoch() {
        TrainingData d = TrainingData.prepare(Datasets.iris(), 0.2, 0, 1, 0, 0);
        TrainingSettings s = new TrainingSettings(MlpSpec.of(4, new int[] {8}, 3, "relu", 0.2), OptimizerChoice.ADAM,
                0.01, null, 0, 32, 5, 0, TrainingSettings.Augmentation.NONE, 0);
        List<String> saved = new ArrayList<>();
        try (Trainer.Result r = new Trainer(Device.cpu(), d, s, null, false).train(1, null,
                (model, opt, extra, resume, accuracy) -> saved.add(resume.get("resume.epoch") + " "
                        + resume.get("resume.rng.dropout") + " " + opt.stepCount()), 2)) {
            assertThat(r.state.epoch()).isEqualTo(5); // the last epoch is saved by the caller, after the report
        }
        assertThat(saved).hasSize(2);
        assertThat(saved.get(0)).startsWith("2 [").endsWith("] 8");   // 120 examples: 4 steps an epoch
        assertThat(saved.get(1)).startsWith("4 [").endsWith("] 16");
        assertThat(saved.get(0)).isNotEqualTo(saved.get(1));          // the dropout generator moved on
    }

    @Test
    void checkNanNamesTheFirstOpThatMadeANonFiniteValue() {
        Run r = CliTest.run("train", "--data", "iris", "--optimizer", "sgd", "--lr", "1e30", "--epochs", "2",
                "--check-nan");
        assertThat(r.code()).isEqualTo(2);
        // the second layer's matmul overflows at the second step, before any NaN could appear
        assertThat(r.err().strip()).matches("nabla: NaN guard: matmul produced (NaN|[+-]Inf) at element \\d+ of its "
                + "output \\[32, 3\\]; inputs \\[32, 128\\], \\[128, 3\\]; training step 2");
        assertThat(NanGuard.isEnabled()).isFalse(); // the command turns the guard off again
        assertThat(NanGuard.step()).isEqualTo(-1);
        // without the guard the same run fails later, at the loss
        Run unguarded = CliTest.run("train", "--data", "iris", "--optimizer", "sgd", "--lr", "1e30", "--epochs", "2");
        assertThat(unguarded.err().strip()).startsWith("nabla: training diverged: the loss is NaN at step 2");
    }

    @Test
    void anEnsembleAveragesItsMembersAndEvaluatesFromItsCheckpoint() {
        Path model = dir.resolve("ensemble.safetensors");
        Run r = ok("train", "--data", "iris", "--epochs", "20", "--hidden", "8", "--ensemble", "3", "--save",
                model.toString());
        assertThat(r.out()).contains("Model:     ensemble of 3 × mlp:4-8-3,relu, 67 parameters each")
                .contains("Member 1/3 (seed 42): test accuracy: ").contains("Member 3/3 (seed 44): ")
                .contains("(ensemble of 3)");
        assertThat(epochs(r)).isEmpty();
        Run single = ok("train", "--data", "iris", "--epochs", "20", "--hidden", "8");
        assertThat(r.out()).contains("Member 1/3 (seed 42): " + accuracyLine(single).replace("Test", "test"));
        Run eval = ok("evaluate", "--model", model.toString());
        assertThat(eval.out()).contains("ensemble of 3 × mlp:4-8-3,relu");
        assertThat(accuracyLine(eval)).isEqualTo(accuracyLine(r));
    }

    @Test
    void earlyStoppingStopsOnTheValidationLossAndKeepsTheBestEpoch() {
        Path model = dir.resolve("early.safetensors");
        Run r = ok("train", "--data", "iris", "--epochs", "300", "--val-split", "0.2", "--patience", "3", "--save",
                model.toString());
        assertThat(r.out()).contains("train 96, validation 24, test 30").contains("early stopping (patience 3)");
        Matcher m = Pattern.compile("Stopped: no better validation loss for 3 epochs after epoch (\\d+); kept epoch (\\d+)")
                .matcher(r.out());
        assertThat(m.find()).as(r.out()).isTrue();
        int last = Integer.parseInt(m.group(1));
        int best = Integer.parseInt(m.group(2));
        assertThat(last).isLessThan(300).isEqualTo(best + 3);
        assertThat(epochs(r)).isNotEmpty().allSatisfy(l -> assertThat(l).contains(" val loss "));
        // the saved model is the best epoch's, the same the command evaluated
        assertThat(accuracyLine(ok("evaluate", "--model", model.toString()))).isEqualTo(accuracyLine(r));
        try (Safetensors.Contents c = Safetensors.load(model, Device.cpu())) {
            assertThat(rawBits(c.tensors().get("0.weight"))).containsExactly(rawBits(c.tensors().get("extra.best.0.weight")));
            assertThat(rawBits(c.tensors().get("0.weight"))).isNotEqualTo(rawBits(c.tensors().get("extra.last.0.weight")));
        }
        Run again = CliTest.run("train", "--data", "iris", "--epochs", "400", "--val-split", "0.2", "--patience", "3",
                "--resume", model.toString());
        assertThat(again.code()).isEqualTo(2);
        assertThat(again.err().strip()).isEqualTo("nabla: --resume " + model + ": that run stopped early at epoch " + last
                + "; there is nothing to continue");
    }

    @Test
    void augmentationNeverTouchesTheTestSetAndBatchNormModelsEvaluate() {
        Path model = dir.resolve("augmented.safetensors");
        Run r = ok("train", "--epochs", "3", "--hidden", "32", "--augment-shift", "1", "--augment-noise", "0.2",
                "--batch-norm", "--save", model.toString());
        assertThat(r.out()).contains("mlp:64-32-10,relu,batchnorm").contains("augmentation (shift 1, noise 0.2)");
        // evaluate never augments: the same accuracy means training's test evaluation was not augmented either
        assertThat(accuracyLine(ok("evaluate", "--model", model.toString()))).isEqualTo(accuracyLine(r));
        // augmentation changes training (same seed, same everything else)
        Run plain = ok("train", "--epochs", "3", "--hidden", "32", "--batch-norm");
        assertThat(epochs(plain).get(0)).isNotEqualTo(epochs(r).get(0));
    }

    @Test
    void everyTechniqueFreesWhatItMadeAndACheckpointWithoutTrainingStateIsRefused() {
        Path model = dir.resolve("all.safetensors");
        long before = Nabla.liveTensors();
        ok("train", "--data", "iris", "--epochs", "6", "--hidden", "8", "--val-split", "0.2", "--patience", "2",
                "--batch-norm", "--max-norm", "2", "--dropout", "0.1", "--layer-lr", "0.01,0.005", "--save",
                model.toString(), "--save-every", "2");
        ok("train", "--data", "iris", "--epochs", "8", "--hidden", "8", "--val-split", "0.2", "--patience", "2",
                "--batch-norm", "--max-norm", "2", "--dropout", "0.1", "--layer-lr", "0.01,0.005", "--resume",
                model.toString());
        ok("train", "--data", "iris", "--epochs", "3", "--hidden", "8", "--ensemble", "2", "--batch-norm");
        assertThat(Nabla.liveTensors()).isEqualTo(before);

        Path stripped = dir.resolve("stripped.safetensors");
        try (Safetensors.Contents c = Safetensors.load(model, Device.cpu())) {
            Map<String, String> meta = new java.util.LinkedHashMap<>(c.metadata());
            meta.keySet().removeIf(k -> k.startsWith("resume."));
            Safetensors.save(stripped, c.tensors(), meta);
        }
        Run r = CliTest.run("train", "--data", "iris", "--epochs", "8", "--hidden", "8", "--val-split", "0.2",
                "--patience", "2", "--batch-norm", "--max-norm", "2", "--dropout", "0.1", "--layer-lr", "0.01,0.005",
                "--resume", stripped.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().strip()).isEqualTo("nabla: " + stripped
                + ": the checkpoint holds no training state to resume (no resume.epoch)");
    }

    @Test
    void perLayerLearningRatesAndMaxNormShowInTheSettings() {
        Run r = ok("train", "--data", "iris", "--epochs", "5", "--hidden", "8,8", "--layer-lr", "0.01,0.005,0.001",
                "--max-norm", "2");
        assertThat(r.out()).contains("Training:  adam, lr 0.01/0.005/0.001 per layer, weight decay 0.0")
                .contains("max-norm 2.0");
        Run uniform = ok("train", "--data", "iris", "--epochs", "5", "--hidden", "8,8", "--lr", "0.01", "--max-norm", "2");
        assertThat(epochs(r).get(4)).isNotEqualTo(epochs(uniform).get(4));
    }
}
