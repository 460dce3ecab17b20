package dev.nabla.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Counts of (true class, predicted class) pairs. Row {@code i} is the true class, column {@code j}
 * the prediction, so the diagonal holds the correct predictions and a row's off-diagonal cells say
 * what that class is mistaken for.
 */
public final class ConfusionMatrix {
    private final List<String> names;
    private final long[][] counts;

    /** Classes named {@code 0, 1, ..., classes-1}. */
    public ConfusionMatrix(int classes) {
        this(defaultNames(classes));
    }

    /** Classes with the given names. */
    public ConfusionMatrix(List<String> classNames) {
        if (classNames.isEmpty()) {
            throw new IllegalArgumentException("ConfusionMatrix: needs at least one class");
        }
        this.names = List.copyOf(classNames);
        this.counts = new long[names.size()][names.size()];
    }

    private static List<String> defaultNames(int classes) {
        List<String> l = new ArrayList<>();
        for (int i = 0; i < classes; i++) {
            l.add(Integer.toString(i));
        }
        return l;
    }

    /** A matrix filled from parallel arrays of true and predicted classes. */
    public static ConfusionMatrix of(List<String> classNames, int[] actual, int[] predicted) {
        ConfusionMatrix m = new ConfusionMatrix(classNames);
        m.addAll(actual, predicted);
        return m;
    }

    /** Counts one example. */
    public void add(int actual, int predicted) {
        check(actual, "true");
        check(predicted, "predicted");
        counts[actual][predicted]++;
    }

    /** Counts every example of two parallel arrays. */
    public void addAll(int[] actual, int[] predicted) {
        if (actual.length != predicted.length) {
            throw new IllegalArgumentException("ConfusionMatrix: " + actual.length + " true classes but "
                    + predicted.length + " predictions");
        }
        for (int i = 0; i < actual.length; i++) {
            add(actual[i], predicted[i]);
        }
    }

    private void check(int c, String what) {
        if (c < 0 || c >= names.size()) {
            throw new IllegalArgumentException("ConfusionMatrix: " + what + " class " + c + " is outside [0, "
                    + names.size() + ")");
        }
    }

    /** Number of classes. */
    public int classCount() {
        return names.size();
    }

    /** Examples of true class {@code actual} predicted as {@code predicted}. */
    public long count(int actual, int predicted) {
        return counts[actual][predicted];
    }

    /** All examples counted. */
    public long total() {
        long t = 0;
        for (long[] row : counts) {
            for (long v : row) {
                t += v;
            }
        }
        return t;
    }

    /** Examples on the diagonal. */
    public long correct() {
        long c = 0;
        for (int i = 0; i < counts.length; i++) {
            c += counts[i][i];
        }
        return c;
    }

    /** {@code correct() / total()} (NaN when empty). */
    public double accuracy() {
        return (double) correct() / total();
    }

    /** Of the examples of class {@code c}, the fraction predicted as {@code c} (NaN when none). */
    public double recall(int c) {
        long row = 0;
        for (long v : counts[c]) {
            row += v;
        }
        return (double) counts[c][c] / row;
    }

    /** Of the examples predicted as {@code c}, the fraction that are {@code c} (NaN when none). */
    public double precision(int c) {
        long col = 0;
        for (long[] row : counts) {
            col += row[c];
        }
        return (double) counts[c][c] / col;
    }

    /**
     * A table with one row per true class, one column per prediction and a recall column, e.g.
     * <pre>
     * true \ predicted  setosa  versicolor  virginica  recall
     * setosa                10           0          0   1.000
     * versicolor             0           9          1   0.900
     * </pre>
     */
    @Override
    public String toString() {
        String corner = "true \\ predicted";
        int first = corner.length();
        for (String n : names) {
            first = Math.max(first, n.length());
        }
        long max = 0;
        for (long[] row : counts) {
            for (long v : row) {
                max = Math.max(max, v);
            }
        }
        int[] widths = new int[names.size()];
        for (int j = 0; j < names.size(); j++) {
            widths[j] = Math.max(names.get(j).length(), Long.toString(max).length());
        }
        StringBuilder sb = new StringBuilder();
        sb.append(pad(corner, first, false));
        for (int j = 0; j < names.size(); j++) {
            sb.append("  ").append(pad(names.get(j), widths[j], true));
        }
        sb.append("  recall\n");
        for (int i = 0; i < names.size(); i++) {
            sb.append(pad(names.get(i), first, false));
            for (int j = 0; j < names.size(); j++) {
                sb.append("  ").append(pad(Long.toString(counts[i][j]), widths[j], true));
            }
            double r = recall(i);
            sb.append("  ").append(Double.isNaN(r) ? "     -" : String.format(Locale.ROOT, "%6.3f", r)).append('\n');
        }
        sb.append(String.format(Locale.ROOT, "accuracy %.4f (%d of %d)", accuracy(), correct(), total()));
        return sb.toString();
    }

    private static String pad(String s, int width, boolean right) {
        if (s.length() >= width) {
            return s;
        }
        String spaces = " ".repeat(width - s.length());
        return right ? spaces + s : s + spaces;
    }
}
