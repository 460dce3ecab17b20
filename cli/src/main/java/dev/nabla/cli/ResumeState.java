package dev.nabla.cli;

import dev.nabla.Rng;
import dev.nabla.io.Json;
import dev.nabla.io.SafetensorsException;
import dev.nabla.nn.Dropout;
import dev.nabla.nn.Module;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The part of a checkpoint that lets {@code nabla train --resume} continue a run exactly where it
 * stopped, beside the parameters and optimizer state: epochs done, the state of every random
 * generator still in use (shuffling, augmentation, dropout masks), the per-epoch history for the
 * plot, and early stopping's record (its best state is stored as {@code extra.best.*} tensors).
 * Stored in metadata keys {@code resume.*}; generator states are whole {@code long}s.
 *
 * @param epoch        epochs completed
 * @param dropoutRngs  states of the dropout generators, in module order (each generator once)
 * @param earlyStop    {@code [epochs, best epoch]} of early stopping, or null without a validation split
 * @param bestLoss     the lowest validation loss (meaningful when the best epoch is not 0)
 * @param stoppedEarly whether the run ended by early stopping (it cannot then be resumed)
 */
record ResumeState(int epoch, long shuffleRng, long augmentRng, List<Long> dropoutRngs, TrainingPlot.History history,
                   int[] earlyStop, double bestLoss, boolean stoppedEarly) {
    static final String PREFIX = "resume.";

    Map<String, String> toMap() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(PREFIX + "epoch", Integer.toString(epoch));
        m.put(PREFIX + "rng.shuffle", Long.toString(shuffleRng));
        m.put(PREFIX + "rng.augment", Long.toString(augmentRng));
        m.put(PREFIX + "rng.dropout", Json.write(dropoutRngs));
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("loss", nullForNaN(history.loss()));
        h.put("train_accuracy", nullForNaN(history.trainAccuracy()));
        h.put("test_accuracy", nullForNaN(history.testAccuracy())); // NaN: not evaluated (a silent run)
        m.put(PREFIX + "history", Json.write(h));
        if (earlyStop != null) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("epochs", earlyStop[0]);
            e.put("best_epoch", earlyStop[1]);
            if (earlyStop[1] > 0) {
                e.put("best_loss", bestLoss);
            }
            m.put(PREFIX + "early_stopping", Json.write(e));
        }
        m.put(PREFIX + "stopped_early", Boolean.toString(stoppedEarly));
        return m;
    }

    /**
     * Reads the state back.
     *
     * @throws SafetensorsException naming the file and the key when the checkpoint holds no
     *                              training state or a malformed one
     */
    static ResumeState from(Path file, Map<String, String> m) {
        if (!m.containsKey(PREFIX + "epoch")) {
            throw new SafetensorsException(file + ": the checkpoint holds no training state to resume (no resume.epoch)");
        }
        String key = PREFIX + "epoch";
        try {
            int epoch = Integer.parseInt(m.get(key));
            key = PREFIX + "rng.shuffle";
            long shuffle = Long.parseLong(required(m, key));
            key = PREFIX + "rng.augment";
            long augment = Long.parseLong(required(m, key));
            key = PREFIX + "rng.dropout";
            List<Long> dropout = new ArrayList<>();
            for (Object o : list(Json.parse(required(m, key)))) {
                dropout.add(((Number) o).longValue());
            }
            key = PREFIX + "history";
            Map<?, ?> h = (Map<?, ?>) Json.parse(required(m, key));
            TrainingPlot.History history = new TrainingPlot.History(doubles(h.get("loss")),
                    doubles(h.get("train_accuracy")), doubles(h.get("test_accuracy")));
            key = PREFIX + "early_stopping";
            int[] earlyStop = null;
            double bestLoss = Double.POSITIVE_INFINITY;
            if (m.containsKey(key)) {
                Map<?, ?> e = (Map<?, ?>) Json.parse(m.get(key));
                earlyStop = new int[] {((Number) e.get("epochs")).intValue(), ((Number) e.get("best_epoch")).intValue()};
                if (earlyStop[1] > 0) {
                    bestLoss = ((Number) e.get("best_loss")).doubleValue();
                }
            }
            key = PREFIX + "stopped_early";
            boolean stopped = Boolean.parseBoolean(required(m, key));
            return new ResumeState(epoch, shuffle, augment, dropout, history, earlyStop, bestLoss, stopped);
        } catch (RuntimeException e) {
            if (e instanceof SafetensorsException) {
                throw e;
            }
            throw new SafetensorsException(file + ": metadata '" + key + "' is missing or malformed ("
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()) + ")", e);
        }
    }

    private static String required(Map<String, String> m, String key) {
        String v = m.get(key);
        if (v == null) {
            throw new IllegalArgumentException("missing");
        }
        return v;
    }

    private static List<?> list(Object o) {
        if (!(o instanceof List<?> l)) {
            throw new IllegalArgumentException("not a JSON array");
        }
        return l;
    }

    private static List<Double> doubles(Object o) {
        List<Double> out = new ArrayList<>();
        for (Object v : list(o)) {
            out.add(v == null ? Double.NaN : ((Number) v).doubleValue());
        }
        return out;
    }

    private static List<Double> nullForNaN(List<Double> values) {
        List<Double> out = new ArrayList<>();
        for (Double v : values) {
            out.add(v.isNaN() ? null : v);
        }
        return out;
    }

    /**
     * Refuses, in one line, a checkpoint that these flags would not continue exactly: another
     * architecture, data set, split, seed or optimizer setting, an ensemble, or no training state.
     * {@code run} holds the data settings as checkpoint metadata ({@code data}, {@code split.seed},
     * {@code split.test_fraction}, {@code train.val_split}).
     */
    static void checkResumable(Path file, Map<String, String> metadata, TrainingSettings settings,
                               Map<String, String> run) {
        ModelMetadata meta = ModelMetadata.from(file, metadata);
        if (!meta.arch().equals(settings.arch())) {
            throw new IllegalArgumentException("--resume " + file + ": the checkpoint holds a " + meta.arch()
                    + " model but these flags build " + settings.arch() + " (use the same --hidden, --activation, "
                    + "--dropout and --batch-norm)");
        }
        if (meta.ensemble() > 1) {
            throw new IllegalArgumentException("--resume " + file + ": the checkpoint is an ensemble of " + meta.ensemble()
                    + " models; only single models can be resumed");
        }
        ResumeState.from(file, metadata);
        Map<String, String> expected = new LinkedHashMap<>(run);
        expected.putAll(settings.record());
        expected.remove("train.epochs");
        for (Map.Entry<String, String> e : expected.entrySet()) {
            String saved = metadata.get(e.getKey());
            if (!e.getValue().equals(saved)) {
                String flag = e.getKey().equals("data") ? "--data" : e.getKey().startsWith("split.")
                        ? (e.getKey().equals("split.seed") ? "--seed" : "--test-split") : TrainingSettings.flagOf(e.getKey());
                throw new IllegalArgumentException("--resume " + file + ": the checkpoint was trained with " + flag + " "
                        + (saved == null ? "(not recorded)" : saved) + ", these flags give " + e.getValue()
                        + "; resume with the flags of the saved run");
            }
        }
    }

    /** The distinct generators of the model's dropout layers, in module order. */
    static List<Rng> dropoutRngs(Module model) {
        Map<Rng, Boolean> seen = new IdentityHashMap<>();
        List<Rng> out = new ArrayList<>();
        collect(model, seen, out);
        return out;
    }

    private static void collect(Module m, Map<Rng, Boolean> seen, List<Rng> out) {
        if (m instanceof Dropout d && seen.put(d.rng(), Boolean.TRUE) == null) {
            out.add(d.rng());
        }
        for (Module child : m.children().values()) {
            collect(child, seen, out);
        }
    }
}
