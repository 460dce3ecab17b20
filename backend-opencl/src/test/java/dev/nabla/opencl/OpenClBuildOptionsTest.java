package dev.nabla.opencl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nabla.gpu.GemmConfig;
import dev.nabla.gpu.KernelSources;
import org.junit.jupiter.api.Test;

/** What clBuildProgram gets: FMA contraction for GEMM only, never an option that changes IEEE results. */
class OpenClBuildOptionsTest {

    @Test
    void everyGemmBuildEnablesMadAndNoBuildRelaxesMath() {
        for (KernelSources.Build b : KernelSources.builds(true)) {
            String options = OpenClDevice.options(b);
            assertThat(options).as(b.tag()).startsWith(b.options())
                    .doesNotContain("fast-relaxed-math", "unsafe-math", "finite-math", "no-signed-zeros");
            if (b.file().equals(KernelSources.GEMM)) {
                assertThat(options).as(b.tag()).endsWith(" -cl-mad-enable");
            } else {
                assertThat(options).as(b.tag()).isEqualTo(b.options());
            }
        }
        assertThat(OpenClDevice.options(KernelSources.gemm("float", GemmConfig.parse("128x128x8/8x8w"), true)))
                .isEqualTo("-D REAL=float -D BM=128 -D BN=128 -D BK=8 -D TM=8 -D TN=8 -D WT=1 -D VEC=1 -cl-mad-enable");
    }
}
