package dev.nabla.bench.report;

import dev.nabla.bench.BenchmarkBase;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs one {@link JmhRun} through JMH's API. JMH forks a JVM per configuration (with the flags
 * of {@code BenchmarkBase}'s {@code @Fork}); its log goes to {@code jmh/NN-name.log} and its
 * results to {@code jmh/NN-name.json}. A failing benchmark — e.g. a gradient check in setup —
 * stops the report with JMH's message.
 */
final class JmhRunner {
    private JmhRunner() {
    }

    /** This JVM's options, then {@link BenchmarkBase#JVM_FLAGS} unless they are among them. */
    static String[] forkArgs(List<String> parent) {
        List<String> args = new ArrayList<>(parent);
        String joined = String.join(" ", parent).replace('=', ' ');
        if (!joined.contains(String.join(" ", BenchmarkBase.JVM_FLAGS[0], BenchmarkBase.JVM_FLAGS[1]))) {
            args.add(BenchmarkBase.JVM_FLAGS[0]);
            args.add(BenchmarkBase.JVM_FLAGS[1]);
        }
        if (!parent.contains(BenchmarkBase.JVM_FLAGS[2])) {
            args.add(BenchmarkBase.JVM_FLAGS[2]);
        }
        return args.toArray(String[]::new);
    }

    static List<Measurement> run(JmhRun run, Path dir, int index) throws IOException {
        Files.createDirectories(dir);
        String base = String.format("%02d-%s-%s", index, run.benchmark(), String.join("_", run.params()
                .getOrDefault("backend", List.of("any"))));
        Path json = dir.resolve(base + ".json");
        Path log = dir.resolve(base + ".log");
        JmhRun.Timing t = run.timing();
        ChainedOptionsBuilder ob = new OptionsBuilder()
                .include(run.include())
                .forks(t.forks())
                .warmupIterations(t.warmupIterations())
                .warmupTime(TimeValue.milliseconds(t.warmupMs()))
                .measurementIterations(t.iterations())
                .measurementTime(TimeValue.milliseconds(t.iterationMs()))
                .shouldFailOnError(true)
                .resultFormat(ResultFormatType.JSON)
                .result(json.toString())
                .output(log.toString())
                // The forks get this JVM's options (NABLA_JAVA_OPTS of report.sh, -D settings) and
                // the flags every Nabla JVM needs, as they would without BenchmarkBase's jvmArgs.
                .jvmArgs(forkArgs(ManagementFactory.getRuntimeMXBean().getInputArguments()));
        run.params().forEach((k, v) -> ob.param(k, v.toArray(String[]::new)));
        Collection<RunResult> results;
        try {
            results = new Runner(ob.build()).run();
        } catch (RunnerException e) {
            throw new IllegalStateException("JMH run '" + run.title() + "' failed: " + failure(log, rootMessage(e))
                    + " (log: " + log + ")", e);
        }
        List<Measurement> out = new ArrayList<>();
        for (RunResult r : results) {
            out.add(measurement(r));
        }
        if (out.size() != run.configurations()) {
            throw new IllegalStateException("JMH run '" + run.title() + "' returned " + out.size() + " results for "
                    + run.configurations() + " configurations; see " + log);
        }
        return out;
    }

    static Measurement measurement(RunResult r) {
        BenchmarkParams bp = r.getParams();
        String full = bp.getBenchmark();
        int dot = full.lastIndexOf('.');
        String cls = full.substring(0, dot);
        cls = cls.substring(cls.lastIndexOf('.') + 1);
        Map<String, String> params = new LinkedHashMap<>();
        for (String key : bp.getParamsKeys()) {
            params.put(key, bp.getParam(key));
        }
        Result<?> primary = r.getPrimaryResult();
        if (!primary.getScoreUnit().equals("ms/op")) {
            throw new IllegalStateException(full + ": expected ms/op, JMH reported " + primary.getScoreUnit());
        }
        return new Measurement(cls, full.substring(dot + 1), params, primary.getScore(), primary.getScoreError());
    }

    /**
     * What went wrong, from JMH's log: the configuration that failed and its first exception line
     * (a setup check's message) or the forked JVM's exit; else JMH's own message.
     */
    static String failure(Path log, String fallback) {
        List<String> lines;
        try {
            lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return fallback;
        }
        String params = "";
        for (String line : lines) {
            if (line.startsWith("# Parameters: ")) {
                params = line.substring("# Parameters: ".length());
            } else if (line.contains("<forked VM failed") || line.matches("^(\\S+\\.)+\\S*(Exception|Error)(: .*)?$")) {
                return (params.isEmpty() ? "" : params + ": ") + line.replaceAll("^#\\s*\\S+ Iteration\\s+\\d+:\\s*", "")
                        .strip();
            }
        }
        return fallback;
    }

    private static String rootMessage(Throwable e) {
        Throwable c = e;
        while (c.getCause() != null) {
            c = c.getCause();
        }
        return c.getMessage() == null ? c.toString() : c.getMessage();
    }

    /** Joins JMH's JSON arrays (one per run) into one array. */
    static void mergeJson(List<Path> files, Path target) throws IOException {
        StringBuilder sb = new StringBuilder("[\n");
        boolean first = true;
        for (Path f : files) {
            if (!Files.exists(f)) {
                continue;
            }
            String s = Files.readString(f, StandardCharsets.UTF_8).strip();
            if (!s.startsWith("[") || !s.endsWith("]")) {
                throw new IOException(f + ": not a JSON array");
            }
            String body = s.substring(1, s.length() - 1).strip();
            if (body.isEmpty()) {
                continue;
            }
            if (!first) {
                sb.append(",\n");
            }
            sb.append(body);
            first = false;
        }
        sb.append("\n]\n");
        Files.writeString(target, sb.toString(), StandardCharsets.UTF_8);
    }
}
