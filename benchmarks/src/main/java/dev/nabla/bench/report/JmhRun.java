package dev.nabla.bench.report;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One JMH invocation of the report: some methods of one benchmark class, the parameter values to
 * sweep, and how long to warm up and measure.
 *
 * @param title     what the run measures, for progress lines
 * @param benchmark benchmark class simple name in {@code dev.nabla.bench}
 * @param methods   benchmark methods to run
 * @param params    parameter name → values (every combination runs, each in its own fork)
 * @param timing    forks and iterations
 */
public record JmhRun(String title, String benchmark, List<String> methods, Map<String, List<String>> params,
                     Timing timing) {

    public JmhRun {
        methods = List.copyOf(methods);
        Map<String, List<String>> copy = new LinkedHashMap<>();
        params.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        params = java.util.Collections.unmodifiableMap(copy);
    }

    /** JMH's include pattern for exactly these methods. */
    public String include() {
        return "^dev\\.nabla\\.bench\\." + benchmark + "\\.(" + String.join("|", methods) + ")$";
    }

    /** Method × parameter combinations: the number of forks per fork count. */
    public int configurations() {
        int n = methods.size();
        for (List<String> v : params.values()) {
            n *= v.size();
        }
        return n;
    }

    /** A rough upper estimate of the run's seconds (JVM start and setup counted as 2 s per fork). */
    public double estimatedSeconds() {
        double perFork = 2 + (timing.warmupIterations() * timing.warmupMs()
                + timing.iterations() * timing.iterationMs()) / 1000.0;
        return configurations() * timing.forks() * perFork;
    }

    /**
     * Forks and iterations of a run.
     *
     * @param forks            JVMs per configuration
     * @param warmupIterations warm-up iterations per fork
     * @param warmupMs         length of one warm-up iteration
     * @param iterations       measured iterations per fork
     * @param iterationMs      length of one measured iteration (an operation longer than it still completes)
     */
    public record Timing(int forks, int warmupIterations, int warmupMs, int iterations, int iterationMs) {
    }
}
