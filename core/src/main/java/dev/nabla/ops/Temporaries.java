package dev.nabla.ops;

import dev.nabla.Scope;
import dev.nabla.internal.TensorInternals;

/**
 * The ops' memory discipline in one line: an op body runs in
 * {@code try (Scope tmp = Temporaries.open()) { ... return tmp.keep(result); }}, and every tensor it
 * made besides its result (contiguous copies, intermediate values) is closed when the block ends.
 * What a {@link dev.nabla.autograd.Function} saved for backward survives: autograd holds views of
 * its own outside these scopes.
 */
final class Temporaries {
    private Temporaries() {
    }

    static Scope open() {
        return TensorInternals.hooks().openTemporaryScope();
    }
}
