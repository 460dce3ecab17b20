package dev.nabla.backend;

/** Reductions along one axis. {@link #MAX} and {@link #MIN} propagate NaN. */
public enum ReduceOp {
    SUM, MEAN, MAX, MIN;

    /** Scalar reference over {@code values[from..to)} read with {@code stride}. */
    public double reference(double[] values, int from, int count, int stride) {
        double acc = switch (this) {
            case SUM, MEAN -> 0;
            case MAX -> Double.NEGATIVE_INFINITY;
            case MIN -> Double.POSITIVE_INFINITY;
        };
        for (int i = 0; i < count; i++) {
            double v = values[from + i * stride];
            acc = switch (this) {
                case SUM, MEAN -> acc + v;
                case MAX -> Math.max(acc, v);
                case MIN -> Math.min(acc, v);
            };
        }
        return this == MEAN ? acc / count : acc;
    }
}
