package dev.nabla.cuda;

import dev.nabla.backend.BackendContractTest;
import dev.nabla.backend.BackendProvider;

/** The backend contract on CUDA device 0; skips with the provider's reason where there is no usable GPU. */
class CudaBackendContractTest extends BackendContractTest {
    private final CudaProvider provider = new CudaProvider();

    @Override
    protected BackendProvider provider() {
        return provider;
    }
}
