package dev.nabla.opencl;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nabla.backend.Backend;
import dev.nabla.backend.BackendReport;

/**
 * One OpenCL backend per test JVM: POCL compiles every program with clang on few cores, so the
 * tests share the programs built once. Tests skip (never fail) where no OpenCL platform exists,
 * with the provider's reason.
 */
final class OpenClTestSupport {
    private static final OpenClProvider PROVIDER = new OpenClProvider();
    private static Backend backend;

    private OpenClTestSupport() {
    }

    static BackendReport report() {
        return PROVIDER.report();
    }

    static synchronized Backend backend() {
        BackendReport r = PROVIDER.report();
        assumeTrue(r.available(), () -> "OpenCL unavailable: " + r.reason());
        if (backend == null) {
            backend = PROVIDER.open(0);
        }
        return backend;
    }
}
