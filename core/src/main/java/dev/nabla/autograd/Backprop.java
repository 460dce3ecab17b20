package dev.nabla.autograd;

import dev.nabla.Scope;
import dev.nabla.Tensor;
import dev.nabla.internal.TensorInternals;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * Reverse-mode differentiation over the recorded graph, in three readable pieces:
 * <ol>
 *   <li>{@link #topologicalOrder}: an iterative sort (no recursion, so a chain of any length cannot
 *       overflow the stack) that puts every node after all the nodes consuming its output;</li>
 *   <li>{@link ChainRule}: each node's backward in that order, summing gradients that reach a
 *       tensor along several paths and delivering leaves' gradients into {@code grad()};</li>
 *   <li>{@link GradientLifetimes}: which gradients are temporaries of the pass and when nothing
 *       needs them any more, so peak device memory is the forward graph plus a few live gradients.</li>
 * </ol>
 * The whole pass runs in a temporary scope: whatever it made and did not hand over (leaves'
 * gradients) is closed when it returns, so a forgotten temporary cannot outlive the pass.
 */
public final class Backprop {

    private Backprop() {
    }

    /**
     * Runs backward from {@code root} (see {@link Tensor#backward(Tensor, boolean)}).
     *
     * @param seed        gradient of the final result with respect to {@code root}; null means 1 for
     *                    a one-element {@code root}
     * @param retainGraph keep the graph (and its saved tensors) for another backward
     */
    public static void run(Tensor root, Tensor seed, boolean retainGraph) {
        checkRoot(root, seed);
        TensorInternals.Hooks hooks = TensorInternals.hooks();
        long firstId = Tensor.nextId();
        try (GradMode.Guard ignored = GradMode.disable(); Scope pass = hooks.openTemporaryScope()) {
            Tensor g0 = seed != null ? seed : Tensor.ones(root.device(), root.dtype(), root.shape().dims());
            GradientLifetimes lifetimes = new GradientLifetimes(firstId);
            Node rootNode = root.gradFn();
            if (rootNode == null) {
                hooks.accumulateGrad(root, g0);
                if (hooks.hasPostAccumulateHooks(root)) {
                    hooks.runPostAccumulateHooks(root);
                }
                return;
            }
            List<Node> order = topologicalOrder(rootNode);
            new ChainRule(hooks, lifetimes, LeafHooks.of(order, hooks)).propagate(order, g0, seed == null);
            if (!retainGraph) {
                for (Node node : order) {
                    node.release();
                }
            }
        }
    }

    private static void checkRoot(Tensor root, Tensor seed) {
        if (root.isClosed()) {
            throw new IllegalStateException("backward: the tensor " + root.describe() + " is closed (by close() or its "
                    + "scope); call backward() before closing it");
        }
        if (!root.requiresGrad()) {
            throw new IllegalStateException("backward: this tensor of shape " + root.shape()
                    + " does not require grad: no input had requiresGrad(true), or it was computed under noGrad()");
        }
        if (seed == null) {
            if (root.numel() != 1) {
                throw new IllegalArgumentException("backward: called on a non-scalar tensor of shape " + root.shape()
                        + ": pass a seed gradient of that shape, backward(seed)");
            }
        } else if (!seed.shape().equals(root.shape()) || seed.dtype() != root.dtype() || seed.device() != root.device()) {
            throw new IllegalArgumentException("backward: seed " + seed.shape() + " " + seed.dtype().shortName()
                    + " on " + seed.device() + " does not match the output " + root.shape() + " "
                    + root.dtype().shortName() + " on " + root.device());
        }
    }

    /** Nodes reachable from {@code root}, each after every node that consumes its output. */
    static List<Node> topologicalOrder(Node root) {
        List<Node> postOrder = new ArrayList<>();
        Set<Node> visited = Collections.newSetFromMap(new IdentityHashMap<>());
        ArrayDeque<Node> nodes = new ArrayDeque<>();
        ArrayDeque<int[]> cursors = new ArrayDeque<>();
        nodes.push(root);
        cursors.push(new int[1]);
        visited.add(root);
        while (!nodes.isEmpty()) {
            Node top = nodes.peek();
            int[] cursor = cursors.peek();
            Tensor[] inputs = top.inputs();
            Node next = null;
            while (cursor[0] < inputs.length && next == null) {
                Tensor in = inputs[cursor[0]++];
                if (in != null && in.requiresGrad() && in.gradFn() != null && visited.add(in.gradFn())) {
                    next = in.gradFn();
                }
            }
            if (next != null) {
                nodes.push(next);
                cursors.push(new int[1]);
            } else {
                postOrder.add(nodes.pop());
                cursors.pop();
            }
        }
        Collections.reverse(postOrder);
        return postOrder;
    }
}
