package dev.nabla.bench.report;

import dev.nabla.Nabla;
import dev.nabla.backend.BackendReport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code java -jar benchmarks.jar report}: asks the backend providers which backends can run, runs
 * JMH for those only (listing the others with their reasons), repeats the work in numpy and PyTorch
 * where installed, and writes {@code jmh-results.json}, {@code results.md} (machine, backends,
 * tables) and PNG plots. Exit code 0, 1 when a benchmark or its correctness check failed, 2 for
 * bad options.
 */
public final class ReportMain {
    /** Backends Nabla has; those without a provider on the class path are listed as not built in. */
    static final List<String> KNOWN_BACKENDS = List.of("cpu", "opencl", "cuda");

    private final ReportOptions options;
    private final List<String> notes = new ArrayList<>();

    private ReportMain(ReportOptions options) {
        this.options = options;
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the report; returns the exit code. */
    public static int run(String... args) {
        ReportOptions o;
        try {
            o = ReportOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("bench-report: " + e.getMessage());
            return 2;
        }
        try {
            if (o.replot() != null) {
                return replot(o.replot());
            }
            return new ReportMain(o).execute();
        } catch (IllegalStateException | IOException e) {
            System.err.println("bench-report: " + e.getMessage());
            return 1;
        }
    }

    /**
     * The backends to run and the lines for those that cannot.
     *
     * @param run         available backends asked for
     * @param unavailable one line per backend that will not run, with the reason
     */
    record Selection(List<String> run, List<String> unavailable) {
    }

    static Selection select(List<BackendReport> reports, List<String> requested) {
        List<String> run = new ArrayList<>();
        List<String> unavailable = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        for (BackendReport r : reports) {
            seen.add(r.backend());
            if (!requested.isEmpty() && !requested.contains(r.backend())) {
                continue;
            }
            if (r.available() && requested.isEmpty() && cpuOnlyGpuBackend(r)) {
                // POCL and friends: OpenCL on the processor the cpu backend already measures, slowly.
                unavailable.add(r.backend() + ": not run by default: its devices are CPUs ("
                        + String.join(", ", r.devices().stream().map(BackendReport.DeviceInfo::name).toList())
                        + "); --backends " + r.backend() + " runs it");
            } else if (r.available()) {
                run.add(r.backend());
            } else {
                unavailable.add(r.backend() + ": unavailable (" + r.reason() + ")");
            }
        }
        for (String name : requested.isEmpty() ? KNOWN_BACKENDS : requested) {
            if (!seen.contains(name)) {
                unavailable.add(name + ": not in this build (no provider on the class path)");
            }
        }
        return new Selection(run, unavailable);
    }

    /** A backend other than {@code cpu} whose every device reports {@code type: CPU}. */
    static boolean cpuOnlyGpuBackend(BackendReport r) {
        return !r.backend().equals("cpu") && !r.devices().isEmpty() && r.devices().stream()
                .allMatch(d -> "cpu".equalsIgnoreCase(d.properties().getOrDefault("type", "")));
    }

    private int execute() throws IOException {
        Instant start = Instant.now();
        String loadStart = MachineInfo.loadAverage();
        int cores = Runtime.getRuntime().availableProcessors();
        Selection sel = select(Nabla.backends(), options.backends());
        List<Integer> threads = options.threadsOr(cores);
        List<JmhRun> plan = options.profile().plan(sel.run(), threads);

        System.out.println("Nabla benchmark report, " + options.profile().id() + " profile");
        for (String u : sel.unavailable()) {
            System.out.println("  skipped  " + u);
        }
        if (plan.isEmpty()) {
            throw new IllegalStateException("nothing to run: no available backend among "
                    + (options.backends().isEmpty() ? "those found" : options.backends()));
        }
        double estimate = 0;
        for (JmhRun r : plan) {
            System.out.printf(Locale.ROOT, "  planned  %-34s %3d configuration%s  %s%n", r.title(), r.configurations(),
                    r.configurations() == 1 ? " " : "s", r.params());
            estimate += r.estimatedSeconds();
        }
        System.out.printf(Locale.ROOT, "  about %.0f s of JMH (plus the numerical gradient's longer operations and the "
                + "Python baseline); load average now %s%n", estimate, loadStart);
        if (options.dryRun()) {
            return 0;
        }
        Path out = options.out();
        Files.createDirectories(out);
        System.out.println("Writing to " + out.toAbsolutePath());

        List<Measurement> measurements = new ArrayList<>();
        List<Path> jsons = new ArrayList<>();
        for (int i = 0; i < plan.size(); i++) {
            JmhRun r = plan.get(i);
            System.out.printf(Locale.ROOT, "[%d/%d] %s ...%n", i + 1, plan.size(), r.title());
            List<Measurement> got = JmhRunner.run(r, out.resolve("jmh"), i + 1);
            for (Measurement m : got) {
                System.out.printf(Locale.ROOT, "        %-16s %-40s %12s ms%n", m.method(), paramsLine(m),
                        Tables.fmt(m.ms()));
            }
            measurements.addAll(got);
            jsons.add(out.resolve("jmh").resolve(String.format("%02d-%s-%s.json", i + 1, r.benchmark(),
                    String.join("_", r.params().getOrDefault("backend", List.of("any"))))));
        }
        JmhRunner.mergeJson(jsons, out.resolve("jmh-results.json"));
        List<String> tsv = new ArrayList<>();
        for (Measurement m : measurements) {
            tsv.add(m.tsv());
        }
        Files.write(out.resolve(MEASUREMENTS), tsv, StandardCharsets.UTF_8);

        PythonBaseline python = new PythonBaseline();
        if (options.pythons().isEmpty()) {
            notes.add("Python baseline turned off (--no-python).");
        } else {
            System.out.println("Python baseline (numpy, PyTorch) ...");
            boolean gpu = sel.run().stream().anyMatch(b -> !b.equals("cpu"));
            python.find(options.pythons(), gpu);
            python.run(work(sel.run(), threads, cores, false), work(sel.run(), threads, cores, true),
                    out.resolve("python"), options.profile().pythonTimeoutSeconds(),
                    options.profile().pythonSecondsPerCase());
            notes.addAll(python.notes);
        }

        List<String> plots = new ArrayList<>();
        if (canPlot()) {
            try {
                for (Path p : new Plots(measurements, python.results).write(out)) {
                    plots.add(p.getFileName().toString());
                }
            } catch (IOException | RuntimeException | LinkageError e) {
                notes.add("PNG plots failed (" + e + "); JSON and Markdown are complete.");
            }
        } else {
            notes.add("PNG plots skipped: this Java runtime has no java.desktop module (e.g. a jlink'd bundle). "
                    + "Copy this folder to a machine with a full JDK and run `java -jar benchmarks.jar report --replot "
                    + "DIR` there.");
        }

        String loadEnd = MachineInfo.loadAverage();
        Duration took = Duration.between(start, Instant.now());
        Tables tables = new Tables(measurements, python.results);
        String md = markdown(sel, tables, python, plots, loadStart, loadEnd, took);
        Files.writeString(out.resolve("results.md"), md, StandardCharsets.UTF_8);
        System.out.println();
        for (Table t : tables.all()) {
            if (!t.rows().isEmpty()) {
                System.out.print(t.markdown());
            }
        }
        for (String n : notes) {
            System.out.println("Note: " + n);
        }
        System.out.printf(Locale.ROOT, "Done in %d min %02d s; load average %s at start, %s at end.%n",
                took.toMinutes(), took.toSecondsPart(), loadStart, loadEnd);
        System.out.println("Report: " + out.resolve("results.md").toAbsolutePath()
                + (plots.isEmpty() ? "" : "; plots: " + String.join(", ", plots)));
        return 0;
    }

    /**
     * A 1-minute load average above this at the start flags the report as measured on a busy
     * machine (the run itself then adds about one per busy core, so the end's figure says little).
     */
    static final double BUSY_LOAD = 0.5;

    /** Measurements as tab-separated lines, for {@code --replot}. */
    static final String MEASUREMENTS = "measurements.tsv";

    /** Draws the PNGs of a finished report from its measurements and Python results. */
    static int replot(Path dir) throws IOException {
        Path tsv = dir.resolve(MEASUREMENTS);
        if (!Files.isRegularFile(tsv)) {
            throw new IllegalStateException("--replot: " + tsv + " not found; is " + dir + " a report's folder?");
        }
        if (!canPlot()) {
            throw new IllegalStateException("--replot: this Java runtime has no java.desktop module to draw with");
        }
        List<Measurement> ms = new ArrayList<>();
        for (String line : Files.readAllLines(tsv, StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                ms.add(Measurement.parseTsv(line));
            }
        }
        PythonBaseline python = new PythonBaseline();
        python.readAll(dir.resolve("python"));
        for (Path p : new Plots(ms, python.results).write(dir)) {
            System.out.println("wrote " + p);
        }
        return 0;
    }

    /**
     * Whether this runtime can draw: has {@code java.desktop}. Asked here, not in {@link Plots},
     * whose loading needs {@code java.awt}.
     */
    static boolean canPlot() {
        return ModuleLayer.boot().findModule("java.desktop").isPresent();
    }

    private static String paramsLine(Measurement m) {
        StringBuilder sb = new StringBuilder();
        m.params().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
            if (!e.getKey().equals("backend") && !(e.getKey().equals("threads") && e.getValue().equals("0"))) {
                sb.append(e.getKey()).append('=').append(e.getValue()).append(' ');
            }
        });
        return m.backend() + " " + sb.toString().strip();
    }

    /**
     * The work the Python baseline repeats: the plan's CPU sizes at the CPU thread counts, or (for
     * PyTorch on a GPU) the GPU sizes.
     */
    private PythonBaseline.Work work(List<String> backends, List<Integer> threads, int cores, boolean gpu) {
        Profile p = options.profile();
        List<Integer> t = backends.contains("cpu") && !gpu ? threads : List.of(cores);
        List<String> softmax = gpu ? List.of(Profile.SOFTMAX_CPU, Profile.SOFTMAX_GPU) : List.of(Profile.SOFTMAX_CPU);
        List<String> gemm = new ArrayList<>(p.gemmShapes(!gpu));
        if (p == Profile.FULL || p == Profile.COMPARE_CPU) {
            for (String layout : List.of("tn", "nt")) {
                for (String shape : Profile.GEMM_TRANSPOSED) {
                    gemm.add(layout + ":" + shape);
                }
            }
        }
        if (!p.everything()) {
            return new PythonBaseline.Work(gemm, List.of(), List.of(), List.of(), p.trainModels(!gpu), List.of(), t);
        }
        return new PythonBaseline.Work(gemm, p.elementwiseSizes(), p.hidden(), p.numericalHidden(),
                p.trainModels(!gpu), softmax, t);
    }

    private String markdown(Selection sel, Tables tables, PythonBaseline python, List<String> plots, String loadStart,
                            String loadEnd, Duration took) {
        StringBuilder sb = new StringBuilder();
        sb.append("# Nabla benchmark report (").append(options.profile().id()).append(" profile)\n\n");
        sb.append(ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME.withLocale(Locale.ROOT)))
                .append(String.format(Locale.ROOT, "; took %d min %02d s", took.toMinutes(), took.toSecondsPart()))
                .append(". Times are JMH averages (ms per operation); raw results in `jmh-results.json`, ")
                .append("JMH logs in `jmh/`, the Python baseline's in `python/`.\n\n");
        sb.append("## Machine\n\n| | |\n|---|---|\n");
        MachineInfo.collect().forEach((k, v) -> sb.append("| ").append(k).append(" | ")
                .append(v.replace("|", "\\|")).append(" |\n"));
        sb.append("| load average (1, 5, 15 min) | ").append(loadStart).append(" at start, ").append(loadEnd)
                .append(" at end |\n");
        python.meta.forEach((k, v) -> {
            if (!k.startsWith("numerical rel. error")) {
                sb.append("| ").append(k).append(" | ").append(v.replace("|", "\\|")).append(" |\n");
            }
        });
        sb.append('\n');
        if (MachineInfo.load1(loadStart) > BUSY_LOAD) {
            sb.append("**The machine was busy** (1-minute load average ").append(loadStart.split(" ")[0])
                    .append(" at start): other work shared the cores, so times are less reliable than usual.\n\n");
        }
        sb.append("## Backends\n\n");
        for (String line : MachineInfo.backends()) {
            sb.append("- ").append(line).append('\n');
        }
        for (String u : sel.unavailable()) {
            if (u.contains(": not in this build")) {
                sb.append("- ").append(u).append('\n');
            }
        }
        sb.append("\nBenchmarked: ").append(String.join(", ", sel.run())).append(".\n\n");
        sb.append("## Results\n\n");
        for (Table t : tables.all()) {
            if (!t.rows().isEmpty()) {
                sb.append(t.markdown());
            }
        }
        if (!plots.isEmpty()) {
            sb.append("## Plots\n\n");
            for (String p : plots) {
                sb.append("![").append(p.replace(".png", "")).append("](").append(p).append(")\n\n");
            }
        }
        if (!notes.isEmpty()) {
            sb.append("## Notes\n\n");
            for (String n : notes) {
                sb.append("- ").append(n).append('\n');
            }
            sb.append('\n');
        }
        return sb.toString();
    }
}
