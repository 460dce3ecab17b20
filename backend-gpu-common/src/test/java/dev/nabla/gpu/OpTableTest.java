package dev.nabla.gpu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nabla.backend.BinaryOp;
import dev.nabla.backend.ReduceOp;
import dev.nabla.backend.UnaryOp;
import org.junit.jupiter.api.Test;

/**
 * The kernels' op switches are generated from the op tables, with no GPU and no compiler involved:
 * every op appears with its own code (its ordinal, the one a launch passes) and its own expression,
 * and every kernel source is compiled with the generated header in front.
 */
class OpTableTest {

    @Test
    void everyUnaryOpHasItsCodeAndItsExpressions() {
        String c = OpTable.source();
        for (UnaryOp op : UnaryOp.values()) {
            assertThat(c).contains("#define U_" + op.name() + " " + op.ordinal() + "\n");
            assertThat(c).contains("case U_" + op.name() + ": return " + op.kernel() + ";");
            if (op.derivativeKernel() != null) {
                assertThat(c).contains("case U_" + op.name() + ": return " + op.derivativeKernel() + ";");
            }
        }
    }

    @Test
    void everyBinaryAndReduceOpHasItsCodeAndItsExpressions() {
        String c = OpTable.source();
        for (BinaryOp op : BinaryOp.values()) {
            assertThat(c).contains("#define B_" + op.name() + " " + op.ordinal() + "\n");
            assertThat(c).contains("case B_" + op.name() + ": return " + op.kernel() + ";");
            if (op.supportsInt()) {
                assertThat(c).contains("case B_" + op.name() + ": return " + op.intKernel() + ";");
            }
        }
        for (ReduceOp op : ReduceOp.values()) {
            assertThat(c).contains("#define R_" + op.name() + " " + op.ordinal() + "\n");
            assertThat(c).contains("case R_" + op.name() + ": return " + op.combineKernel() + ";");
        }
    }

    @Test
    void everyKernelFileIsCompiledAfterTheGeneratedTableAndWritesNoSwitchOfItsOwn() {
        for (String file : KernelSources.FILES) {
            String source = KernelSources.openClSource(file);
            assertThat(source.indexOf(OpTable.source())).as(file).isGreaterThan(0)
                    .isLessThan(source.indexOf("#line 1 \"" + file + "\""));
            String own = KernelSources.read(file);
            assertThat(own).as(file).doesNotContain("#define U_").doesNotContain("#define B_")
                    .doesNotContain("#define R_").doesNotContain("case U_").doesNotContain("case B_");
        }
        assertThat(KernelSources.CUDA_HEADERS).endsWith(OpTable.HEADER);
    }

    @Test
    void theSourceHashOfABuildFollowsTheOpTable() {
        KernelSources.Build elementwise = KernelSources.real(KernelSources.ELEMENTWISE, "float");
        String hash = KernelSources.sourceHash(elementwise);
        assertThat(hash).hasSize(64).isEqualTo(KernelSources.sourceHash(elementwise));
        assertThat(KernelSources.sourceHash(KernelSources.real(KernelSources.ELEMENTWISE, "double"))).isNotEqualTo(hash);
    }
}
