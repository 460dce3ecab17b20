package dev.nabla.bench.report;

import java.util.Map;

/**
 * One JMH result: benchmark class (simple name), method, parameters and the average time.
 *
 * @param benchmark class simple name, e.g. {@code GemmBenchmark}
 * @param method    benchmark method, e.g. {@code matmul}
 * @param params    JMH parameters ({@code backend}, {@code shape}, ...)
 * @param ms        mean milliseconds per operation
 * @param errorMs   half-width of JMH's 99.9% confidence interval (NaN with too few samples)
 */
public record Measurement(String benchmark, String method, Map<String, String> params, double ms, double errorMs) {

    public Measurement {
        params = Map.copyOf(params);
    }

    /** A parameter's value, or {@code ""}. */
    public String param(String name) {
        return params.getOrDefault(name, "");
    }

    /** The {@code backend} parameter. */
    public String backend() {
        return param("backend");
    }

    /** One tab-separated line: benchmark, method, {@code k=v;k=v} parameters (sorted), ms, error. */
    public String tsv() {
        StringBuilder p = new StringBuilder();
        new java.util.TreeMap<>(params).forEach((k, v) -> p.append(p.length() == 0 ? "" : ";").append(k).append('=')
                .append(v));
        return benchmark + "\t" + method + "\t" + p + "\t" + ms + "\t" + errorMs;
    }

    /** Parses {@link #tsv()}'s line. */
    public static Measurement parseTsv(String line) {
        String[] f = line.split("\t");
        if (f.length != 5) {
            throw new IllegalArgumentException("measurements.tsv: expected 5 tab-separated fields, got '" + line + "'");
        }
        Map<String, String> params = new java.util.LinkedHashMap<>();
        for (String kv : f[2].split(";")) {
            int eq = kv.indexOf('=');
            if (eq > 0) {
                params.put(kv.substring(0, eq), kv.substring(eq + 1));
            }
        }
        return new Measurement(f[0], f[1], params, Double.parseDouble(f[3]), Double.parseDouble(f[4]));
    }

    /** Whether this is {@code benchmark.method}. */
    public boolean is(String benchmark, String method) {
        return this.benchmark.equals(benchmark) && this.method.equals(method);
    }
}
