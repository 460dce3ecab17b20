package dev.nabla.cuda.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A dry run of the GPU benchmark at tiny sizes on the CPU backend: every metric is measured and written. */
class GpuBenchTest {

    @Test
    void tinyRunOnTheCpuWritesEveryMetric(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("nabla.tsv");
        GpuBench.main(new String[] {"--backend", "cpu", "--tiny", "--out", out.toString()});
        List<String> rows = Files.readAllLines(out);
        assertThat(rows).extracting(r -> r.split("\t")[0]).containsExactly(
                "sgemm_64_cpu", "sgemm_96_cpu", "relu_65536_cpu", "softmax_ce_64x32_cpu", "softmax_ce_64x32_spi_cpu",
                "mlp_16-32-32-10_b8_cpu", "mlp_32-48-48-10_b16_cpu");
        for (String row : rows) {
            String[] f = row.split("\t");
            assertThat(f).hasSize(5);
            assertThat(Double.parseDouble(f[1])).as(row).isPositive().isFinite();
            assertThat(f[4]).isIn("higher", "lower");
        }
        assertThat(rows.get(0).split("\t")[3]).isEqualTo("sgemm_64");
    }

    @Test
    void profileRecordsTheFirstMlpsStepsWithTheFlightRecorder(@TempDir Path dir) throws Exception {
        Path jfr = dir.resolve("mlp.jfr");
        GpuBench.main(new String[] {"--backend", "cpu", "--tiny", "--only", "mlp", "--profile", jfr.toString(),
            "--profile-seconds", "0.2", "--out", dir.resolve("nabla.tsv").toString()});
        assertThat(jfr).exists();
        try (var recording = new jdk.jfr.consumer.RecordingFile(jfr)) {
            assertThat(recording.hasMoreEvents()).isTrue();
        }
    }

    @Test
    void overheadModeMeasuresSingleCallsAndThePartsOfTheFirstMlpStep(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("nabla.tsv");
        GpuBench.main(new String[] {"--backend", "cpu", "--tiny", "--only", "overhead", "--out", out.toString()});
        List<String> rows = Files.readAllLines(out);
        assertThat(rows).extracting(r -> r.split("\t")[0]).containsExactly(
                "overhead_sync_cpu", "overhead_unary_1_cpu", "overhead_tensor_add_1_cpu", "overhead_gemm_64_cpu",
                "mlp_16-32-32-10_b8_forward_cpu", "mlp_16-32-32-10_b8_fwd_bwd_cpu");
        assertThat(rows).extracting(r -> r.split("\t")[3]).containsExactly(
                "overhead_sync", "overhead_unary_1", "overhead_tensor_add_1", "overhead_gemm_64",
                "mlp_16-32-32-10_b8_forward", "mlp_16-32-32-10_b8_fwd_bwd");
        for (String row : rows) {
            assertThat(Double.parseDouble(row.split("\t")[1])).as(row).isPositive().isFinite();
        }
    }
}
