package dev.nabla.autograd;

import dev.nabla.Tensor;
import dev.nabla.internal.TensorInternals;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Early release of a backward pass's gradients. A gradient made by the pass (id at or above the
 * pass's first id) is closed as soon as no pending sum holds it; one handed to a leaf as its
 * {@code grad()} is never closed. Tensors made before the pass (a user's seed, saved tensors a
 * backward returned as is) are never closed here.
 */
final class GradientLifetimes {
    /** Marks a gradient now owned by a leaf. */
    private static final int ADOPTED = 1 << 30;

    private final long firstId;
    private final TensorInternals.Hooks tensors = TensorInternals.hooks();
    /** How many pending sums hold each gradient. */
    private final Map<Tensor, Integer> holders = new IdentityHashMap<>();

    GradientLifetimes(long firstId) {
        this.firstId = firstId;
    }

    /** {@code g} now waits for a node (one more holder). */
    void handedOn(Tensor g) {
        holders.merge(g, 1, Integer::sum);
    }

    /** A node took {@code g} out of its pending slot (one holder less). */
    void consumed(Tensor g) {
        holders.merge(g, -1, Integer::sum);
    }

    /** Closes {@code g} if the pass made it and nothing holds it any more. */
    void releaseIfDone(Tensor g) {
        if (g.id() >= firstId && holders.getOrDefault(g, 0) <= 0 && !g.isClosed()) {
            g.close();
        }
    }

    /**
     * Delivers {@code g} to a leaf's {@code grad()}: a gradient this pass made, held by nothing else
     * and returned once by its backward, becomes the leaf's gradient as is; otherwise it is added in.
     */
    void deliverToLeaf(Tensor leaf, Tensor g, Tensor[] siblings) {
        boolean own = g.id() >= firstId && holders.getOrDefault(g, 0) <= 0 && occurrences(siblings, g) == 1;
        if (own && tensors.adoptGrad(leaf, g)) {
            holders.put(g, ADOPTED);
        } else {
            tensors.accumulateGrad(leaf, g);
        }
    }

    private static int occurrences(Tensor[] grads, Tensor g) {
        int n = 0;
        for (Tensor t : grads) {
            if (t == g) {
                n++;
            }
        }
        return n;
    }
}
