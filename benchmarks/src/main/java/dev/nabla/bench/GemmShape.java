package dev.nabla.bench;

/**
 * A matrix-product size written as a benchmark parameter: {@code 1024} is square
 * {@code 1024×1024 @ 1024×1024}; {@code 512x784x1024} is {@code [512, 784] @ [784, 1024]} (m×k×n).
 */
public record GemmShape(int m, int k, int n) {

    /** Parses {@code n} or {@code m x k x n}. */
    public static GemmShape parse(String spec) {
        String[] parts = spec.trim().toLowerCase(java.util.Locale.ROOT).split("x");
        try {
            if (parts.length == 1) {
                int n = Integer.parseInt(parts[0].trim());
                return check(spec, new GemmShape(n, n, n));
            }
            if (parts.length == 3) {
                return check(spec, new GemmShape(Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim()),
                        Integer.parseInt(parts[2].trim())));
            }
        } catch (NumberFormatException e) {
            // fall through to the message below
        }
        throw new IllegalArgumentException("shape '" + spec + "': expected n (square) or MxKxN, e.g. 512x784x1024");
    }

    private static GemmShape check(String spec, GemmShape s) {
        if (s.m < 1 || s.k < 1 || s.n < 1) {
            throw new IllegalArgumentException("shape '" + spec + "': sizes must be positive");
        }
        return s;
    }

    /** {@code 2·m·k·n}: one multiply and one add per term. */
    public double flops() {
        return 2.0 * m * k * n;
    }

    /** Whether {@code m = k = n}. */
    public boolean square() {
        return m == k && k == n;
    }
}
