package dev.nabla.backend.contract;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The contract every {@link dev.nabla.backend.Backend} passes: each SPI method checked against the
 * scalar double references of the op tables ({@link dev.nabla.backend.UnaryOp#apply},
 * {@link dev.nabla.backend.BinaryOp#apply}, {@link dev.nabla.backend.ReduceOp#reference},
 * {@link dev.nabla.backend.Philox#uniform}) in FLOAT32 and, where the backend supports it, FLOAT64,
 * over awkward shapes, plus bad input; each optional fast path a backend provides against the rule
 * core would otherwise run, evaluated on the reference backend ({@link dev.nabla.Device#reference()}).
 * Every op of the tables is checked without being named here.
 *
 * <p>Main code, not test code, so that {@code nabla selftest} runs it through {@link ContractRunner}
 * without Maven or JUnit; {@code BackendContractTest} in core's test-jar turns each check into a
 * JUnit dynamic test. Inputs come from seeded {@link java.util.SplittableRandom}s: every run checks
 * the same numbers. Float32 results pass at a relative error
 * {@code max|g − r| / max(max|r|, 1e-12)} of about 1e-5 (gemm: scaled with k), float64 at about 1e-12.
 */
public final class BackendContract {

    private BackendContract() {
    }

    /** Every check, in a stable order, with unique names. */
    public static List<ContractCheck> checks() {
        List<ContractCheck> all = new ArrayList<>();
        all.addAll(MemoryChecks.all());
        all.addAll(GemmChecks.all());
        all.addAll(ElementwiseChecks.all());
        all.addAll(ReductionChecks.all());
        all.addAll(IndexChecks.all());
        all.addAll(LabelChecks.all());
        all.addAll(TrainingChecks.all());
        all.addAll(BadInputChecks.all());
        Set<String> names = new HashSet<>();
        for (ContractCheck c : all) {
            if (!names.add(c.name())) {
                throw new IllegalStateException("duplicate contract check name: " + c.name());
            }
        }
        return List.copyOf(all);
    }
}
