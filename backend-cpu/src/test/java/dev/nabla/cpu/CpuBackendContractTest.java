package dev.nabla.cpu;

import dev.nabla.backend.BackendContractTest;
import dev.nabla.backend.BackendProvider;

/** The backend contract on the CPU as it opens by default (Vector API GEMM when the module is present). */
class CpuBackendContractTest extends BackendContractTest {
    @Override
    protected BackendProvider provider() {
        return new CpuProvider();
    }
}
