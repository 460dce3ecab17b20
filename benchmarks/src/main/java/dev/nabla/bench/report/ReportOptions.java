package dev.nabla.bench.report;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * Options of {@code benchmarks.jar report} (and of {@code nabla bench-report}, which passes them on).
 *
 * @param profile        what to measure
 * @param out            directory for JSON, Markdown, PNGs and logs
 * @param backends       backends asked for (empty: every available one)
 * @param cpuThreads     CPU thread counts for GEMM and train steps (empty: the profile's choice)
 * @param pythons        interpreters to try for numpy/torch (empty list: no Python baseline)
 * @param dryRun         print the plan and stop
 * @param replot         a finished report's directory to draw the PNGs of (nothing runs), or null
 */
record ReportOptions(Profile profile, Path out, List<String> backends, List<Integer> cpuThreads,
                     List<String> pythons, boolean dryRun, Path replot) {

    static final String USAGE = """
            usage: java -jar benchmarks.jar report [--quick | --full | --compare-cpu | --smoke] [--out DIR]
                   [--backends cpu,opencl,cuda] [--threads 1,2] [--python CMD | --no-python] [--dry-run]
                   | --replot DIR

              --quick        every benchmark, fewer sizes and iterations (default; a few minutes on 2 cores)
              --full         more sizes (numerical gradient up to ~100k parameters), 1 and all CPU threads
              --compare-cpu  CPU GEMM and train steps on 1 and all threads beside numpy and PyTorch
              --smoke        every benchmark once on tiny sizes: checks the pipeline, times mean nothing
              --out DIR      where results go (default bench-results/<date-time>)
              --backends L   only these backends (unavailable ones are listed with the reason)
              --threads L    CPU thread counts for GEMM and train steps
              --python CMD   interpreter for the numpy/PyTorch baseline (default: python3, /usr/bin/python3)
              --no-python    no Python baseline
              --dry-run      print what would run, and stop
              --replot DIR   draw the PNGs of a report made where plotting was impossible (runs nothing)
            """;

    static ReportOptions parse(String... args) {
        Profile profile = Profile.QUICK;
        Path out = null;
        List<String> backends = new ArrayList<>();
        List<Integer> threads = new ArrayList<>();
        List<String> pythons = new ArrayList<>(List.of("python3", "/usr/bin/python3"));
        boolean dryRun = false;
        Path replot = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--quick" -> profile = Profile.QUICK;
                case "--full" -> profile = Profile.FULL;
                case "--compare-cpu" -> profile = Profile.COMPARE_CPU;
                case "--smoke" -> profile = Profile.SMOKE;
                case "--profile" -> profile = Profile.of(value(args, ++i, a));
                case "--out" -> out = Path.of(value(args, ++i, a));
                case "--backends" -> backends = list(value(args, ++i, a));
                case "--threads" -> {
                    threads = new ArrayList<>();
                    for (String t : list(value(args, ++i, a))) {
                        try {
                            int n = Integer.parseInt(t);
                            if (n < 1) {
                                throw new NumberFormatException();
                            }
                            threads.add(n);
                        } catch (NumberFormatException e) {
                            throw new IllegalArgumentException("--threads: '" + t + "' is not a positive number");
                        }
                    }
                }
                case "--python" -> pythons = List.of(value(args, ++i, a));
                case "--no-python" -> pythons = List.of();
                case "--dry-run" -> dryRun = true;
                case "--replot" -> replot = Path.of(value(args, ++i, a));
                default -> throw new IllegalArgumentException("unknown option '" + a + "'\n" + USAGE);
            }
        }
        if (out == null) {
            out = Path.of("bench-results", LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        }
        return new ReportOptions(profile, out, backends, threads, pythons, dryRun, replot);
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length || args[i].startsWith("--")) {
            throw new IllegalArgumentException(option + " needs a value\n" + USAGE);
        }
        return args[i];
    }

    private static List<String> list(String v) {
        List<String> out = new ArrayList<>();
        for (String s : v.split(",")) {
            if (!s.isBlank()) {
                out.add(s.trim().toLowerCase(java.util.Locale.ROOT));
            }
        }
        return out;
    }

    /** CPU thread counts: as given, else the profile's (all cores; full and compare-cpu add 1). */
    List<Integer> threadsOr(int cores) {
        if (!cpuThreads.isEmpty()) {
            return cpuThreads;
        }
        return profile == Profile.QUICK || profile == Profile.SMOKE || cores == 1 ? List.of(cores) : List.of(1, cores);
    }
}
