package dev.nabla.gpu;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GemmTunerTest {
    private final GpuDeviceInfo info = new GpuDeviceInfo("dev A", "7.1", 1L << 30, 1L << 28, true, 8, 1024, 48 * 1024, Map.of());

    @Test
    void offMeansTheDefaultWithoutTiming() {
        GemmTuner.Choice c = GemmTuner.choose(info, false, Path.of("/nonexistent"), 64, (cfg, n) -> {
            throw new AssertionError("timed with autotune off");
        });
        assertThat(c.config()).isEqualTo(GemmConfig.DEFAULT);
        assertThat(c.source()).contains("autotune off");
    }

    @Test
    void fastestCandidateWinsAndIsCachedPerDeviceAndDriver(@TempDir Path dir) throws Exception {
        GemmConfig fastest = GemmConfig.CANDIDATES.get(2);
        List<GemmConfig> timed = new ArrayList<>();
        GemmTuner.Choice c = GemmTuner.choose(info, true, dir, 64, (cfg, n) -> {
            timed.add(cfg);
            return cfg.equals(fastest) ? 0.001 : 0.002;
        });
        assertThat(c.config()).isEqualTo(fastest);
        assertThat(c.source()).contains("autotuned at n=64").contains("cached in");
        List<GemmConfig> twice = new ArrayList<>(GemmConfig.CANDIDATES);
        twice.addAll(GemmConfig.CANDIDATES);
        assertThat(timed).as("two interleaved passes").containsExactlyElementsOf(twice);
        Properties stored = new Properties();
        try (var in = Files.newInputStream(dir.resolve(GemmTuner.CACHE_FILE))) {
            stored.load(in);
        }
        assertThat(stored).containsEntry("dev A | driver 7.1", fastest.toString());

        GemmTuner.Choice again = GemmTuner.choose(info, true, dir, 64, (cfg, n) -> {
            throw new AssertionError("timed although cached");
        });
        assertThat(again.config()).isEqualTo(fastest);
        assertThat(again.source()).contains("cached in");

        GpuDeviceInfo newDriver = new GpuDeviceInfo("dev A", "7.2", 1L << 30, 1L << 28, true, 8, 1024, 48 * 1024, Map.of());
        List<GemmConfig> retimed = new ArrayList<>();
        GemmTuner.choose(newDriver, true, dir, 64, (cfg, n) -> {
            retimed.add(cfg);
            return 1;
        });
        assertThat(retimed).as("a new driver is tuned again").hasSize(2 * GemmConfig.CANDIDATES.size());
    }

    @Test
    void candidatesThatFailOrDoNotFitAreSkipped(@TempDir Path dir) {
        GpuDeviceInfo small = new GpuDeviceInfo("small", "1", 1L << 30, 1L << 28, false, 1, 256, 9000, Map.of());
        assertThat(GemmTuner.feasible(small, 4)).allMatch(c -> c.localBytes(4) <= 9000);
        GemmTuner.Choice c = GemmTuner.choose(small, true, dir, 32, (cfg, n) -> {
            if (cfg.equals(GemmConfig.DEFAULT)) {
                throw new IllegalStateException("build failed");
            }
            return 0.5;
        });
        assertThat(c.config()).isNotEqualTo(GemmConfig.DEFAULT);
        assertThat(c.source()).contains(GemmConfig.DEFAULT + " failed");
    }

    @Test
    void everyCandidateParsesBackAndHasWholeWorkGroups() {
        for (GemmConfig c : GemmConfig.CANDIDATES) {
            assertThat(GemmConfig.parse(c.toString())).isEqualTo(c);
            assertThat(c.threadsX() * c.threadsY()).isLessThanOrEqualTo(256);
            assertThat(c.localBytes(8)).isLessThanOrEqualTo(48 * 1024);
        }
        assertThat(GemmConfig.parse("1x2x3/4x5")).isNull();
    }
}
