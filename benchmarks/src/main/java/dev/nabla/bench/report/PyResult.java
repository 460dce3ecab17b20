package dev.nabla.bench.report;

/**
 * One timing by the Python baseline ({@code compare.py}).
 *
 * @param lib       {@code numpy} or {@code torch}
 * @param benchmark {@code gemm}, {@code relu}, {@code add}, {@code backprop}, {@code numerical},
 *                  {@code train_forward}, {@code train_forward_backward}, {@code train_step}, {@code softmax_ce}
 * @param key       the size, in the same notation as the JMH parameter
 * @param threads   threads the library was given
 * @param ms        milliseconds per call
 */
public record PyResult(String lib, String benchmark, String key, int threads, double ms) {

    /** Parses a result line {@code lib benchmark key threads seconds} (tab-separated); null for other lines. */
    public static PyResult parse(String line) {
        if (line.isBlank() || line.startsWith("#")) {
            return null;
        }
        String[] f = line.split("\t");
        if (f.length != 5) {
            throw new IllegalArgumentException("python baseline: expected 5 tab-separated fields, got '" + line + "'");
        }
        return new PyResult(f[0], f[1], f[2], Integer.parseInt(f[3].trim()), Double.parseDouble(f[4].trim()) * 1e3);
    }
}
