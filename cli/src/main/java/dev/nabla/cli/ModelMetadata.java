package dev.nabla.cli;

import dev.nabla.data.Standardizer;
import dev.nabla.io.Json;
import dev.nabla.io.SafetensorsException;
import dev.nabla.nn.MlpSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What {@code nabla train} writes into a checkpoint's metadata so {@code nabla evaluate} can
 * rebuild the model, reload the data, find the same test split and standardise it the same way,
 * without retraining: architecture, data set, label column and names, feature names,
 * standardisation statistics, seed and split, the number of ensemble members (when more than one),
 * plus the training settings, which {@code --resume} checks, and the state to resume from.
 */
record ModelMetadata(MlpSpec arch, String data, String labelColumn, List<String> labels, List<String> features,
                     Standardizer standardizer, long seed, double testFraction, Map<String, String> training,
                     int ensemble) {
    static final String FORMAT = "nabla-mlp-classifier/1";

    Map<String, String> toMap() {
        LinkedHashMap<String, String> m = new LinkedHashMap<>();
        m.put("format", FORMAT);
        m.put("arch", arch.toString());
        if (ensemble > 1) {
            m.put("ensemble", Integer.toString(ensemble));
        }
        m.put("data", data);
        if (labelColumn != null) {
            m.put("label_column", labelColumn);
        }
        m.put("labels", Json.write(labels));
        m.put("features", Json.write(features));
        m.put("standardize.mean", Json.write(standardizer.mean()));
        m.put("standardize.std", Json.write(standardizer.std()));
        m.put("seed", Long.toString(seed));
        m.put("split.seed", Long.toString(seed));
        m.put("split.test_fraction", Double.toString(testFraction));
        m.putAll(training);
        return m;
    }

    /**
     * Reads the metadata of a checkpoint written by {@code nabla train}.
     *
     * @throws SafetensorsException naming the file and the key that is missing or malformed
     */
    static ModelMetadata from(Path file, Map<String, String> m) {
        if (!FORMAT.equals(m.get("format"))) {
            throw new SafetensorsException(file + ": not a model written by 'nabla train' (metadata format is "
                    + (m.get("format") == null ? "missing" : "'" + m.get("format") + "'") + ", expected '" + FORMAT + "')");
        }
        try {
            MlpSpec arch = MlpSpec.parse(required(m, "arch"));
            List<String> labels = strings(required(m, "labels"), "labels");
            List<String> features = strings(required(m, "features"), "features");
            float[] mean = floats(required(m, "standardize.mean"), "standardize.mean");
            float[] std = floats(required(m, "standardize.std"), "standardize.std");
            Standardizer st = Standardizer.of(mean, std);
            if (st.featureCount() != arch.inputs() || features.size() != arch.inputs()) {
                throw new IllegalArgumentException("the architecture has " + arch.inputs() + " inputs but the metadata "
                        + "describes " + features.size() + " features and " + st.featureCount() + " standardisation entries");
            }
            if (labels.size() != arch.outputs()) {
                throw new IllegalArgumentException("the architecture has " + arch.outputs() + " outputs but 'labels' "
                        + "names " + labels.size() + " classes");
            }
            long seed = Long.parseLong(required(m, "split.seed"));
            double fraction = Double.parseDouble(required(m, "split.test_fraction"));
            int ensemble = m.containsKey("ensemble") ? Integer.parseInt(m.get("ensemble")) : 1;
            if (ensemble < 1) {
                throw new IllegalArgumentException("'ensemble' must be at least 1, got " + ensemble);
            }
            return new ModelMetadata(arch, required(m, "data"), m.get("label_column"), labels, features, st, seed,
                    fraction, Map.of(), ensemble);
        } catch (IllegalArgumentException e) {
            throw new SafetensorsException(file + ": metadata: " + e.getMessage(), e);
        }
    }

    private static String required(Map<String, String> m, String key) {
        String v = m.get(key);
        if (v == null) {
            throw new IllegalArgumentException("'" + key + "' is missing");
        }
        return v;
    }

    private static List<String> strings(String json, String key) {
        Object v = Json.parse(json);
        if (!(v instanceof List<?> list)) {
            throw new IllegalArgumentException("'" + key + "' must be a JSON array of strings");
        }
        List<String> out = new ArrayList<>();
        for (Object o : list) {
            if (!(o instanceof String s)) {
                throw new IllegalArgumentException("'" + key + "' must be a JSON array of strings");
            }
            out.add(s);
        }
        return out;
    }

    private static float[] floats(String json, String key) {
        Object v = Json.parse(json);
        if (!(v instanceof List<?> list)) {
            throw new IllegalArgumentException("'" + key + "' must be a JSON array of numbers");
        }
        float[] out = new float[list.size()];
        for (int i = 0; i < out.length; i++) {
            if (!(list.get(i) instanceof Number n)) {
                throw new IllegalArgumentException("'" + key + "' must be a JSON array of numbers");
            }
            out[i] = n.floatValue();
        }
        return out;
    }

    /** A setting for the record, e.g. {@code train.lr}. */
    static String number(double v) {
        return String.format(Locale.ROOT, "%s", v);
    }
}
