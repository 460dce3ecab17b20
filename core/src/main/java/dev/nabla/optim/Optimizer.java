package dev.nabla.optim;

import dev.nabla.Nabla;
import dev.nabla.Scope;
import dev.nabla.Tensor;
import dev.nabla.autograd.GradMode;
import dev.nabla.internal.TensorInternals;
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
 * <p>Parameters are in <em>groups</em>, each with its own hyper-parameters (PyTorch's parameter
 * groups): all start in group 0; {@link #addParamGroup} moves some into a new group whose values
 * override the defaults, e.g. a larger learning rate or no weight decay for one layer. Schedules
 * scale each group's own base rate ({@link LrScheduler}). {@link #hyperParameter(String)} and
 * {@link #lr()} read group 0; {@link #setHyperParameter(String, double)} sets every group.
 *
 * <p>{@link Constraint}s added with {@link #addConstraint} run after every step's updates (e.g.
 * {@link MaxNorm}), so they work with every optimizer.
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
 *
 * <p><b>Threads.</b> An optimizer, like its model, is confined to one thread: the first thread that
 * calls {@link #step()} or {@link #zeroGrad()} owns it, and a call from another thread throws
 * instead of silently interleaving two trainings. Train one model per thread, or hand this one
 * over with {@link #useFromThisThread()} once the old thread is done with it.
 */
public abstract class Optimizer implements AutoCloseable {
    private final String name;
    private final List<Tensor> params;
    private final int[] groupOf;
    private final List<LinkedHashMap<String, Double>> groups = new ArrayList<>();
    private final List<Constraint> constraints = new ArrayList<>();
    private final List<LinkedHashMap<String, Tensor>> state = new ArrayList<>();
    private long steps;
    /** The thread that uses this optimizer (null until the first step or zeroGrad). */
    private volatile Thread owner;

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
        this.groupOf = new int[params.size()];
        groups.add(new LinkedHashMap<>());
        defineHyperParameter("lr", lr);
    }

    /** Declares a hyper-parameter with its initial value (subclass constructors). */
    protected final void defineHyperParameter(String key, double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException(name + ": " + key + " must be finite, got " + value);
        }
        for (LinkedHashMap<String, Double> g : groups) {
            g.put(key, value);
        }
    }

    /**
     * Moves {@code members} (parameters of this optimizer) into a new group whose hyper-parameters
     * are group 0's with {@code overrides} applied, e.g. {@code Map.of("lr", 0.01, "weight_decay", 0.0)}.
     * Their state (momentum, moments) stays with them.
     *
     * @return the new group's index
     * @throws IllegalArgumentException if a member is not a parameter of this optimizer or appears
     *                                  twice, a key is unknown or a value invalid; nothing changes then
     */
    public final int addParamGroup(List<Tensor> members, Map<String, Double> overrides) {
        if (members.isEmpty()) {
            throw new IllegalArgumentException(name + ": a parameter group needs at least one parameter");
        }
        List<Integer> indices = new ArrayList<>();
        for (Tensor m : members) {
            int index = indexOf(m);
            if (index < 0) {
                throw new IllegalArgumentException(name + ": a " + m.describe()
                        + " tensor of the new group is not a parameter of this optimizer");
            }
            if (indices.contains(index)) {
                throw new IllegalArgumentException(name + ": parameter " + index + " appears twice in the new group");
            }
            indices.add(index);
        }
        LinkedHashMap<String, Double> values = new LinkedHashMap<>(groups.get(0));
        for (Map.Entry<String, Double> e : overrides.entrySet()) {
            if (!values.containsKey(e.getKey())) {
                throw new IllegalArgumentException(name + ": no hyper-parameter '" + e.getKey() + "' (has "
                        + values.keySet() + ")");
            }
            validate(e.getKey(), e.getValue());
            values.put(e.getKey(), e.getValue());
        }
        validateCombination(Collections.unmodifiableMap(values));
        groups.add(values);
        for (int index : indices) {
            groupOf[index] = groups.size() - 1;
        }
        return groups.size() - 1;
    }

    private int indexOf(Tensor p) {
        for (int i = 0; i < params.size(); i++) {
            if (params.get(i) == p) {
                return i;
            }
        }
        return -1;
    }

    /** Number of parameter groups (1 until {@link #addParamGroup} is called). */
    public final int groupCount() {
        return groups.size();
    }

    /** The group parameter {@code index} (in {@link #parameters()} order) belongs to. */
    public final int groupOf(int index) {
        return groupOf[index];
    }

    /** The parameters of group {@code group}, in {@link #parameters()} order. */
    public final List<Tensor> groupParameters(int group) {
        checkGroup(group);
        List<Tensor> out = new ArrayList<>();
        members(group).forEach(i -> out.add(params.get(i)));
        return out;
    }

    private List<Integer> members(int group) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < params.size(); i++) {
            if (groupOf[i] == group) {
                out.add(i);
            }
        }
        return out;
    }

    private void checkGroup(int group) {
        if (group < 0 || group >= groups.size()) {
            throw new IllegalArgumentException(name + ": no parameter group " + group + " (has " + groups.size() + ")");
        }
    }

    /** The current value of a hyper-parameter in group 0. */
    public final double hyperParameter(String key) {
        return hyperParameter(0, key);
    }

    /** The current value of a hyper-parameter in group {@code group}. */
    public final double hyperParameter(int group, String key) {
        checkGroup(group);
        Double v = groups.get(group).get(key);
        if (v == null) {
            throw new IllegalArgumentException(name + ": no hyper-parameter '" + key + "' (has "
                    + groups.get(group).keySet() + ")");
        }
        return v;
    }

    /** The hyper-parameter {@code key} of the group that parameter {@code index} belongs to (for {@link #update}). */
    protected final double hyperParameterOf(int index, String key) {
        return hyperParameter(groupOf[index], key);
    }

    /**
     * Changes a hyper-parameter in every group between steps.
     *
     * @throws IllegalArgumentException if this optimizer has no such hyper-parameter or the value is invalid
     */
    public final void setHyperParameter(String key, double value) {
        for (int g = 0; g < groups.size(); g++) {
            check(g, key, value);
        }
        for (LinkedHashMap<String, Double> g : groups) {
            g.put(key, value);
        }
    }

    /** Changes a hyper-parameter of one group between steps. */
    public final void setHyperParameter(int group, String key, double value) {
        check(group, key, value);
        groups.get(group).put(key, value);
    }

    private void check(int group, String key, double value) {
        hyperParameter(group, key);
        validate(key, value);
        LinkedHashMap<String, Double> proposed = new LinkedHashMap<>(groups.get(group));
        proposed.put(key, value);
        validateCombination(proposed);
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
        groups.get(0).forEach(this::validate);
        validateCombination(Collections.unmodifiableMap(groups.get(0)));
    }

    /** The learning rate of group 0. */
    public final double lr() {
        return hyperParameter("lr");
    }

    /** The learning rate of group {@code group}. */
    public final double lr(int group) {
        return hyperParameter(group, "lr");
    }

    /** The learning rate of the group of parameter {@code index} (for {@link #update}). */
    protected final double lrOf(int index) {
        return hyperParameterOf(index, "lr");
    }

    /** Sets the learning rate of every group. */
    public final void setLr(double lr) {
        setHyperParameter("lr", lr);
    }

    /** Sets the learning rate of one group (schedules call this). */
    public final void setLr(int group, double lr) {
        setHyperParameter(group, "lr", lr);
    }

    /** Runs {@code constraint} after the updates of every {@link #step()}, in the order added. */
    public final void addConstraint(Constraint constraint) {
        constraints.add(java.util.Objects.requireNonNull(constraint, "constraint"));
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
        checkThread("zeroGrad");
        for (Tensor p : params) {
            p.zeroGrad();
        }
    }

    /**
     * Updates every parameter that has a gradient, then applies the constraints. Temporaries are
     * freed before it returns.
     */
    public final void step() {
        checkThread("step");
        steps++;
        try (Scope scope = Nabla.scope(); GradMode.Guard g = GradMode.disable()) {
            for (int i = 0; i < params.size(); i++) {
                Tensor p = params.get(i);
                Tensor grad = p.grad();
                if (grad != null) {
                    update(i, p, grad.contiguous(), steps);
                    // Fused steps write through the backend: count the change, so a graph that saved
                    // the old values fails in backward instead of using the new ones.
                    TensorInternals.hooks().markModified(p);
                }
            }
            for (Constraint c : constraints) {
                c.apply();
            }
        }
    }

    /**
     * Hands this optimizer, and the gradients of its parameters, to the calling thread: later calls
     * from the old thread throw. Call it only after the old thread has stopped using them.
     */
    public void useFromThisThread() {
        owner = Thread.currentThread();
        for (Tensor p : params) {
            TensorInternals.hooks().takeGradOwnership(p);
        }
    }

    /** The owner check: one field read when the owner calls, as it does every step. */
    private void checkThread(String op) {
        Thread me = Thread.currentThread();
        Thread o = owner;
        if (o == me) {
            return;
        }
        synchronized (this) {
            if (owner == null) {
                owner = me;
                return;
            }
        }
        throw new IllegalStateException(name + "." + op + ": called from thread '" + me.getName()
                + "', but this optimizer is used by thread '" + owner.getName() + "': an optimizer and its model are "
                + "confined to one thread; give each thread its own model and optimizer, or hand this one over with "
                + "useFromThisThread()");
    }

    /**
     * Updates parameter {@code index} in place from its contiguous gradient; {@code step} counts
     * from 1. Runs with grad mode off inside a scope that frees temporaries. Hyper-parameters are
     * those of the parameter's group: {@link #hyperParameterOf}, {@link #lrOf}.
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
     * Everything needed to resume: name, step count, hyper-parameters (group 0's, and with several
     * groups every group's members and values) and the state tensors named
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
        List<OptimizerState.Group> saved = new ArrayList<>();
        if (groups.size() > 1) {
            for (int g = 0; g < groups.size(); g++) {
                saved.add(new OptimizerState.Group(members(g), groups.get(g)));
            }
        }
        return new OptimizerState(name, steps, new LinkedHashMap<>(groups.get(0)), tensors, saved);
    }

    /**
     * Restores a state saved from an optimizer of the same kind over parameters of the same shapes
     * and the same parameter groups (set them up with {@link #addParamGroup} first): step count,
     * hyper-parameters and state tensors (copied, converted to the parameters' device).
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
        List<Map<String, Double>> savedGroups = saved.groupHyperParameters();
        if (savedGroups.size() != groups.size()) {
            throw new IllegalArgumentException("optimizer state has " + savedGroups.size() + " parameter group(s), this "
                    + name + " optimizer has " + groups.size());
        }
        for (int g = 0; g < saved.groups().size(); g++) {
            if (!saved.groups().get(g).params().equals(members(g))) {
                throw new IllegalArgumentException("optimizer state: parameter group " + g + " holds parameters "
                        + saved.groups().get(g).params() + ", this optimizer's holds " + members(g));
            }
        }
        List<LinkedHashMap<String, Double>> proposedGroups = new ArrayList<>();
        for (int g = 0; g < groups.size(); g++) {
            LinkedHashMap<String, Double> proposed = new LinkedHashMap<>(groups.get(g));
            for (Map.Entry<String, Double> e : savedGroups.get(g).entrySet()) {
                if (!proposed.containsKey(e.getKey())) {
                    throw new IllegalArgumentException("optimizer state: '" + name + "' has no hyper-parameter '"
                            + e.getKey() + "' (has " + proposed.keySet() + ")");
                }
                validate(e.getKey(), e.getValue());
                proposed.put(e.getKey(), e.getValue());
            }
            validateCombination(proposed);
            proposedGroups.add(proposed);
        }
        List<OptimizerState.Slot> slots = saved.slots(params);
        for (LinkedHashMap<String, Tensor> s : state) {
            s.values().forEach(Tensor::close);
            s.clear();
        }
        try (Scope scope = Nabla.scope(); GradMode.Guard g = GradMode.disable()) {
            for (OptimizerState.Slot slot : slots) {
                state(slot.index(), slot.name()).copyFrom(slot.tensor().to(params.get(slot.index()).device()));
            }
        }
        for (int g = 0; g < groups.size(); g++) {
            groups.get(g).putAll(proposedGroups.get(g));
        }
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
        return name + (groups.size() == 1 ? groups.get(0).toString() : groups.toString());
    }
}
