package dev.nabla.optim;

import dev.nabla.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What an {@link Optimizer} needs to resume exactly: its name, the number of steps taken, its
 * hyper-parameters (group 0's; flags such as {@code nesterov} are 0 or 1), its state tensors
 * named {@code <parameter index>.<slot>}, and — only when it has several parameter groups — every
 * group's members and values. Checkpoints store the tensors under {@code optim.}.
 *
 * @param groups empty for an optimizer with one group; otherwise every group, group 0 first
 */
public record OptimizerState(String name, long step, Map<String, Double> hyperParameters,
                             Map<String, Tensor> tensors, List<Group> groups) {
    public OptimizerState {
        hyperParameters = Collections.unmodifiableMap(new LinkedHashMap<>(hyperParameters));
        tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
        groups = List.copyOf(groups);
    }

    /** The state of an optimizer with a single parameter group. */
    public OptimizerState(String name, long step, Map<String, Double> hyperParameters, Map<String, Tensor> tensors) {
        this(name, step, hyperParameters, tensors, List.of());
    }

    /** Every group's hyper-parameters, group 0 first (one map for a single group). */
    public List<Map<String, Double>> groupHyperParameters() {
        if (groups.isEmpty()) {
            return List.of(hyperParameters);
        }
        List<Map<String, Double>> out = new ArrayList<>();
        groups.forEach(g -> out.add(g.hyperParameters()));
        return out;
    }

    /**
     * The state tensors as (parameter index, slot) pairs, checked against {@code params}.
     *
     * @throws IllegalArgumentException naming a tensor not called {@code <parameter index>.<slot>}
     *                                  or whose shape or dtype differs from its parameter's
     */
    List<Slot> slots(List<Tensor> params) {
        List<Slot> out = new ArrayList<>();
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
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
            out.add(new Slot(index, key.substring(dot + 1), t));
        }
        return out;
    }

    /** One state tensor: parameter {@code index}'s slot {@code name}. */
    record Slot(int index, String name, Tensor tensor) {
    }

    /**
     * One parameter group.
     *
     * @param params          indices of its parameters in the optimizer's parameter order
     * @param hyperParameters its values
     */
    public record Group(List<Integer> params, Map<String, Double> hyperParameters) {
        public Group {
            params = List.copyOf(params);
            hyperParameters = Collections.unmodifiableMap(new LinkedHashMap<>(hyperParameters));
        }
    }
}
