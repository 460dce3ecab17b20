package dev.nabla.gpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The candidate list, the warp-tiled kernel's constraints and the builds the candidates need. */
class GemmConfigTest {

    @Test
    void theCandidatesKeepThePlainKernelsAndAddThreeWarpTiledOnes() {
        assertThat(GemmConfig.CANDIDATES).extracting(GemmConfig::toString).containsExactly(
                "64x64x16/4x4", "128x128x8/8x8", "128x64x16/8x4", "32x32x16/2x2",
                "128x128x8/8x8w", "128x128x16/8x8w", "64x64x8/8x8w");
        assertThat(GemmConfig.CANDIDATES.get(0)).isEqualTo(GemmConfig.DEFAULT);
        assertThat(new HashSet<>(GemmConfig.CANDIDATES)).hasSameSizeAs(GemmConfig.CANDIDATES);
        assertThat(GemmConfig.parse("128x128x8/8x8w").warpTiled()).isTrue();
        assertThat(GemmConfig.parse("128x128x8/8x8").warpTiled()).isFalse();
    }

    @Test
    void warpTiledConfigsDefineWtAndTakeTwoBuffersOfLocalMemory() {
        GemmConfig w = GemmConfig.parse("128x128x8/8x8w");
        assertThat(w.defines()).containsEntry("WT", "1").containsEntry("BM", "128").containsEntry("BK", "8");
        assertThat(GemmConfig.DEFAULT.defines()).doesNotContainKey("WT");
        assertThat(w.threadsX() * w.threadsY()).isEqualTo(256);
        assertThat(w.localBytes(4)).isEqualTo(2L * 8 * (132 + 132) * 4);
        assertThat(GemmConfig.parse("128x128x16/8x8w").localBytes(4)).isEqualTo(33_792);
        assertThat(GemmConfig.parse("64x64x8/8x8w").threadsX() * GemmConfig.parse("64x64x8/8x8w").threadsY())
                .isEqualTo(64);
    }

    @Test
    void theWarpTiledKernelsConstraintsAreCheckedWhenAConfigIsMade() {
        // not 8x8 per work-item; BN/8 not a multiple of 4; BM/8 not a multiple of 8; BK not a multiple of 8
        assertThatThrownBy(() -> new GemmConfig(128, 128, 8, 4, 4, true)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("warp-tiled");
        assertThatThrownBy(() -> new GemmConfig(64, 16, 8, 8, 8, true)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new GemmConfig(32, 64, 8, 8, 8, true)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new GemmConfig(128, 128, 4, 8, 8, true)).isInstanceOf(IllegalArgumentException.class);
        assertThat(new GemmConfig(64, 32, 8, 8, 8, true).threadsX()).isEqualTo(4);
    }

    @Test
    void float64RunsThePlainKernelOfTheSameTileElseTheDefault() {
        for (GemmConfig c : GemmConfig.CANDIDATES) {
            GemmConfig d = c.forFloat64();
            assertThat(d.warpTiled()).as(c.toString()).isFalse();
            assertThat(GemmConfig.CANDIDATES).contains(d);
            if (!c.warpTiled()) {
                assertThat(d).isSameAs(c);
            }
        }
        assertThat(GemmConfig.parse("128x128x16/8x8w").forFloat64()).hasToString("128x128x8/8x8");
        assertThat(GemmConfig.parse("64x64x8/8x8w").forFloat64()).isEqualTo(GemmConfig.DEFAULT);
    }

    @Test
    void warpTiledBuildsExistForFloatOnlyWithAndWithoutVectorLoads() {
        List<KernelSources.Build> all = KernelSources.builds(true);
        assertThat(new HashSet<>(all)).hasSameSizeAs(all);
        Set<String> tags = new HashSet<>();
        for (KernelSources.Build b : all) {
            tags.add(b.tag());
        }
        for (GemmConfig c : GemmConfig.CANDIDATES) {
            assertThat(all).contains(KernelSources.gemm("float", c, false), KernelSources.gemm("float", c, true),
                    KernelSources.gemm("double", c.forFloat64(), false));
        }
        assertThat(tags).contains("gemm-REAL_float-BM_128-BN_128-BK_8-TM_8-TN_8-WT_1-VEC_1",
                "gemm-REAL_float-BM_64-BN_64-BK_16-TM_4-TN_4-VEC_0");
        assertThat(tags).noneMatch(t -> t.contains("double") && t.contains("WT_1"));
        assertThat(all.stream().filter(b -> b.file().equals(KernelSources.GEMM))).hasSize(7 * 2 + 4);
        assertThatThrownBy(() -> KernelSources.gemm("double", GemmConfig.parse("64x64x8/8x8w"), false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("float only");
    }
}
