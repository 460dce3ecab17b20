package dev.nabla.backend;

import dev.nabla.backend.reference.ReferenceBackend;

/**
 * The reference backend passes the contract it is the oracle of: every primitive against the op
 * tables' scalar references, and (declining every optional fast path) every op through core's own
 * compositions, gradient-checked in float64.
 */
class ReferenceBackendContractTest extends BackendContractTest {
    @Override
    protected BackendProvider provider() {
        throw new UnsupportedOperationException("the reference backend has no provider: it is opened directly");
    }

    @Override
    protected Backend open() {
        return new ReferenceBackend();
    }
}
