package dev.nabla.optim;

import dev.nabla.Tensor;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What an {@link Optimizer} needs to resume exactly: its name, the number of steps taken, its
 * hyper-parameters (flags such as {@code nesterov} are 0 or 1) and its state tensors named
 * {@code <parameter index>.<slot>}. Checkpoints store the tensors under {@code optim.}.
 */
public record OptimizerState(String name, long step, Map<String, Double> hyperParameters,
                             Map<String, Tensor> tensors) {
    public OptimizerState {
        hyperParameters = Collections.unmodifiableMap(new LinkedHashMap<>(hyperParameters));
        tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
    }
}
