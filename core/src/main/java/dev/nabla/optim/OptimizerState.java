package dev.nabla.optim;

import dev.nabla.Tensor;
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
