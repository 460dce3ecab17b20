package dev.nabla.optim;

import dev.nabla.Nabla;
import dev.nabla.Scope;
import dev.nabla.Tensor;
import dev.nabla.autograd.GradMode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Updates a list of parameters from their gradients.
 *
 * <p>Per-parameter state (momentum buffers, moment estimates) is created on the first step that
 * needs it, lives outside every {@link Scope} and is freed by {@link #close()}. Hyper-parameters
 * are read from a map at every step, so a schedule can change {@code lr} between steps and a
 * restored {@link OptimizerState} brings back exactly the run that was saved. The update depends
 * only on the parameters, their gradients and that state: given the same gradients, a step gives
 * the same result bit for bit.
 *
 * <p>A parameter whose {@code grad()} is null in a step is skipped; the step count (used by Adam's
 * bias correction) is one per {@link #step()} for all parameters.
 */
public abstract class Optimizer implements AutoCloseable {
    private final String name;
    private final List<Tensor> params;
    private final LinkedHashMap<String, Double> hyper = new LinkedHashMap<>();
    private final List<LinkedHashMap<String, Tensor>> state = new ArrayList<>();
    private long steps;

    /**
     * @throws IllegalArgumentException if {@code params} is empty, holds a tensor twice, or holds one
     *                                  that is not a contiguous floating leaf requiring grad
     */
    protected Optimizer(String name, List<Tensor> params, double lr) {
        this.name = name;
        if (params.isEmpty()) {
            throw new IllegalArgumentException(name + ": no parameters to optimize");
        }
        Set<Tensor> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (int i = 0; i < params.size(); i++) {
            Tensor p = params.get(i);
            if (!seen.add(p)) {
                throw new IllegalArgumentException(name + ": parameter " + i + " appears twice in the list");
            }
            if (!p.dtype().isFloatingPoint() || !p.requiresGrad() || !p.isLeaf()) {
                throw new IllegalArgumentException(name + ": parameter " + i + " (" + p.describe()
                        + ") must be a floating leaf with requiresGrad(true)");
            }
            if (!p.isContiguous()) {
                throw new IllegalArgumentException(name + ": parameter " + i + " (" + p.describe()
                        + ") must be contiguous: the fused update kernels work on dense buffers");
            }
            state.add(new LinkedHashMap<>());
        }
        this.params = List.copyOf(params);
        defineHyperParameter("lr", lr);
    }

    /** Declares a hyper-parameter with its initial value (subclass constructors). */
    protected final void defineHyperParameter(String key, double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException(name + ": " + key + " must be finite, got " + value);
        }
        hyper.put(key, value);
    }

    /** The current value of a hyper-parameter. */
    public final double hyperParameter(String key) {
        Double v = hyper.get(key);
        if (v == null) {
            throw new IllegalArgumentException(name + ": no hyper-parameter '" + key + "' (has " + hyper.keySet() + ")");
        }
        return v;
    }

    /**
     * Changes a hyper-parameter between steps.
     *
     * @throws IllegalArgumentException if this optimizer has no such hyper-parameter or the value is invalid
     */
    public final void setHyperParameter(String key, double value) {
        hyperParameter(key);
        validate(key, value);
        LinkedHashMap<String, Double> proposed = new LinkedHashMap<>(hyper);
        proposed.put(key, value);
        validateCombination(proposed);
        hyper.put(key, value);
    }

    /** Rejects a value a subclass cannot use; by default every hyper-parameter is finite and >= 0. */
    protected void validate(String key, double value) {
        if (!(Double.isFinite(value) && value >= 0)) {
            throw new IllegalArgumentException(name + ": " + key + " must be finite and >= 0, got " + value);
        }
    }

    /** Rejects combinations of values that do not go together (e.g. Nesterov without momentum). */
    protected void validateCombination(Map<String, Double> values) {
    }

    /** Checks every constructor argument (subclasses call this at the end of their constructor). */
    protected final void validateAll() {
        hyper.forEach(this::validate);
        validateCombination(Collections.unmodifiableMap(hyper));
    }

    /** The learning rate. */
    public final double lr() {
        return hyperParameter("lr");
    }

    /** Sets the learning rate (schedules call this). */
    public final void setLr(double lr) {
        setHyperParameter("lr", lr);
    }

    /** Short name: {@code sgd}, {@code adam}, {@code adamw}, {@code adagrad}, {@code rmsprop}. */
    public final String name() {
        return name;
    }

    /** The parameters, in the order given. */
    public final List<Tensor> parameters() {
        return params;
    }

    /** Number of {@link #step()} calls so far (restored by {@link #loadState}). */
    public final long stepCount() {
        return steps;
    }

    /** Zeros every parameter's gradient in place (buffers are kept, so addresses stay stable). */
    public void zeroGrad() {
        for (Tensor p : params) {
            p.zeroGrad();
        }
    }

    /** Updates every parameter that has a gradient. Temporaries are freed before it returns. */
    public final void step() {
        steps++;
        try (Scope scope = Nabla.scope(); GradMode.Guard g = GradMode.disable()) {
            for (int i = 0; i < params.size(); i++) {
                Tensor p = params.get(i);
                Tensor grad = p.grad();
                if (grad != null) {
                    update(i, p, grad.contiguous(), steps);
                }
            }
        }
    }

    /**
     * Updates parameter {@code index} in place from its contiguous gradient; {@code step} counts
     * from 1. Runs with grad mode off inside a scope that frees temporaries.
     */
    protected abstract void update(int index, Tensor param, Tensor grad, long step);

    /** Whether state slot {@code slot} of parameter {@code index} exists yet. */
    protected final boolean hasState(int index, String slot) {
        return state.get(index).containsKey(slot);
    }

    /** State slot {@code slot} of parameter {@code index}, created as zeros of its shape on first use. */
    protected final Tensor state(int index, String slot) {
        return state.get(index).computeIfAbsent(slot, s -> {
            Tensor p = params.get(index);
            return Tensor.zeros(p.device(), p.dtype(), p.dims()).detachFromScope();
        });
    }

    /**
     * Everything needed to resume: name, step count, hyper-parameters and the state tensors named
     * {@code <parameter index>.<slot>} (e.g. {@code 0.exp_avg}). The tensors are this optimizer's
     * own, not copies: save them before the next step.
     */
    public final OptimizerState state() {
        LinkedHashMap<String, Tensor> tensors = new LinkedHashMap<>();
        for (int i = 0; i < state.size(); i++) {
            for (Map.Entry<String, Tensor> e : state.get(i).entrySet()) {
                tensors.put(i + "." + e.getKey(), e.getValue());
            }
        }
        return new OptimizerState(name, steps, new LinkedHashMap<>(hyper), tensors);
    }

    /**
     * Restores a state saved from an optimizer of the same kind over parameters of the same shapes:
     * step count, hyper-parameters and state tensors (copied, converted to the parameters' device).
     *
     * @throws IllegalArgumentException naming the tensor or key that does not fit; nothing is
     *                                  changed in that case
     */
    public final void loadState(OptimizerState saved) {
        if (!saved.name().equals(name)) {
            throw new IllegalArgumentException("optimizer state is for '" + saved.name() + "', this optimizer is '"
                    + name + "'");
        }
        if (saved.step() < 0) {
            throw new IllegalArgumentException("optimizer state: step must be >= 0, got " + saved.step());
        }
        LinkedHashMap<String, Double> proposed = new LinkedHashMap<>(hyper);
        for (Map.Entry<String, Double> e : saved.hyperParameters().entrySet()) {
            if (!hyper.containsKey(e.getKey())) {
                throw new IllegalArgumentException("optimizer state: '" + name + "' has no hyper-parameter '"
                        + e.getKey() + "' (has " + hyper.keySet() + ")");
            }
            validate(e.getKey(), e.getValue());
            proposed.put(e.getKey(), e.getValue());
        }
        validateCombination(proposed);
        List<Object[]> slots = new ArrayList<>();
        for (Map.Entry<String, Tensor> e : saved.tensors().entrySet()) {
            String key = e.getKey();
            int dot = key.indexOf('.');
            int index;
            try {
                index = dot < 0 ? -1 : Integer.parseInt(key.substring(0, dot));
            } catch (NumberFormatException ex) {
                index = -1;
            }
            if (index < 0 || index >= params.size() || dot == key.length() - 1) {
                throw new IllegalArgumentException("optimizer state: tensor '" + key
                        + "' is not named <parameter index>.<slot> for one of " + params.size() + " parameters");
            }
            Tensor p = params.get(index);
            Tensor t = e.getValue();
            if (!t.shape().equals(p.shape()) || t.dtype() != p.dtype()) {
                throw new IllegalArgumentException("optimizer state: tensor '" + key + "' is " + t.shape() + " "
                        + t.dtype().shortName() + " but parameter " + index + " is " + p.shape() + " "
                        + p.dtype().shortName());
            }
            slots.add(new Object[] {index, key.substring(dot + 1), t});
        }
        for (LinkedHashMap<String, Tensor> s : state) {
            s.values().forEach(Tensor::close);
            s.clear();
        }
        try (Scope scope = Nabla.scope(); GradMode.Guard g = GradMode.disable()) {
            for (Object[] slot : slots) {
                int index = (Integer) slot[0];
                state(index, (String) slot[1]).copyFrom(((Tensor) slot[2]).to(params.get(index).device()));
            }
        }
        hyper.putAll(saved.hyperParameters());
        steps = saved.step();
    }

    /** Frees the state tensors (not the parameters). */
    @Override
    public void close() {
        for (LinkedHashMap<String, Tensor> s : state) {
            s.values().forEach(Tensor::close);
            s.clear();
        }
    }

    @Override
    public String toString() {
        return name + hyper;
    }
}
