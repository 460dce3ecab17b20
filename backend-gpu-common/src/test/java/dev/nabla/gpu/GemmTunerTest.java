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
        GemmTuner.Choice c = GemmTuner.choose(info, false, Path.of("/nonexistent"), 64, 256, (cfg, n) -> {
            throw new AssertionError("timed with autotune off");
        });
        assertThat(c.small()).isEqualTo(GemmConfig.DEFAULT);
        assertThat(c.large()).isEqualTo(GemmConfig.DEFAULT);
        assertThat(c.config(100_000, 100_000, 1, 8)).isEqualTo(GemmConfig.DEFAULT);
        assertThat(c.source()).contains("autotune off");
    }

    @Test
    void eachSizeGetsItsFastestCandidateCachedPerDeviceDriverAndSize(@TempDir Path dir) throws Exception {
        GemmConfig fastSmall = GemmConfig.CANDIDATES.get(2);
        GemmConfig fastLarge = GemmConfig.CANDIDATES.get(1);
        List<String> timed = new ArrayList<>();
        GemmTuner.Choice c = GemmTuner.choose(info, true, dir, 64, 256, (cfg, n) -> {
            timed.add(cfg + "@" + n);
            return cfg.equals(n == 64 ? fastSmall : fastLarge) ? 1e-6 : 2e-6;
        });
        assertThat(c.small()).isEqualTo(fastSmall);
        assertThat(c.large()).isEqualTo(fastLarge);
        assertThat(c.source()).contains("autotuned at n=64", "autotuned at n=256", "cached in");
        List<String> expected = new ArrayList<>();
        for (int n : new int[] {64, 256}) {
            for (int pass = 0; pass < 2; pass++) {
                GemmConfig.CANDIDATES.forEach(cfg -> expected.add(cfg + "@" + n));
            }
        }
        assertThat(timed).as("two interleaved passes per size").containsExactlyElementsOf(expected);
        Properties stored = new Properties();
        try (var in = Files.newInputStream(dir.resolve(GemmTuner.CACHE_FILE))) {
            stored.load(in);
        }
        assertThat(stored).containsEntry("dev A | driver 7.1 | n=64", fastSmall.toString())
                .containsEntry("dev A | driver 7.1 | n=256", fastLarge.toString());

        GemmTuner.Choice again = GemmTuner.choose(info, true, dir, 64, 256, (cfg, n) -> {
            throw new AssertionError("timed although cached");
        });
        assertThat(again.small()).isEqualTo(fastSmall);
        assertThat(again.large()).isEqualTo(fastLarge);
        assertThat(again.source()).contains("autotuned earlier");

        GpuDeviceInfo newDriver = new GpuDeviceInfo("dev A", "7.2", 1L << 30, 1L << 28, true, 8, 1024, 48 * 1024, Map.of());
        List<GemmConfig> retimed = new ArrayList<>();
        GemmTuner.choose(newDriver, true, dir, 64, 256, (cfg, n) -> {
            retimed.add(cfg);
            return 1e-6;
        });
        assertThat(retimed).as("a new driver is tuned again").hasSize(4 * GemmConfig.CANDIDATES.size());
    }

    @Test
    void largeTilesOnlyWhenTheyGiveEveryComputeUnitTwoWorkGroups() {
        GemmConfig large = new GemmConfig(128, 128, 8, 8, 8);
        GemmTuner.Choice c = new GemmTuner.Choice(GemmConfig.DEFAULT, large, "test");
        int units = 8; // 16 tiles of 128x128 needed
        assertThat(c.config(512, 384, 1, units)).as("12 tiles").isEqualTo(GemmConfig.DEFAULT);
        assertThat(c.config(512, 512, 1, units)).as("16 tiles").isEqualTo(large);
        assertThat(c.config(129, 129, 4, units)).as("4 x 4 tiles, edges rounded up").isEqualTo(large);
        assertThat(c.config(128, 128, 15, units)).as("15 tiles").isEqualTo(GemmConfig.DEFAULT);
        assertThat(c.describe(units)).contains(large + " (BMxBNxBK/TMxTN) when", "8 compute units",
                "else " + GemmConfig.DEFAULT);
    }

    @Test
    void aDeviceTooSlowForTheLargeSizeKeepsTheSmallChoice(@TempDir Path dir) {
        List<Integer> sizes = new ArrayList<>();
        GemmTuner.Choice c = GemmTuner.choose(info, true, dir, 64, 1024, (cfg, n) -> {
            sizes.add(n);
            return 0.01; // 10 ms at n=64 is hours at n=1024
        });
        assertThat(sizes).containsOnly(64);
        assertThat(c.large()).isEqualTo(c.small());
        assertThat(c.source()).contains("not tuned at n=1024");
        // With the small size cached, the estimate times its winner once.
        List<Integer> again = new ArrayList<>();
        GemmTuner.choose(info, true, dir, 64, 1024, (cfg, n) -> {
            again.add(n);
            return 0.01;
        });
        assertThat(again).containsExactly(64);
    }

    @Test
    void candidatesThatFailOrDoNotFitAreSkipped(@TempDir Path dir) {
        GpuDeviceInfo small = new GpuDeviceInfo("small", "1", 1L << 30, 1L << 28, false, 1, 256, 9000, Map.of());
        assertThat(GemmTuner.feasible(small, 4)).allMatch(c -> c.localBytes(4) <= 9000);
        GemmTuner.Choice c = GemmTuner.choose(small, true, dir, 32, 32, (cfg, n) -> {
            if (cfg.equals(GemmConfig.DEFAULT)) {
                throw new IllegalStateException("build failed");
            }
            return 0.5;
        });
        assertThat(c.small()).isNotEqualTo(GemmConfig.DEFAULT);
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
