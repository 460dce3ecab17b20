package dev.nabla.autograd;

import dev.nabla.Tensor;
import dev.nabla.internal.TensorInternals;

/**
 * A vertex of the autograd graph: the {@link Function} that made a tensor and that tensor's
 * inputs. Built as ops run ("tape"); walked in reverse topological order by {@link Backprop}.
 */
public final class Node {
    private final Function function;
    private Tensor[] inputs;
    private boolean released;

    private Node(Function function, Tensor[] inputs) {
        this.function = function;
        this.inputs = inputs;
    }

    /**
     * Records that {@code output} was computed from {@code inputs} by an op whose backward is
     * {@code function}, when grad mode is on and some input requires grad: the graph then holds what
     * the function saved ({@link Function#save}). Otherwise it does nothing, and the function is
     * garbage. Every op calls it, so it is also where {@link NanGuard} checks outputs.
     *
     * @return {@code output}, for chaining
     */
    public static Tensor record(Tensor output, Function function, Tensor... inputs) {
        NanGuard.check(function.name(), output, inputs);
        if (!wouldRecord(inputs)) {
            return output;
        }
        function.holdSaved();
        TensorInternals.hooks().setGradFn(output, new Node(function, inputs.clone()));
        return output;
    }

    /** Whether {@code record} would build a graph node for these inputs right now. */
    public static boolean wouldRecord(Tensor... inputs) {
        if (!GradMode.isEnabled()) {
            return false;
        }
        for (Tensor t : inputs) {
            if (t != null && t.requiresGrad()) {
                return true;
            }
        }
        return false;
    }

    /** The op's backward. */
    public Function function() {
        return function;
    }

    /** The op's inputs (empty once the graph is released). */
    Tensor[] inputs() {
        if (released) {
            throw new IllegalStateException("backward: the graph through '" + function.name()
                    + "' was already released by an earlier backward(); call backward(seed, true) to keep it");
        }
        return inputs;
    }

    void release() {
        if (!released) {
            released = true;
            inputs = null;
            function.releaseSaved();
        }
    }

    @Override
    public String toString() {
        return function.name() + "Backward";
    }
}
