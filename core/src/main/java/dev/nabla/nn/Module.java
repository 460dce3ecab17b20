package dev.nabla.nn;

import dev.nabla.Nabla;
import dev.nabla.Tensor;
import dev.nabla.autograd.GradMode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A piece of a network: parameters of its own, child modules, a {@link #forward} computation and
 * a training/evaluation mode.
 *
 * <p>Parameters and children are registered in the constructor; {@link #parameters()} lists them in
 * registration order (own parameters first, then each child's, depth first), and
 * {@link #namedParameters()} names them with dotted paths such as {@code 0.weight}, so a state dict
 * written by one run loads into a model built the same way by another.
 *
 * <p>Parameters require grad and so live outside every {@link dev.nabla.Scope}; {@link #close()}
 * frees them.
 */
public abstract class Module implements AutoCloseable {
    private final LinkedHashMap<String, Tensor> parameters = new LinkedHashMap<>();
    private final LinkedHashMap<String, Tensor> buffers = new LinkedHashMap<>();
    private final LinkedHashMap<String, Module> children = new LinkedHashMap<>();
    private boolean training = true;

    /** The module's output for input {@code x}. */
    public abstract Tensor forward(Tensor x);

    /**
     * Registers {@code tensor} as a parameter named {@code name}, marking it {@code requiresGrad}.
     *
     * @return the tensor, for assignment to a field
     * @throws IllegalArgumentException if the name is taken or contains a dot
     */
    protected final Tensor registerParameter(String name, Tensor tensor) {
        checkName(name);
        parameters.put(name, tensor.requiresGrad(true));
        return tensor;
    }

    /**
     * Registers {@code tensor} as a buffer named {@code name}: state that is saved and loaded with
     * the parameters but not trained (running statistics of batch normalisation). It lives
     * outside every scope until {@link #close()}.
     *
     * @return the tensor, for assignment to a field
     * @throws IllegalArgumentException if the name is taken or contains a dot, or the tensor requires grad
     */
    protected final Tensor registerBuffer(String name, Tensor tensor) {
        checkName(name);
        if (tensor.requiresGrad()) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": buffer '" + name
                    + "' requires grad; register a trained tensor with registerParameter");
        }
        buffers.put(name, tensor.detachFromScope());
        return tensor;
    }

    /** Registers a child module under {@code name}; its parameters are named {@code name.<param>}. */
    protected final <M extends Module> M registerModule(String name, M module) {
        checkName(name);
        children.put(name, module);
        module.train(training);
        return module;
    }

    private void checkName(String name) {
        if (name.isEmpty() || name.contains(".")) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": name '" + name
                    + "' must be non-empty and contain no dot (dots separate path components)");
        }
        if (parameters.containsKey(name) || buffers.containsKey(name) || children.containsKey(name)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": name '" + name + "' is already registered");
        }
    }

    /** Every parameter of this module and its descendants, in registration order. */
    public final List<Tensor> parameters() {
        return new ArrayList<>(namedParameters().values());
    }

    /** Parameters by dotted path ({@code 0.weight}, {@code 2.bias}), in registration order. */
    public final Map<String, Tensor> namedParameters() {
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        collect("", out);
        return Collections.unmodifiableMap(out);
    }

    private void collect(String prefix, Map<String, Tensor> out) {
        parameters.forEach((name, t) -> out.put(prefix + name, t));
        children.forEach((name, child) -> child.collect(prefix + name + ".", out));
    }

    /** Buffers of this module and its descendants by dotted path ({@code 1.running_mean}), in registration order. */
    public final Map<String, Tensor> namedBuffers() {
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        collectBuffers("", out);
        return Collections.unmodifiableMap(out);
    }

    private void collectBuffers(String prefix, Map<String, Tensor> out) {
        buffers.forEach((name, t) -> out.put(prefix + name, t));
        children.forEach((name, child) -> child.collectBuffers(prefix + name + ".", out));
    }

    /** The direct children, by name, in registration order. */
    public final Map<String, Module> children() {
        return Collections.unmodifiableMap(children);
    }

    /**
     * The tensors that define this module's state, by dotted name; what a checkpoint saves: every
     * parameter ({@link #namedParameters()}), then every buffer ({@link #namedBuffers()}).
     */
    public Map<String, Tensor> stateDict() {
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>(namedParameters());
        out.putAll(namedBuffers());
        return Collections.unmodifiableMap(out);
    }

    /**
     * Copies the values of {@code state} into this module's parameters and buffers (converting
     * device; the dtype must match). Every entry of {@link #stateDict()} must be present with its
     * exact shape, and no other key may be present, so that a checkpoint of another architecture
     * fails loudly.
     *
     * @throws IllegalArgumentException naming the tensor when a key is missing or unexpected, or a
     *                                  shape or dtype differs
     */
    public void loadStateDict(Map<String, Tensor> state) {
        Map<String, Tensor> own = stateDict();
        for (String key : state.keySet()) {
            if (!own.containsKey(key)) {
                throw new IllegalArgumentException("tensor '" + key + "' is not a parameter of this model (it has "
                        + String.join(", ", own.keySet()) + ")");
            }
        }
        for (Map.Entry<String, Tensor> e : own.entrySet()) {
            Tensor src = state.get(e.getKey());
            Tensor dst = e.getValue();
            if (src == null) {
                throw new IllegalArgumentException("tensor '" + e.getKey() + "' is missing; the model needs it with shape "
                        + dst.shape());
            }
            if (!src.shape().equals(dst.shape())) {
                throw new IllegalArgumentException("tensor '" + e.getKey() + "' has shape " + src.shape()
                        + " but the model's parameter has shape " + dst.shape());
            }
            if (src.dtype() != dst.dtype()) {
                throw new IllegalArgumentException("tensor '" + e.getKey() + "' is " + src.dtype().shortName()
                        + " but the model's parameter is " + dst.dtype().shortName());
            }
        }
        try (var scope = Nabla.scope(); GradMode.Guard g = GradMode.disable()) {
            for (Map.Entry<String, Tensor> e : own.entrySet()) {
                Tensor dst = e.getValue();
                dst.copyFrom(state.get(e.getKey()).to(dst.device()));
            }
        }
    }

    /** Sets training mode (dropout active) on this module and every descendant. */
    public Module train(boolean on) {
        training = on;
        for (Module child : children.values()) {
            child.train(on);
        }
        return this;
    }

    /** Training mode. */
    public final Module train() {
        return train(true);
    }

    /** Evaluation mode (dropout off). */
    public final Module eval() {
        return train(false);
    }

    /** Whether the module is in training mode (the default for a new module). */
    public final boolean isTraining() {
        return training;
    }

    /** Total number of parameter elements. */
    public final long parameterCount() {
        long n = 0;
        for (Tensor t : parameters()) {
            n += t.numel();
        }
        return n;
    }

    /** Zeros every parameter's gradient in place. */
    public final void zeroGrad() {
        for (Tensor t : parameters()) {
            t.zeroGrad();
        }
    }

    /** Frees every parameter (and its gradient) and buffer. The module is unusable afterwards. */
    @Override
    public void close() {
        for (Tensor t : stateDict().values()) {
            t.close();
        }
    }

    /** One line per module, indented, with parameter shapes. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        describe(sb, "", "");
        return sb.toString().stripTrailing();
    }

    private void describe(StringBuilder sb, String indent, String name) {
        sb.append(indent).append(name.isEmpty() ? "" : "(" + name + ") ").append(describeSelf());
        parameters.forEach((n, t) -> sb.append(' ').append(n).append(t.shape()));
        buffers.forEach((n, t) -> sb.append(' ').append(n).append(t.shape()));
        sb.append('\n');
        children.forEach((n, c) -> c.describe(sb, indent + "  ", n));
    }

    /** The module's own description in {@link #toString()}, e.g. {@code Linear(64 -> 10)}. */
    protected String describeSelf() {
        return getClass().getSimpleName();
    }
}
