package dev.nabla.io;

import dev.nabla.Device;
import dev.nabla.Tensor;
import dev.nabla.nn.Module;
import dev.nabla.optim.Optimizer;
import dev.nabla.optim.OptimizerState;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A model's state (parameters and buffers), optionally its optimizer's state and further tensors,
 * and string metadata in one safetensors file. The model's tensors keep their state-dict names
 * ({@code 0.weight}, {@code 1.running_mean}); optimizer state tensors are stored beside them as
 * {@code optim.<parameter name>.<slot>} (e.g. {@code optim.0.weight.exp_avg}), with the optimizer's
 * name, step count, hyper-parameters (a JSON object) and parameter order in the metadata keys
 * {@code optim.name}, {@code optim.step}, {@code optim.hyper}, {@code optim.params}, and, for an
 * optimizer with several parameter groups, {@code optim.groups} (a JSON array of
 * {@code {"params": [names], "hyper": {...}}}). Tensors the caller adds (e.g. the best parameters
 * so far, for early stopping) are stored as {@code extra.<name>}. Any other metadata is the
 * caller's: what is needed to rebuild and evaluate the model (architecture, label names,
 * standardisation, seed, data set) and to resume training.
 *
 * @param file       where it was read from
 * @param model      the model's tensors by name
 * @param optimizer  the optimizer state, or null when none was saved
 * @param extra      the caller's further tensors by name (without the {@code extra.} prefix)
 * @param metadata   all metadata, including the {@code optim.*} keys
 */
public record Checkpoint(Path file, Map<String, Tensor> model, OptimizerState optimizer, Map<String, Tensor> extra,
                         Map<String, String> metadata) implements AutoCloseable {
    /** Prefix of optimizer tensors and metadata keys. */
    public static final String OPTIM_PREFIX = "optim.";
    /** Prefix of the caller's further tensors. */
    public static final String EXTRA_PREFIX = "extra.";

    /**
     * Saves {@code model}'s state dict, {@code optimizer}'s state (when not null) and {@code metadata}.
     *
     * @throws IllegalArgumentException if a metadata key starts with {@code optim.}, or the optimizer
     *                                  updates a tensor that is not a parameter of {@code model}
     */
    public static void save(Path file, Module model, Optimizer optimizer, Map<String, String> metadata) {
        save(file, model, optimizer, Map.of(), metadata);
    }

    /**
     * Saves as above, plus {@code extra} tensors under {@code extra.<name>}.
     *
     * @throws IllegalArgumentException as above, or if a model tensor's name starts with a reserved prefix
     */
    public static void save(Path file, Module model, Optimizer optimizer, Map<String, Tensor> extra,
                            Map<String, String> metadata) {
        LinkedHashMap<String, Tensor> tensors = new LinkedHashMap<>(model.stateDict());
        for (String name : tensors.keySet()) {
            if (name.startsWith(OPTIM_PREFIX) || name.startsWith(EXTRA_PREFIX)) {
                throw new IllegalArgumentException("checkpoint: model tensor '" + name + "' starts with a prefix "
                        + "reserved for optimizer state or extra tensors");
            }
        }
        LinkedHashMap<String, String> meta = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : metadata.entrySet()) {
            if (e.getKey().startsWith(OPTIM_PREFIX)) {
                throw new IllegalArgumentException("checkpoint metadata key '" + e.getKey() + "': the prefix '"
                        + OPTIM_PREFIX + "' is reserved for optimizer state");
            }
            meta.put(e.getKey(), e.getValue());
        }
        if (optimizer != null) {
            Map<Tensor, String> names = new IdentityHashMap<>();
            model.namedParameters().forEach((name, t) -> names.put(t, name));
            List<String> order = new ArrayList<>();
            for (Tensor p : optimizer.parameters()) {
                String name = names.get(p);
                if (name == null) {
                    throw new IllegalArgumentException("checkpoint: the optimizer updates a " + p.describe()
                            + " tensor that is not a parameter of the model");
                }
                order.add(name);
            }
            OptimizerState state = optimizer.state();
            for (Map.Entry<String, Tensor> e : state.tensors().entrySet()) {
                String key = e.getKey();
                int dot = key.indexOf('.');
                int index = Integer.parseInt(key.substring(0, dot));
                tensors.put(OPTIM_PREFIX + order.get(index) + "." + key.substring(dot + 1), e.getValue());
            }
            meta.put(OPTIM_PREFIX + "name", state.name());
            meta.put(OPTIM_PREFIX + "step", Long.toString(state.step()));
            meta.put(OPTIM_PREFIX + "hyper", Json.write(state.hyperParameters()));
            meta.put(OPTIM_PREFIX + "params", Json.write(order));
            if (!state.groups().isEmpty()) {
                List<Object> groups = new ArrayList<>();
                for (OptimizerState.Group g : state.groups()) {
                    List<String> members = new ArrayList<>();
                    g.params().forEach(i -> members.add(order.get(i)));
                    LinkedHashMap<String, Object> entry = new LinkedHashMap<>();
                    entry.put("params", members);
                    entry.put("hyper", g.hyperParameters());
                    groups.add(entry);
                }
                meta.put(OPTIM_PREFIX + "groups", Json.write(groups));
            }
        }
        extra.forEach((name, t) -> tensors.put(EXTRA_PREFIX + name, t));
        Safetensors.save(file, tensors, meta);
    }

    /**
     * Reads a checkpoint onto {@code device}.
     *
     * @throws SafetensorsException for a malformed file or inconsistent optimizer entries (naming file and tensor)
     */
    public static Checkpoint load(Path file, Device device) {
        Safetensors.Contents c = Safetensors.load(file, device);
        try {
            LinkedHashMap<String, Tensor> model = new LinkedHashMap<>();
            LinkedHashMap<String, Tensor> optim = new LinkedHashMap<>();
            LinkedHashMap<String, Tensor> extra = new LinkedHashMap<>();
            c.tensors().forEach((name, t) -> {
                if (name.startsWith(OPTIM_PREFIX)) {
                    optim.put(name, t);
                } else if (name.startsWith(EXTRA_PREFIX)) {
                    extra.put(name.substring(EXTRA_PREFIX.length()), t);
                } else {
                    model.put(name, t);
                }
            });
            OptimizerState state = optimizerState(file, c.metadata(), optim);
            return new Checkpoint(file, model, state, extra, c.metadata());
        } catch (RuntimeException e) {
            c.close();
            throw e;
        }
    }

    private static OptimizerState optimizerState(Path file, Map<String, String> meta, Map<String, Tensor> optim) {
        String name = meta.get(OPTIM_PREFIX + "name");
        if (name == null) {
            if (!optim.isEmpty()) {
                throw new SafetensorsException(file + ": tensor '" + optim.keySet().iterator().next()
                        + "' is optimizer state, but the metadata has no optim.name");
            }
            return null;
        }
        long step;
        Map<String, Double> hyper = new LinkedHashMap<>();
        List<String> order = new ArrayList<>();
        List<OptimizerState.Group> groups = List.of();
        try {
            step = Long.parseLong(required(file, meta, "step"));
            hyper = numbers(Json.parse(required(file, meta, "hyper")));
            Object p = Json.parse(required(file, meta, "params"));
            if (!(p instanceof List<?> pl)) {
                throw new IllegalArgumentException("optim.params must be a JSON array");
            }
            for (Object o : pl) {
                order.add(String.valueOf(o));
            }
            String g = meta.get(OPTIM_PREFIX + "groups");
            if (g != null) {
                groups = groups(Json.parse(g), order);
            }
        } catch (IllegalArgumentException e) {
            if (e instanceof SafetensorsException) {
                throw e;
            }
            throw new SafetensorsException(file + ": optimizer metadata: " + e.getMessage(), e);
        }
        LinkedHashMap<String, Tensor> tensors = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : optim.entrySet()) {
            String rest = e.getKey().substring(OPTIM_PREFIX.length());
            int dot = rest.lastIndexOf('.');
            int index = dot < 0 ? -1 : order.indexOf(rest.substring(0, dot));
            if (index < 0) {
                throw new SafetensorsException(file + ": tensor '" + e.getKey() + "' is not optim.<parameter>.<slot> for "
                        + "a parameter listed in optim.params " + order);
            }
            tensors.put(index + "." + rest.substring(dot + 1), e.getValue());
        }
        return new OptimizerState(name, step, hyper, tensors, groups);
    }

    private static Map<String, Double> numbers(Object h) {
        if (!(h instanceof Map<?, ?> hm)) {
            throw new IllegalArgumentException("hyper-parameters must be a JSON object");
        }
        Map<String, Double> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : hm.entrySet()) {
            if (!(e.getValue() instanceof Number num)) {
                throw new IllegalArgumentException("value of '" + e.getKey() + "' must be a number");
            }
            out.put((String) e.getKey(), num.doubleValue());
        }
        return out;
    }

    private static List<OptimizerState.Group> groups(Object json, List<String> order) {
        if (!(json instanceof List<?> list)) {
            throw new IllegalArgumentException("optim.groups must be a JSON array");
        }
        List<OptimizerState.Group> out = new ArrayList<>();
        for (Object o : list) {
            if (!(o instanceof Map<?, ?> m) || !(m.get("params") instanceof List<?> names)) {
                throw new IllegalArgumentException("optim.groups entries must be {\"params\": [...], \"hyper\": {...}}");
            }
            List<Integer> members = new ArrayList<>();
            for (Object n : names) {
                int index = order.indexOf(String.valueOf(n));
                if (index < 0) {
                    throw new IllegalArgumentException("optim.groups names '" + n + "', which is not in optim.params");
                }
                members.add(index);
            }
            out.add(new OptimizerState.Group(members, numbers(m.get("hyper"))));
        }
        return out;
    }

    private static String required(Path file, Map<String, String> meta, String key) {
        String v = meta.get(OPTIM_PREFIX + key);
        if (v == null) {
            throw new SafetensorsException(file + ": metadata has optim.name but no " + OPTIM_PREFIX + key);
        }
        return v;
    }

    /**
     * Copies the parameters into {@code target}.
     *
     * @throws SafetensorsException naming the file and the tensor when names or shapes do not fit the model
     */
    public void loadInto(Module target) {
        try {
            target.loadStateDict(model);
        } catch (IllegalArgumentException e) {
            throw new SafetensorsException(file + ": " + e.getMessage(), e);
        }
    }

    /** Restores {@code target}'s state (errors name the file). */
    public void loadInto(Optimizer target) {
        if (optimizer == null) {
            throw new SafetensorsException(file + ": the checkpoint holds no optimizer state");
        }
        try {
            target.loadState(optimizer);
        } catch (IllegalArgumentException e) {
            throw new SafetensorsException(file + ": " + e.getMessage(), e);
        }
    }

    /** A metadata value, or null. */
    public String meta(String key) {
        return metadata.get(key);
    }

    /** Frees every tensor read. */
    @Override
    public void close() {
        model.values().forEach(Tensor::close);
        extra.values().forEach(Tensor::close);
        if (optimizer != null) {
            optimizer.tensors().values().forEach(Tensor::close);
        }
    }
}
