package dev.nabla.backend.contract;

import dev.nabla.backend.Backend;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * One named check of the backend contract. The body runs against an open backend and throws
 * (an {@link AssertionError} or any exception, with a message that says what differed) on failure;
 * it closes every buffer it allocates.
 *
 * @param name short unique name, e.g. {@code gemm float32 transA=true transB=false}
 * @param body the check
 */
public record ContractCheck(String name, Consumer<Backend> body) {

    public ContractCheck {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(body, "body");
    }

    @Override
    public String toString() {
        return name;
    }

    /**
     * Thrown by a check's body when the check does not apply to the backend (e.g. a FLOAT64 check
     * on a backend without FLOAT64), so that it is reported as skipped, with the reason, rather
     * than as passed.
     */
    public static final class Skipped extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public Skipped(String reason) {
            super(reason, null, false, false);
        }
    }
}
