package dev.nabla.nn;

import dev.nabla.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * Model averaging: classifiers trained apart (different seeds, different data orders) predict
 * together by the mean of their softmax outputs, {@code p(x) = (1/N)·Σ softmax(member_i(x))}.
 * Averaging probabilities, not logits, keeps each member's confidence in proportion; the mean of
 * several models' errors is smaller than a typical member's when their errors differ.
 *
 * <p>{@link #forward} returns probabilities (rows summing to 1), not logits: take the arg-max for
 * predictions; do not feed it to a cross-entropy that expects logits. Member {@code i}'s
 * parameters are named {@code i.<name>} ({@code 0.0.weight}, {@code 1.0.weight}...), so an
 * ensemble saves and loads like any module.
 */
public final class Ensemble extends Module {
    private final List<Module> members = new ArrayList<>();

    /**
     * @throws IllegalArgumentException if {@code members} is empty
     */
    public Ensemble(List<? extends Module> members) {
        if (members.isEmpty()) {
            throw new IllegalArgumentException("Ensemble: needs at least one member");
        }
        for (Module m : members) {
            this.members.add(registerModule(Integer.toString(this.members.size()), m));
        }
    }

    /** The members, in order. */
    public List<Module> members() {
        return List.copyOf(members);
    }

    /** Number of members. */
    public int size() {
        return members.size();
    }

    @Override
    public Tensor forward(Tensor x) {
        Tensor sum = null;
        for (Module m : members) {
            Tensor p = m.forward(x).softmax();
            sum = sum == null ? p : sum.add(p);
        }
        return members.size() == 1 ? sum : sum.div(members.size());
    }

    @Override
    protected String describeSelf() {
        return "Ensemble(" + members.size() + " members, mean of softmax outputs)";
    }
}
