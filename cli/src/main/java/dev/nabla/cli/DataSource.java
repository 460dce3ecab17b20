package dev.nabla.cli;

import dev.nabla.Rng;
import dev.nabla.data.CsvReader;
import dev.nabla.data.Datasets;
import dev.nabla.data.TensorDataset;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The {@code --data} argument of {@code train} and {@code evaluate}: {@code digits}, {@code iris},
 * {@code spirals} or {@code spirals:K} (K classes, generated from the seed), or {@code csv:PATH}
 * (label column from {@code --label-column}, by name or 0-based index; the last column when not given).
 */
final class DataSource {
    /** Points per arm of the generated spirals. */
    static final int SPIRAL_POINTS = 200;
    /** Angular noise of the generated spirals. */
    static final double SPIRAL_NOISE = 0.2;

    private DataSource() {
    }

    static TensorDataset load(String spec, String labelColumn, long seed) {
        String s = spec.trim();
        String lower = s.toLowerCase(Locale.ROOT);
        if (labelColumn != null && !lower.startsWith("csv:")) {
            throw new IllegalArgumentException("--label-column applies to csv:PATH data only, not '" + spec + "'");
        }
        if (lower.equals("digits")) {
            return Datasets.digits();
        }
        if (lower.equals("iris")) {
            return Datasets.iris();
        }
        if (lower.equals("spirals") || lower.startsWith("spirals:")) {
            int classes = 3;
            if (lower.startsWith("spirals:")) {
                try {
                    classes = Integer.parseInt(lower.substring("spirals:".length()));
                } catch (NumberFormatException e) {
                    classes = -1;
                }
                if (classes < 2) {
                    throw new IllegalArgumentException("--data " + spec + ": the number of spiral arms must be an "
                            + "integer of at least 2");
                }
            }
            return Datasets.spirals(classes, SPIRAL_POINTS, SPIRAL_NOISE, new Rng(seed));
        }
        if (lower.startsWith("csv:")) {
            String path = s.substring(4);
            if (path.isEmpty()) {
                throw new IllegalArgumentException("--data csv: needs a file, e.g. csv:data/flowers.csv");
            }
            return CsvReader.read(Path.of(path), labelColumn);
        }
        throw new IllegalArgumentException("--data: unknown data set '" + spec
                + "' (use digits, iris, spirals, spirals:K or csv:PATH)");
    }
}
