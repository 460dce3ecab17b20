package dev.nabla.autograd;

import dev.nabla.Tensor;
import dev.nabla.internal.TensorInternals;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reverse-mode differentiation over the recorded graph: an iterative topological sort (no
 * recursion, so a chain of any length cannot overflow the stack), then each node's backward in
 * reverse order, summing gradients that reach a tensor along several paths and accumulating them
 * into leaves' {@code grad()}.
 *
 * <p>Gradients created during the pass are closed as soon as nothing needs them any more, so peak
 * device memory is the forward graph plus a few live gradients.
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
        if (!root.requiresGrad()) {
            throw new IllegalStateException("backward: this tensor of shape " + root.shape()
                    + " does not require grad: no input had requiresGrad(true), or it was computed under noGrad()");
        }
        long firstId = Tensor.nextId();
        Tensor g0;
        if (seed == null) {
            if (root.numel() != 1) {
                throw new IllegalArgumentException("backward: called on a non-scalar tensor of shape " + root.shape()
                        + ": pass a seed gradient of that shape, backward(seed)");
            }
            g0 = Tensor.ones(root.device(), root.dtype(), root.shape().dims());
        } else {
            if (!seed.shape().equals(root.shape()) || seed.dtype() != root.dtype() || seed.device() != root.device()) {
                throw new IllegalArgumentException("backward: seed " + seed.shape() + " " + seed.dtype().shortName()
                        + " on " + seed.device() + " does not match the output " + root.shape() + " "
                        + root.dtype().shortName() + " on " + root.device());
            }
            g0 = seed;
        }
        TensorInternals.Hooks hooks = TensorInternals.hooks();
        Node rootNode = root.gradFn();
        try (GradMode.Guard ignored = GradMode.disable()) {
            if (rootNode == null) {
                hooks.accumulateGrad(root, g0);
                closeIfTemporary(g0, firstId, Map.of());
                return;
            }
            List<Node> order = topologicalOrder(rootNode);
            Map<Node, Tensor> pending = new IdentityHashMap<>();
            Map<Tensor, Integer> inFlight = new IdentityHashMap<>();
            pending.put(rootNode, g0);
            inFlight.merge(g0, 1, Integer::sum);
            for (Node node : order) {
                Tensor g = pending.remove(node);
                if (g == null) {
                    continue;
                }
                inFlight.merge(g, -1, Integer::sum);
                Tensor[] inputs = node.inputs();
                // The root of backward() on a scalar gets the ones seed made here: its Function may skip the product.
                Tensor[] grads = node.function().run(g, seed == null && g == g0);
                if (NanGuard.isEnabled()) {
                    for (Tensor gi : grads) {
                        if (gi != null) {
                            NanGuard.check(node.function().name() + " backward", gi, g);
                        }
                    }
                }
                if (grads.length != inputs.length) {
                    throw new IllegalStateException("backward of '" + node.function().name() + "' returned "
                            + grads.length + " gradients for " + inputs.length + " inputs");
                }
                for (int i = 0; i < inputs.length; i++) {
                    Tensor in = inputs[i];
                    Tensor gi = grads[i];
                    if (in == null || gi == null || !in.requiresGrad()) {
                        continue;
                    }
                    if (!gi.shape().equals(in.shape())) {
                        throw new IllegalStateException("backward of '" + node.function().name() + "': gradient "
                                + gi.shape() + " for input " + i + " of shape " + in.shape());
                    }
                    Node parent = in.gradFn();
                    if (parent == null) {
                        // A gradient made by this pass and used nowhere else becomes the leaf's grad as is.
                        boolean adopted = gi.id() >= firstId && inFlight.getOrDefault(gi, 0) <= 0
                                && usedOnce(grads, gi) && hooks.adoptGrad(in, gi);
                        if (adopted) {
                            inFlight.put(gi, ADOPTED);
                        } else {
                            hooks.accumulateGrad(in, gi);
                        }
                        continue;
                    }
                    Tensor prev = pending.get(parent);
                    if (prev == null) {
                        pending.put(parent, gi);
                        inFlight.merge(gi, 1, Integer::sum);
                    } else {
                        Tensor sum = prev.add(gi);
                        inFlight.merge(prev, -1, Integer::sum);
                        closeIfTemporary(prev, firstId, inFlight);
                        pending.put(parent, sum);
                        inFlight.merge(sum, 1, Integer::sum);
                    }
                }
                for (Tensor gi : grads) {
                    if (gi != null) {
                        closeIfTemporary(gi, firstId, inFlight);
                    }
                }
                closeIfTemporary(g, firstId, inFlight);
            }
            if (!retainGraph) {
                for (Node node : order) {
                    node.release();
                }
            }
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

    /** Marks, in the in-flight counts, a gradient now owned by a leaf: never closed by the pass. */
    private static final int ADOPTED = 1 << 30;

    private static boolean usedOnce(Tensor[] grads, Tensor g) {
        int n = 0;
        for (Tensor t : grads) {
            if (t == g) {
                n++;
            }
        }
        return n == 1;
    }

    private static void closeIfTemporary(Tensor t, long firstId, Map<Tensor, Integer> inFlight) {
        if (t.id() >= firstId && inFlight.getOrDefault(t, 0) <= 0 && !t.isClosed()) {
            t.close();
        }
    }
}
