package dev.nabla.autograd;

import dev.nabla.Scope;
import dev.nabla.Tensor;
import dev.nabla.internal.TensorInternals;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The chain rule over a topological order: each node gets the sum of the gradients its consumers
 * sent it, runs its {@link Function#backward}, and sends each input its part. Leaves collect theirs
 * in {@code grad()}. Memory is {@link GradientLifetimes}' business; this class only says when a
 * gradient is made, handed on, or consumed.
 */
final class ChainRule {
    private final TensorInternals.Hooks tensors;
    private final GradientLifetimes lifetimes;
    private final LeafHooks leafHooks;
    /** The summed gradient waiting for each node not yet run. */
    private final Map<Node, Tensor> pending = new IdentityHashMap<>();

    ChainRule(TensorInternals.Hooks tensors, GradientLifetimes lifetimes, LeafHooks leafHooks) {
        this.tensors = tensors;
        this.lifetimes = lifetimes;
        this.leafHooks = leafHooks;
    }

    /**
     * @param order    nodes from the root, each after its consumers
     * @param g0       the gradient of the root node's output
     * @param onesSeed whether {@code g0} is backward()'s seed of ones (its function may skip the product)
     */
    void propagate(List<Node> order, Tensor g0, boolean onesSeed) {
        pending.put(order.get(0), g0);
        lifetimes.handedOn(g0);
        for (Node node : order) {
            Tensor g = pending.remove(node);
            if (g == null) {
                leafHooks.skipped(node); // no gradient reached it: its leaves get nothing from here
                continue;
            }
            lifetimes.consumed(g);
            Tensor[] inputs = node.inputs();
            Tensor[] grads = runBackward(node, g, onesSeed && g == g0, inputs.length);
            for (int i = 0; i < inputs.length; i++) {
                send(node, i, inputs[i], grads[i], grads);
            }
            for (Tensor gi : grads) {
                if (gi != null) {
                    lifetimes.releaseIfDone(gi);
                }
            }
            lifetimes.releaseIfDone(g);
        }
    }

    /**
     * One node's backward in a scope of its own: whatever the rule made besides the gradients it
     * returns is closed as soon as it returns.
     */
    private Tensor[] runBackward(Node node, Tensor g, boolean onesSeed, int inputCount) {
        Function f = node.function();
        Tensor[] grads;
        String outer = NanGuard.isEnabled() ? NanGuard.backwardOf(f.name()) : null;
        try (Scope rule = tensors.openTemporaryScope()) {
            grads = f.run(g, onesSeed);
            if (grads.length != inputCount) {
                throw new IllegalStateException("backward of '" + f.name() + "' returned " + grads.length
                        + " gradients for " + inputCount + " inputs");
            }
            for (Tensor gi : grads) {
                if (gi != null) {
                    rule.keep(gi);
                }
            }
        } finally {
            if (NanGuard.isEnabled()) {
                NanGuard.backwardOf(outer);
            }
        }
        if (NanGuard.isEnabled()) {
            for (Tensor gi : grads) {
                if (gi != null) {
                    NanGuard.check(f.name() + " backward", gi, g);
                }
            }
        }
        return grads;
    }

    /** Sends gradient {@code gi} (may be null) to input {@code i} of {@code node}. */
    private void send(Node node, int i, Tensor in, Tensor gi, Tensor[] grads) {
        if (in == null || !in.requiresGrad()) {
            return;
        }
        Node parent = in.gradFn();
        if (gi == null) {
            if (parent == null) {
                leafHooks.contributed(in, false);
            }
            return;
        }
        if (!gi.shape().equals(in.shape())) {
            throw new IllegalStateException("backward of '" + node.function().name() + "': gradient " + gi.shape()
                    + " for input " + i + " of shape " + in.shape());
        }
        if (parent == null) {
            lifetimes.deliverToLeaf(in, gi, grads);
            leafHooks.contributed(in, true);
            return;
        }
        Tensor prev = pending.get(parent);
        if (prev == null) {
            pending.put(parent, gi);
            lifetimes.handedOn(gi);
        } else {
            Tensor sum = prev.add(gi);
            lifetimes.consumed(prev);
            lifetimes.releaseIfDone(prev);
            pending.put(parent, sum);
            lifetimes.handedOn(sum);
        }
    }
}
