package dev.nabla.backend;

import dev.nabla.Device;
import dev.nabla.autograd.OpGradChecks;
import dev.nabla.backend.contract.BackendContract;
import dev.nabla.backend.contract.ContractCheck;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;

/**
 * The backend contract as JUnit 5 dynamic tests: every backend module extends this class and names
 * its provider. A provider whose report says it is unavailable skips every test with the report's
 * reason (never fails, never passes silently). The backend is opened once per class and closed
 * after the last test.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class BackendContractTest {
    private Backend backend;
    private BackendReport report;

    /** The provider under test. */
    protected abstract BackendProvider provider();

    /**
     * Opens the backend under test: the provider's device {@link #deviceIndex()}, skipped with the
     * report's reason when the provider is unavailable. The reference backend's test overrides it.
     */
    protected Backend open() {
        report = provider().report();
        Assumptions.assumeTrue(report.available(), report.reason());
        return provider().open(deviceIndex());
    }

    /** Device index to open; 0 unless a subclass tests another device. */
    protected int deviceIndex() {
        return 0;
    }

    /**
     * Checks added to the SPI contract: by default every op's forward and backward
     * ({@link OpGradChecks}) on this backend — float64 central differences where it has float64,
     * else float32 against the reference backend's float64 results.
     */
    protected List<ContractCheck> extraChecks() {
        List<ContractCheck> ops = new ArrayList<>();
        for (OpGradChecks.Case c : OpGradChecks.cases()) {
            ops.add(new ContractCheck("op " + c.name(), b -> {
                OpGradChecks.Outcome o = OpGradChecks.run(c, Device.wrap(b));
                if (!o.passed()) {
                    throw new AssertionError(c.name() + ": max relative error " + o.maxRelError() + " > "
                            + o.tolerance() + " (" + o.method() + ")");
                }
            }));
        }
        return ops;
    }

    /** The checks run, in order: the SPI contract, then {@link #extraChecks()}. */
    protected List<ContractCheck> checks() {
        List<ContractCheck> all = new ArrayList<>(BackendContract.checks());
        all.addAll(extraChecks());
        return all;
    }

    /** The open backend (opened on first use; null until then). */
    protected final synchronized Backend backend() {
        if (backend == null) {
            backend = open();
        }
        return backend;
    }

    @TestFactory
    Stream<DynamicTest> contract() {
        return checks().stream().map(check -> DynamicTest.dynamicTest(check.name(), () -> {
            Backend b = backend();
            try {
                check.body().accept(b);
            } catch (ContractCheck.Skipped skipped) {
                Assumptions.assumeTrue(false, skipped.getMessage());
            }
        }));
    }

    @AfterAll
    void closeBackend() {
        if (backend != null) {
            backend.close();
            backend = null;
        }
    }
}
