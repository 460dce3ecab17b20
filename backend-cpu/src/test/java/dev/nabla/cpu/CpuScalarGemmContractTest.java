package dev.nabla.cpu;

import dev.nabla.backend.Backend;
import dev.nabla.backend.BackendContractTest;
import dev.nabla.backend.BackendProvider;
import dev.nabla.backend.BackendReport;

/**
 * The contract again with the scalar GEMM micro-kernel forced and two worker threads, so that the
 * fallback a JVM without {@code jdk.incubator.vector} runs is tested on every build, parallel
 * paths included.
 */
class CpuScalarGemmContractTest extends BackendContractTest {
    @Override
    protected BackendProvider provider() {
        return new BackendProvider() {
            private final CpuProvider cpu = new CpuProvider();

            @Override
            public String name() {
                return cpu.name();
            }

            @Override
            public int priority() {
                return cpu.priority();
            }

            @Override
            public BackendReport report() {
                return cpu.report();
            }

            @Override
            public Backend open(int index) {
                return new CpuBackend(2, "scalar");
            }
        };
    }
}
