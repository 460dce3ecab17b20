package dev.nabla.backend.contract;

import dev.nabla.backend.Backend;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs contract checks on one backend without JUnit (for {@code nabla selftest}). A failing check
 * does not stop the others.
 */
public final class ContractRunner {

    /**
     * Outcome of one check.
     *
     * @param name    the check's name
     * @param passed  whether it passed (true for a skipped check, which did not fail)
     * @param message empty when passed; {@code skipped: reason} when skipped; otherwise the failure's
     *                class and message
     * @param millis  wall time of the check
     */
    public record Result(String name, boolean passed, String message, long millis) {
        static final String SKIPPED = "skipped: ";

        /** Whether the check did not apply to the backend ({@link ContractCheck.Skipped}). */
        public boolean skipped() {
            return passed && message.startsWith(SKIPPED);
        }
    }

    private ContractRunner() {
    }

    /** Runs every check of {@link BackendContract#checks()}. */
    public static List<Result> run(Backend backend) {
        return run(backend, BackendContract.checks());
    }

    /** Runs the given checks in order; never throws for a failing check. */
    public static List<Result> run(Backend backend, List<ContractCheck> checks) {
        List<Result> results = new ArrayList<>(checks.size());
        for (ContractCheck check : checks) {
            long start = System.nanoTime();
            String message = "";
            boolean passed;
            try {
                check.body().accept(backend);
                passed = true;
            } catch (ContractCheck.Skipped s) {
                passed = true;
                message = Result.SKIPPED + s.getMessage();
            } catch (Throwable t) { // a check may fail with an Error (AssertionError) or any exception
                if (t instanceof VirtualMachineError vme && !(t instanceof StackOverflowError)) {
                    throw vme;
                }
                passed = false;
                message = t.getClass().getSimpleName() + ": " + t.getMessage();
            }
            results.add(new Result(check.name(), passed, message, (System.nanoTime() - start) / 1_000_000));
        }
        return results;
    }
}
