package dev.nabla.data;

import dev.nabla.Device;
import dev.nabla.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An in-memory data set on the host: float32 features {@code [N, F]} in row-major order, and either
 * INT32 class labels {@code [N]} with class names (classification) or float32 targets
 * {@code [N, T]} (regression). Immutable: accessors return copies, transformations new data sets.
 */
public final class TensorDataset implements Dataset {
    private final String name;
    private final float[] features;
    private final int featureCount;
    private final int[] labels;
    private final List<String> classNames;
    private final float[] targets;
    private final int targetCount;
    private final List<String> featureNames;

    private TensorDataset(String name, float[] features, int featureCount, int[] labels, List<String> classNames,
                          float[] targets, int targetCount, List<String> featureNames) {
        this.name = name;
        this.features = features;
        this.featureCount = featureCount;
        this.labels = labels;
        this.classNames = classNames;
        this.targets = targets;
        this.targetCount = targetCount;
        this.featureNames = featureNames;
    }

    /**
     * A classification data set (arrays are copied).
     *
     * @param features     {@code N·F} values, row-major
     * @param labels       {@code N} class ids in {@code [0, classNames.size())}
     * @param classNames   the name of each class id
     * @param featureNames F names, or null for {@code x0, x1, ...}
     * @throws IllegalArgumentException if the sizes disagree or a label is out of range
     */
    public static TensorDataset classification(String name, float[] features, int featureCount, int[] labels,
                                               List<String> classNames, List<String> featureNames) {
        int n = rows(name, features, featureCount);
        if (labels.length != n) {
            throw new IllegalArgumentException(name + ": " + n + " feature rows but " + labels.length + " labels");
        }
        if (classNames.isEmpty()) {
            throw new IllegalArgumentException(name + ": no class names");
        }
        for (int i = 0; i < n; i++) {
            if (labels[i] < 0 || labels[i] >= classNames.size()) {
                throw new IllegalArgumentException(name + ": label " + labels[i] + " of example " + i
                        + " is outside [0, " + classNames.size() + ")");
            }
        }
        return new TensorDataset(name, features.clone(), featureCount, labels.clone(), List.copyOf(classNames), null,
                0, names(name, featureNames, featureCount));
    }

    /** A regression data set with {@code targetCount} targets per example (arrays are copied). */
    public static TensorDataset regression(String name, float[] features, int featureCount, float[] targets,
                                           int targetCount, List<String> featureNames) {
        int n = rows(name, features, featureCount);
        if (targetCount <= 0 || targets.length != (long) n * targetCount) {
            throw new IllegalArgumentException(name + ": " + n + " feature rows need " + n + "×" + targetCount
                    + " targets, got " + targets.length);
        }
        return new TensorDataset(name, features.clone(), featureCount, null, null, targets.clone(), targetCount,
                names(name, featureNames, featureCount));
    }

    private static int rows(String name, float[] features, int featureCount) {
        if (featureCount <= 0 || features.length % featureCount != 0) {
            throw new IllegalArgumentException(name + ": " + features.length + " feature values do not make rows of "
                    + featureCount);
        }
        return features.length / featureCount;
    }

    private static List<String> names(String name, List<String> featureNames, int featureCount) {
        if (featureNames == null) {
            List<String> l = new ArrayList<>();
            for (int i = 0; i < featureCount; i++) {
                l.add("x" + i);
            }
            return List.copyOf(l);
        }
        if (featureNames.size() != featureCount) {
            throw new IllegalArgumentException(name + ": " + featureNames.size() + " feature names for " + featureCount
                    + " features");
        }
        return List.copyOf(featureNames);
    }

    /** Where the data came from ({@code digits}, a file name). */
    public String name() {
        return name;
    }

    @Override
    public int size() {
        return features.length / featureCount;
    }

    /** Features per example. */
    public int featureCount() {
        return featureCount;
    }

    /** Feature names, one per column. */
    public List<String> featureNames() {
        return featureNames;
    }

    /** Whether examples have class labels (else regression targets). */
    public boolean isClassification() {
        return labels != null;
    }

    /** Number of classes (0 for regression). */
    public int classCount() {
        return labels == null ? 0 : classNames.size();
    }

    /** Class names by class id (empty for regression). */
    public List<String> classNames() {
        return labels == null ? List.of() : classNames;
    }

    /** Targets per example (0 for classification). */
    public int targetCount() {
        return targetCount;
    }

    /** A copy of all features, row-major {@code [N, F]}. */
    public float[] features() {
        return features.clone();
    }

    /** Feature {@code j} of example {@code i}. */
    public float feature(int i, int j) {
        checkIndex(i);
        if (j < 0 || j >= featureCount) {
            throw new IndexOutOfBoundsException(name + ": feature " + j + " outside [0, " + featureCount + ")");
        }
        return features[i * featureCount + j];
    }

    /** A copy of the labels (classification only). */
    public int[] labels() {
        requireClassification("labels");
        return labels.clone();
    }

    /** Label of example {@code i} (classification only). */
    public int label(int i) {
        requireClassification("label");
        checkIndex(i);
        return labels[i];
    }

    /** A copy of the targets {@code [N, T]} (regression only). */
    public float[] targets() {
        if (targets == null) {
            throw new IllegalStateException(name + ": targets: this is a classification data set; use labels()");
        }
        return targets.clone();
    }

    private void requireClassification(String what) {
        if (labels == null) {
            throw new IllegalStateException(name + ": " + what + ": this is a regression data set; use targets()");
        }
    }

    private void checkIndex(int i) {
        if (i < 0 || i >= size()) {
            throw new IndexOutOfBoundsException(name + ": example " + i + " outside [0, " + size() + ")");
        }
    }

    @Override
    public Example get(int index) {
        checkIndex(index);
        float[] x = Arrays.copyOfRange(features, index * featureCount, (index + 1) * featureCount);
        if (labels != null) {
            return new Example(x, labels[index], null);
        }
        return new Example(x, -1, Arrays.copyOfRange(targets, index * targetCount, (index + 1) * targetCount));
    }

    /** The examples at {@code indices}, in that order (repeats allowed). */
    public TensorDataset subset(int[] indices) {
        float[] x = new float[indices.length * featureCount];
        int[] y = labels == null ? null : new int[indices.length];
        float[] t = targets == null ? null : new float[indices.length * targetCount];
        gather(indices, 0, indices.length, x, y, t);
        return new TensorDataset(name, x, featureCount, y, classNames, t, targetCount, featureNames);
    }

    /** The same data under another name. */
    public TensorDataset named(String newName) {
        return new TensorDataset(newName, features, featureCount, labels, classNames, targets, targetCount,
                featureNames);
    }

    /** The same labels or targets with new features of the same shape (e.g. standardised). */
    public TensorDataset withFeatures(float[] newFeatures) {
        if (newFeatures.length != features.length) {
            throw new IllegalArgumentException(name + ": withFeatures: " + newFeatures.length + " values replace "
                    + features.length);
        }
        return new TensorDataset(name, newFeatures.clone(), featureCount, labels, classNames, targets, targetCount,
                featureNames);
    }

    /**
     * Copies the examples {@code indices[from..to)} into {@code x} (row-major) and {@code y}
     * (labels) or {@code t} (targets); the unused one may be null. For minibatches.
     */
    public void gather(int[] indices, int from, int to, float[] x, int[] y, float[] t) {
        for (int r = from; r < to; r++) {
            int i = indices[r];
            checkIndex(i);
            System.arraycopy(features, i * featureCount, x, (r - from) * featureCount, featureCount);
            if (labels != null && y != null) {
                y[r - from] = labels[i];
            }
            if (targets != null && t != null) {
                System.arraycopy(targets, i * targetCount, t, (r - from) * targetCount, targetCount);
            }
        }
    }

    /** All features as a float32 {@code [N, F]} tensor on {@code device}. */
    public Tensor featuresTensor(Device device) {
        return Tensor.of(device, features, size(), featureCount);
    }

    /** All labels as an INT32 {@code [N]} tensor on {@code device} (classification only). */
    public Tensor labelsTensor(Device device) {
        requireClassification("labelsTensor");
        return Tensor.of(device, labels);
    }

    /** All targets as a float32 {@code [N, T]} tensor on {@code device} (regression only). */
    public Tensor targetsTensor(Device device) {
        return Tensor.of(device, targets(), size(), targetCount);
    }

    /** Examples per class id (classification only). */
    public int[] classCounts() {
        requireClassification("classCounts");
        int[] counts = new int[classNames.size()];
        for (int l : labels) {
            counts[l]++;
        }
        return counts;
    }

    @Override
    public String toString() {
        return name + ": " + size() + " examples, " + featureCount + " features, "
                + (labels != null ? classNames.size() + " classes" : targetCount + " targets");
    }
}
