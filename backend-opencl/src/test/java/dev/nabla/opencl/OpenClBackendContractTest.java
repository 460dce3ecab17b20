package dev.nabla.opencl;

import dev.nabla.backend.BackendContractTest;
import dev.nabla.backend.BackendProvider;

/**
 * The backend contract on OpenCL device 0 (POCL on the CPU in CI): every shared kernel and all of
 * KernelBackend's dispatch that the CUDA backend reuses. Skips with the report's reason where no
 * OpenCL platform exists.
 */
class OpenClBackendContractTest extends BackendContractTest {
    @Override
    protected BackendProvider provider() {
        return new OpenClProvider();
    }
}
