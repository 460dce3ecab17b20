package dev.nabla.bench;

import java.util.Arrays;

/**
 * A network and batch written as a benchmark parameter: {@code 784-1024-1024-10:512} is inputs
 * 784, two hidden layers of 1024, 10 classes, batch 512.
 *
 * @param sizes layer widths, input first, classes last
 * @param batch rows per step
 */
public record BenchModel(int[] sizes, int batch) {

    /** Parses {@code w0-w1-...-wn:batch}. */
    public static BenchModel parse(String spec) {
        String s = spec.trim();
        int colon = s.indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("model '" + spec + "': expected widths-joined-by-dashes:batch, e.g. 784-1024-10:512");
        }
        try {
            int[] sizes = Arrays.stream(s.substring(0, colon).split("-")).mapToInt(v -> Integer.parseInt(v.trim())).toArray();
            int batch = Integer.parseInt(s.substring(colon + 1).trim());
            if (sizes.length < 2 || batch < 1 || Arrays.stream(sizes).anyMatch(v -> v < 1)) {
                throw new IllegalArgumentException("model '" + spec + "': need at least two positive widths and a positive batch");
            }
            return new BenchModel(sizes, batch);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("model '" + spec + "': " + e.getMessage() + " is not a number; expected e.g. 784-1024-10:512");
        }
    }

    /** Parameters of the network. */
    public long parameters() {
        return Mlp.parameterCount(sizes);
    }

    /**
     * Floating-point operations of one forward pass's matrix products, {@code 2·batch·Σ in·out}
     * (bias, activation and loss are lower order).
     */
    public double forwardFlops() {
        double f = 0;
        for (int l = 0; l + 1 < sizes.length; l++) {
            f += 2.0 * batch * sizes[l] * sizes[l + 1];
        }
        return f;
    }
}
