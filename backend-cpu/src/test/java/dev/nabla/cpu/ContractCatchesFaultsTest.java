package dev.nabla.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nabla.backend.contract.BackendContract;
import dev.nabla.backend.contract.ContractCheck;
import dev.nabla.backend.contract.ContractRunner;
import dev.nabla.cpu.FaultyBackend.Fault;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The contract is only worth something if it fails for a wrong backend: each deliberate fault must
 * make some of the checks it concerns fail, while the same checks pass without the fault.
 */
class ContractCatchesFaultsTest {

    @ParameterizedTest
    @CsvSource({
        "GEMM_IGNORES_BETA, gemm",
        "GEMM_WRITES_LDC_PADDING, gemm",
        "UNARY_SLIGHTLY_OFF, unary EXP",
        "UNARY_GRAD_NEGATED, unaryGrad TANH",
        "BINARY_SWAPS_OPERANDS, binary SUB",
        "REDUCE_EMPTY_GIVES_ZERO, reduce MAX",
        "ARGMAX_LAST_ON_TIES, argMax",
        "SOFTMAX_WITHOUT_MAX, softmax",
        "CROSS_ENTROPY_WRITES_BEFORE_VALIDATING, softmaxCrossEntropy",
        "DROPOUT_OTHER_SEED, dropout",
        "SGD_IGNORES_NESTEROV, sgdStep",
        "ADAM_WITHOUT_BIAS_CORRECTION, adamStep",
        "CAST_ROUNDS, cast",
        "FILL_ONE_SHORT, fill",
    })
    void faultIsCaught(Fault fault, String checkPrefix) {
        List<ContractCheck> checks = BackendContract.checks().stream()
                .filter(c -> c.name().startsWith(checkPrefix)).toList();
        assertThat(checks).isNotEmpty();
        try (CpuBackend cpu = new CpuBackend(1, "auto")) {
            assertThat(failures(new FaultyBackend(cpu, Fault.NONE), checks)).as("without the fault").isEmpty();
            assertThat(failures(new FaultyBackend(cpu, fault), checks)).as("with " + fault).isNotEmpty();
        }
    }

    private static List<String> failures(FaultyBackend backend, List<ContractCheck> checks) {
        return ContractRunner.run(backend, checks).stream().filter(r -> !r.passed())
                .map(r -> r.name() + ": " + r.message()).collect(Collectors.toList());
    }
}
