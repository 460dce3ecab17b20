package dev.nabla.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nabla.Device;
import dev.nabla.Nabla;
import dev.nabla.backend.BackendReport;
import dev.nabla.cli.CliTest.Run;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code nabla train} and {@code nabla evaluate} end to end, through {@link NablaCommand#execute}. */
class TrainCommandTest {
    private static final Pattern EPOCH = Pattern.compile("step \\d+/\\d+ loss \\S+ acc \\S+ test \\S+");
    private static final Pattern TEST_ACCURACY = Pattern.compile("Test accuracy: (\\S+) \\((\\d+)/(\\d+)\\)");

    @TempDir
    Path dir;

    private static Run ok(String... args) {
        Run r = CliTest.run(args);
        assertThat(r.code()).as(r.err() + r.out()).isZero();
        assertThat(r.err()).isEmpty();
        return r;
    }

    /** Loss and accuracies of every epoch line (timings and speeds removed), then the final accuracy line. */
    private static List<String> results(Run r) {
        List<String> out = new ArrayList<>();
        Matcher m = EPOCH.matcher(r.out());
        while (m.find()) {
            out.add(m.group());
        }
        out.add(accuracyLine(r));
        return out;
    }

    private static String accuracyLine(Run r) {
        Matcher m = TEST_ACCURACY.matcher(r.out());
        assertThat(m.find()).as(r.out()).isTrue();
        return m.group();
    }

    private static double accuracy(Run r) {
        Matcher m = TEST_ACCURACY.matcher(r.out());
        assertThat(m.find()).as(r.out()).isTrue();
        return Double.parseDouble(m.group(1));
    }

    @Test
    void defaultsTrainTheDigitsToAtLeast96Percent() {
        Run r = ok("train");
        assertThat(r.out()).contains("Data:      digits: 1797 examples, 64 features, 10 classes; train 1438, test 359")
                .contains("Model:     mlp:64-128-10,relu").contains("Training:  adam, lr 0.002").contains("40 epochs")
                .contains("Backend:   cpu");
        assertThat(results(r)).hasSize(41);
        assertThat(accuracy(r)).isGreaterThanOrEqualTo(0.96);
    }

    @Test
    void irisWithDefaultsReachesAtLeast93Percent() {
        Run r = ok("train", "--data", "iris");
        assertThat(r.out()).contains("400 epochs"); // small data: enough epochs for 1,600 steps
        assertThat(r.out().lines().filter(l -> l.startsWith("epoch"))).hasSizeLessThanOrEqualTo(41);
        assertThat(accuracy(r)).isGreaterThanOrEqualTo(0.93);
    }

    @Test
    void theSameSeedGivesIdenticalLossAndAccuracy() {
        String[] args = {"train", "--data", "spirals", "--epochs", "4", "--seed", "7", "--dropout", "0.1",
                "--hidden", "16,16"};
        List<String> first = results(ok(args));
        List<String> second = results(ok(args));
        assertThat(first).hasSize(5);
        assertThat(second).isEqualTo(first);
        args[6] = "8";
        assertThat(results(ok(args))).isNotEqualTo(first);
    }

    @Test
    void evaluateRebuildsTheModelAndPrintsTheSameAccuracy() {
        Path model = dir.resolve("m.safetensors");
        Run train = ok("train", "--epochs", "3", "--hidden", "32", "--optimizer", "momentum", "--save", model.toString());
        assertThat(train.out()).contains("Saved:     " + model);
        Run eval = ok("evaluate", "--model", model.toString(), "--data", "digits");
        assertThat(accuracyLine(eval)).isEqualTo(accuracyLine(train));
        assertThat(eval.out()).contains("mlp:64-32-10,relu").contains("test part, 359 of 1797 examples");
        // the data set is remembered in the checkpoint
        assertThat(accuracyLine(ok("evaluate", "--model", model.toString()))).isEqualTo(accuracyLine(train));
        Run all = ok("evaluate", "--model", model.toString(), "--split", "all");
        assertThat(all.out()).contains("Overall accuracy: ").contains("(", "/1797)");
    }

    @Test
    void trainAndEvaluateLeaveNoTensorBehind() {
        Path model = dir.resolve("leak.safetensors");
        long before = Nabla.liveTensors();
        ok("train", "--data", "iris", "--epochs", "3", "--dropout", "0.2", "--save", model.toString());
        ok("evaluate", "--model", model.toString());
        CliTest.run("evaluate", "--model", model.toString(), "--data", "digits"); // fails after loading the checkpoint
        assertThat(Nabla.liveTensors()).isEqualTo(before);
    }

    @Test
    void generatedSpiralsAreRegeneratedFromTheStoredSeed() {
        Path model = dir.resolve("s.safetensors");
        Run train = ok("train", "--data", "spirals:4", "--epochs", "3", "--seed", "5", "--save", model.toString());
        assertThat(train.out()).contains("spirals: 800 examples, 2 features, 4 classes");
        assertThat(accuracyLine(ok("evaluate", "--model", model.toString()))).isEqualTo(accuracyLine(train));
    }

    @Test
    void csvWithStringLabelsTrainsAndEvaluates() throws IOException {
        Path csv = dir.resolve("flowers.csv");
        StringBuilder sb = new StringBuilder("width,colour,height\n");
        java.util.Random rnd = new java.util.Random(1);
        String[] colours = {"red", "green", "blue"};
        for (int i = 0; i < 90; i++) {
            int c = i % 3;
            sb.append(String.format(java.util.Locale.ROOT, "%.3f,%s,%.3f%n", c + rnd.nextGaussian() * 0.2,
                    colours[c], -c + rnd.nextGaussian() * 0.2));
        }
        Files.writeString(csv, sb);
        Path model = dir.resolve("f.safetensors");
        Run r = ok("train", "--data", "csv:" + csv, "--label-column", "colour", "--epochs", "30", "--save",
                model.toString());
        assertThat(r.out()).contains("flowers.csv: 90 examples, 2 features, 3 classes")
                .contains("true \\ predicted  blue  green  red");
        assertThat(accuracy(r)).isGreaterThan(0.9);
        Run eval = ok("evaluate", "--model", model.toString());
        assertThat(accuracyLine(eval)).isEqualTo(accuracyLine(r));
    }

    @Test
    void plotIsAPng() throws IOException {
        Path png = dir.resolve("curves.png");
        ok("train", "--data", "iris", "--epochs", "5", "--plot", png.toString());
        assertThat(ImageIO.read(png.toFile())).isNotNull().satisfies(img -> assertThat(img.getWidth()).isEqualTo(1280));
    }

    @Test
    void theBackendLineSaysWhyAutoFellBack() {
        Device cpu = Device.cpu();
        BackendReport cuda = BackendReport.unavailable("cuda", "libcuda.so.1 not found");
        BackendReport opencl = BackendReport.unavailable("opencl", "no OpenCL platform");
        assertThat(TrainCommand.backendLine(new Device.Selection(cpu, "auto", List.of()), List.of()))
                .startsWith("Backend:   cpu: ").doesNotContain("fell back");
        // skipped by the selection, and unavailable without having been preferred: both named once
        String line = TrainCommand.backendLine(new Device.Selection(cpu, "auto",
                List.of("cuda unavailable (libcuda.so.1 not found)")), List.of(cpu.report(), cuda, opencl));
        assertThat(line).endsWith("\n           auto fell back: cuda unavailable (libcuda.so.1 not found); "
                + "opencl unavailable (no OpenCL platform)");
        // a backend asked for by name is not a fall-back
        assertThat(TrainCommand.backendLine(new Device.Selection(cpu, "cpu", List.of()), List.of(cuda)))
                .doesNotContain("fell back");
    }

    @Test
    void everyOptimizerAndActivationRuns() {
        for (String opt : List.of("sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "adamw")) {
            Run r = ok("train", "--data", "iris", "--epochs", "2", "--optimizer", opt, "--activation", "tanh",
                    "--weight-decay", "0.001");
            assertThat(r.out()).contains("Training:  " + opt + ", lr ");
        }
        assertThat(ok("train", "--data", "iris", "--epochs", "1", "--hidden", "none", "--activation", "sigmoid").out())
                .contains("mlp:4-3,sigmoid");
    }
}
