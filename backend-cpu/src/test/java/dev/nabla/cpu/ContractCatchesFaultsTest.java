package dev.nabla.cpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.nabla.backend.contract.BackendContract;
import dev.nabla.backend.contract.ContractCheck;
import dev.nabla.backend.contract.ContractRunner;
import dev.nabla.cpu.FaultyBackend.Fault;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The contract is only worth something if it fails for a wrong backend: each deliberate fault must
 * make one of the checks it concerns fail, and that check must pass without the fault.
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
        "GATHER_OFF_BY_ONE, gather",
        "SCATTER_OVERWRITES, scatterAdd",
    })
    void faultIsCaught(Fault fault, String checkPrefix) {
        List<ContractCheck> checks = BackendContract.checks().stream()
                .filter(c -> c.name().startsWith(checkPrefix)).toList();
        assertThat(checks).isNotEmpty();
        try (CpuBackend cpu = new CpuBackend(1, "auto")) {
            for (ContractCheck check : checks) {
                ContractRunner.Result withFault = run(new FaultyBackend(cpu, fault), check);
                if (!withFault.passed()) {
                    // the same check passes when the wrapper adds no fault: the fault is what it caught
                    ContractRunner.Result clean = run(new FaultyBackend(cpu, Fault.NONE), check);
                    assertThat(clean.passed()).as(clean.name() + ": " + clean.message()).isTrue();
                    return;
                }
            }
            fail("no check starting with \"" + checkPrefix + "\" noticed " + fault);
        }
    }

    private static ContractRunner.Result run(FaultyBackend backend, ContractCheck check) {
        return ContractRunner.run(backend, List.of(check)).get(0);
    }
}
