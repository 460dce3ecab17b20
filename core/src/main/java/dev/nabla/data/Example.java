package dev.nabla.data;

/**
 * One example: its features and either a class label (classification; {@code target} is null) or
 * a target vector (regression; {@code label} is -1).
 */
public record Example(float[] features, int label, float[] target) {
    /** Whether this example has a class label rather than a target vector. */
    public boolean isClassification() {
        return target == null;
    }
}
