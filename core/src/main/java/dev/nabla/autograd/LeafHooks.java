package dev.nabla.autograd;

import dev.nabla.Tensor;
import dev.nabla.internal.TensorInternals;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a leaf's post-accumulate hooks ({@link Tensor#registerPostAccumulateGradHook}) as soon as
 * the pass can add nothing more to its gradient: when every edge from a node of the pass into the
 * leaf has been followed (or skipped, for nodes no gradient reached). Tracks only leaves that have
 * hooks, so a pass without any costs one check per leaf edge.
 */
final class LeafHooks {
    private static final LeafHooks NONE = new LeafHooks(null, Map.of());

    private final TensorInternals.Hooks tensors;
    /** Per hooked leaf: edges still to come, and whether a gradient arrived. */
    private final Map<Tensor, int[]> remaining;

    private LeafHooks(TensorInternals.Hooks tensors, Map<Tensor, int[]> remaining) {
        this.tensors = tensors;
        this.remaining = remaining;
    }

    static LeafHooks of(List<Node> order, TensorInternals.Hooks tensors) {
        Map<Tensor, int[]> remaining = null;
        for (Node node : order) {
            for (Tensor in : node.inputs()) {
                if (in != null && in.requiresGrad() && in.gradFn() == null && tensors.hasPostAccumulateHooks(in)) {
                    if (remaining == null) {
                        remaining = new IdentityHashMap<>();
                    }
                    remaining.computeIfAbsent(in, k -> new int[2])[0]++;
                }
            }
        }
        return remaining == null ? NONE : new LeafHooks(tensors, remaining);
    }

    /** One edge into {@code leaf} was followed; {@code delivered}: it carried a gradient. */
    void contributed(Tensor leaf, boolean delivered) {
        int[] state = remaining.get(leaf);
        if (state == null) {
            return;
        }
        if (delivered) {
            state[1] = 1;
        }
        if (--state[0] == 0) {
            remaining.remove(leaf);
            if (state[1] == 1) {
                tensors.runPostAccumulateHooks(leaf);
            }
        }
    }

    /** No gradient reached {@code node}: its edges into leaves carry nothing. */
    void skipped(Node node) {
        if (remaining.isEmpty()) {
            return;
        }
        for (Tensor in : node.inputs()) {
            if (in != null && in.requiresGrad() && in.gradFn() == null) {
                contributed(in, false);
            }
        }
    }
}
