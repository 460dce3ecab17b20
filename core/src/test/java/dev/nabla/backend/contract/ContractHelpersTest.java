package dev.nabla.backend.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The contract's own machinery: if these were wrong, every backend could pass by accident. */
class ContractHelpersTest {

    @Test
    void checksHaveUniqueNamesAndCoverEverySpiMethod() {
        List<ContractCheck> checks = BackendContract.checks();
        assertThat(new HashSet<>(checks.stream().map(ContractCheck::name).toList())).hasSize(checks.size());
        for (String method : List.of("allocate", "memoryStats", "copyFromHost", "copy ", "cast", "fill", "gemm ",
                "gemmBatched", "unary ", "unaryGrad", "binary", "reduce", "argMax", "softmax ", "logSoftmax",
                "softmaxCrossEntropy", "dropout", "sgdStep", "adamStep", "bad input")) {
            assertThat(checks).as(method).anyMatch(c -> c.name().startsWith(method));
        }
    }

    @Test
    void assertCloseMeasuresRelativeErrorAgainstTheLargestReference() {
        double[] ref = {100, 1, -2};
        CheckSupport.assertClose("ok", ref, new double[] {100, 1.0005, -2}, 1e-5);
        assertThatThrownBy(() -> CheckSupport.assertClose("off", ref, new double[] {100, 1.002, -2}, 1e-5))
                .isInstanceOf(AssertionError.class).hasMessageContaining("off").hasMessageContaining("element 1");
    }

    @Test
    void assertCloseMatchesNaNAndInfinityExactlyAndGuardsUnwrittenElements() {
        double nan = Double.NaN;
        CheckSupport.assertClose("special", new double[] {nan, Double.NEGATIVE_INFINITY, 1},
                new double[] {nan, Double.NEGATIVE_INFINITY, 1}, 0);
        assertThatThrownBy(() -> CheckSupport.assertClose("nan", new double[] {nan, 1}, new double[] {0, 1}, 1))
                .isInstanceOf(AssertionError.class);
        assertThatThrownBy(() -> CheckSupport.assertClose("lost nan", new double[] {1, 1}, new double[] {nan, 1}, 1))
                .isInstanceOf(AssertionError.class);
        boolean[] written = {false, true};
        assertThatThrownBy(() -> CheckSupport.assertClose("padding", new double[] {7, 1}, new double[] {7.0000001, 1},
                written, 1)).isInstanceOf(AssertionError.class).hasMessageContaining("outside the output");
    }

    @Test
    void expectThrowsRejectsTheWrongExceptionAndSilence() {
        assertThatThrownBy(() -> CheckSupport.expectThrows(IllegalArgumentException.class, "x", () -> {
        })).isInstanceOf(AssertionError.class).hasMessageContaining("nothing was thrown");
        assertThatThrownBy(() -> CheckSupport.expectThrows(IllegalArgumentException.class, "x", () -> {
            throw new IllegalStateException("other");
        })).isInstanceOf(AssertionError.class).hasMessageContaining("IllegalStateException");
        assertThatThrownBy(() -> CheckSupport.expectThrows(IllegalArgumentException.class, "x", () -> {
            throw new IllegalArgumentException();
        })).isInstanceOf(AssertionError.class).hasMessageContaining("no message");
    }

    @Test
    void indexVisitsRowMajorOnceForRankZeroAndNeverForEmptyShapes() {
        List<String> seen = new ArrayList<>();
        Index.forEach(new int[] {2, 3}, i -> seen.add(i[0] + "," + i[1]));
        assertThat(seen).containsExactly("0,0", "0,1", "0,2", "1,0", "1,1", "1,2");
        int[] count = {0};
        Index.forEach(new int[0], i -> count[0]++);
        assertThat(count[0]).isEqualTo(1);
        Index.forEach(new int[] {4, 0, 2}, i -> count[0]++);
        assertThat(count[0]).isEqualTo(1);
    }

    @Test
    void runnerReportsFailuresWithoutStopping() {
        List<ContractCheck> checks = List.of(
                new ContractCheck("fails", b -> {
                    throw new AssertionError("boom");
                }),
                new ContractCheck("passes", b -> {
                }),
                new ContractCheck("does not apply", b -> {
                    throw new ContractCheck.Skipped("no float64");
                }));
        List<ContractRunner.Result> results = ContractRunner.run(null, checks);
        assertThat(results).extracting(ContractRunner.Result::passed).containsExactly(false, true, true);
        assertThat(results).extracting(ContractRunner.Result::skipped).containsExactly(false, false, true);
        assertThat(results.get(0).message()).isEqualTo("AssertionError: boom");
        assertThat(results.get(1).message()).isEmpty();
        assertThat(results.get(2).message()).isEqualTo("skipped: no float64");
    }
}
