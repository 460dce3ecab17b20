package dev.nabla.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nabla.Nabla;
import dev.nabla.backend.BackendReport;
import dev.nabla.cli.CliTest.Run;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * train and evaluate on the kernel backends (OpenCL runs on POCL in CI; CUDA where a GPU is):
 * the fused optimizer kernels, dropout, arg-max and checkpoints through the whole command.
 * Skipped, with the backend's reason, where the backend is unavailable.
 */
class KernelBackendTrainingTest {
    private static final Pattern ACCURACY = Pattern.compile("Test accuracy: (\\S+) \\(\\d+/\\d+\\)");

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"opencl", "cuda"})
    void trainsAndEvaluatesOn(String backend) {
        BackendReport report = Nabla.backends().stream().filter(r -> r.backend().equals(backend)).findFirst()
                .orElse(BackendReport.unavailable(backend, "not on the class path"));
        assumeTrue(report.available(), backend + " unavailable: " + report.reason());
        Path model = dir.resolve(backend + ".safetensors");
        long live = Nabla.liveTensors();
        Run train = CliTest.run("train", "--backend", backend, "--epochs", "3", "--dropout", "0.1", "--optimizer",
                "adamw", "--save", model.toString());
        assertThat(train.code()).as(train.err()).isZero();
        assertThat(train.out()).contains("Backend:   " + backend + ":0");
        Matcher m = ACCURACY.matcher(train.out());
        assertThat(m.find()).isTrue();
        assertThat(Double.parseDouble(m.group(1))).isGreaterThan(0.9);
        Run eval = CliTest.run("evaluate", "--model", model.toString(), "--backend", backend);
        assertThat(eval.code()).as(eval.err()).isZero();
        assertThat(eval.out()).contains(m.group());
        assertThat(Nabla.liveTensors()).isEqualTo(live);
    }
}
