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

    /** Whether this is {@code benchmark.method}. */
    public boolean is(String benchmark, String method) {
        return this.benchmark.equals(benchmark) && this.method.equals(method);
    }
}
