package dev.nabla.bench.report;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The same work done by numpy and PyTorch, where an interpreter has them: finds the
 * interpreters, runs {@code compare.py} (a resource of this jar, copied next to the results) once
 * per library and thread count with a timeout, and reads its results. Never a dependency: with no
 * Python, or without numpy or torch, the report says so and goes on.
 */
final class PythonBaseline {
    static final String SCRIPT_RESOURCE = "/dev/nabla/bench/python/compare.py";

    /** Where each library was found: library → interpreter; {@link #notes} says what was not. */
    final Map<String, String> interpreters = new LinkedHashMap<>();
    final List<String> notes = new ArrayList<>();
    final Map<String, String> meta = new LinkedHashMap<>();
    final List<PyResult> results = new ArrayList<>();

    /**
     * The work to repeat.
     *
     * @param gemm            GEMM shapes
     * @param elementwise     elementwise sizes
     * @param hidden          hidden sizes for backprop (torch)
     * @param numericalHidden hidden sizes also timed numerically (torch)
     * @param train           train-step models (torch)
     * @param softmax         softmax-CE shapes (torch)
     * @param threads         thread counts, one run per count
     */
    record Work(List<String> gemm, List<String> elementwise, List<String> hidden, List<String> numericalHidden,
                List<String> train, List<String> softmax, List<Integer> threads) {
    }

    /**
     * Finds numpy and torch among {@code candidates} (each an interpreter command); the first that
     * imports each wins. With {@code cuda}, also PyTorch with a CUDA device ({@code torch-cuda}),
     * the baseline for GPU backends.
     */
    void find(List<String> candidates, boolean cuda) {
        Set<String> seen = new LinkedHashSet<>();
        for (String lib : List.of("numpy", "torch")) {
            for (String py : candidates) {
                String resolved = resolve(py);
                if (resolved == null) {
                    continue;
                }
                seen.add(resolved);
                if (exitCode(List.of(resolved, "-c", "import " + lib), 120) == 0) {
                    interpreters.put(lib, resolved);
                    break;
                }
            }
            if (!interpreters.containsKey(lib)) {
                notes.add(seen.isEmpty() ? "no python3 found: " + lib + " comparison skipped"
                        : lib + " is not installed for " + String.join(", ", seen) + ": " + lib + " comparison skipped");
            }
        }
        if (cuda && interpreters.containsKey("torch")) {
            String py = interpreters.get("torch");
            if (exitCode(List.of(py, "-c", "import sys, torch; sys.exit(0 if torch.cuda.is_available() else 1)"), 120)
                    == 0) {
                interpreters.put("torch-cuda", py);
            } else {
                notes.add("PyTorch at " + py + " sees no CUDA device: GPU rows have no PyTorch GPU comparison");
            }
        }
    }

    /**
     * Runs every library found: numpy and torch with {@code cpu} work at each of its thread counts,
     * torch-cuda with {@code gpu} work; failures and timeouts become notes.
     */
    void run(Work cpu, Work gpu, Path dir, int timeoutSeconds, double secondsPerCase) throws IOException {
        if (interpreters.isEmpty()) {
            return;
        }
        Files.createDirectories(dir);
        Path script = dir.resolve("compare.py");
        try (InputStream in = PythonBaseline.class.getResourceAsStream(SCRIPT_RESOURCE)) {
            if (in == null) {
                throw new IOException("resource " + SCRIPT_RESOURCE + " missing from the benchmarks jar");
            }
            Files.write(script, in.readAllBytes());
        }
        for (Map.Entry<String, String> e : interpreters.entrySet()) {
            String lib = e.getKey();
            boolean cuda = lib.equals("torch-cuda");
            Work work = cuda ? gpu : cpu;
            for (int threads : work.threads()) {
                Path out = dir.resolve(lib + "-t" + threads + ".tsv");
                Path log = dir.resolve(lib + "-t" + threads + ".log");
                List<String> cmd = new ArrayList<>(List.of(e.getValue(), script.toString(),
                        "--lib", cuda ? "torch" : lib, "--device", cuda ? "cuda" : "cpu",
                        "--threads", String.valueOf(threads), "--out", out.toString(),
                        "--seconds", String.valueOf(secondsPerCase), "--gemm", String.join(",", work.gemm()),
                        "--elementwise", String.join(",", work.elementwise())));
                if (lib.startsWith("torch")) {
                    cmd.addAll(List.of("--hidden", String.join(",", work.hidden()),
                            "--numerical-hidden", String.join(",", work.numericalHidden()),
                            "--train", String.join(",", work.train()), "--softmax", String.join(",", work.softmax())));
                }
                System.out.printf("  %s, %d thread%s ...%n", lib, threads, threads == 1 ? "" : "s");
                ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
                threadEnvironment(pb.environment(), threads);
                int code = run(pb, timeoutSeconds);
                if (Files.exists(out)) {
                    read(out, lib);
                }
                if (code != 0) {
                    notes.add(lib + " with " + threads + " threads " + (code == TIMED_OUT ? "timed out after "
                            + timeoutSeconds + " s" : "failed (exit " + code + ")") + "; see " + log
                            + "; results before that are kept");
                }
            }
        }
    }

    /**
     * OpenBLAS reads its thread count when it loads; the core type and L2 overrides some
     * environments set would pick a slower kernel than the CPU's own, so they are removed.
     */
    static void threadEnvironment(Map<String, String> env, int threads) {
        env.remove("LD_PRELOAD"); // the JVM's libjsig.so (signal chaining) is not Python's business
        env.remove("OPENBLAS_CORETYPE");
        env.remove("OPENBLAS_L2_SIZE");
        for (String v : List.of("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")) {
            env.put(v, String.valueOf(threads));
        }
    }

    /** Reads every {@code *.tsv} a run left in {@code dir} (for re-plotting a report elsewhere). */
    void readAll(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (var files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".tsv")).sorted().toList()) {
                read(f, f.getFileName().toString().replaceAll("-t\\d+\\.tsv$", ""));
            }
        }
    }

    /** Reads one run's results; its {@code #meta} lines go to {@link #meta} ({@code python} as "python for LIB"). */
    private void read(Path tsv, String lib) throws IOException {
        for (String line : Files.readAllLines(tsv, StandardCharsets.UTF_8)) {
            if (line.startsWith("#meta\t")) {
                String[] f = line.split("\t", 3);
                if (f.length == 3) {
                    meta.put(f[1].equals("python") ? "python for " + lib : f[1], f[2]);
                }
                continue;
            }
            PyResult r = PyResult.parse(line);
            if (r != null) {
                results.add(r);
            }
        }
    }

    static final int TIMED_OUT = -1;

    private static int run(ProcessBuilder pb, int timeoutSeconds) throws IOException {
        Process p = pb.start();
        try {
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
                return TIMED_OUT;
            }
            return p.exitValue();
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            return TIMED_OUT;
        }
    }

    private static int exitCode(List<String> cmd, int timeoutSeconds) {
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD);
            return run(pb, timeoutSeconds);
        } catch (IOException e) {
            return TIMED_OUT;
        }
    }

    /** An interpreter given as a path or a command on PATH, as a path; null when absent. */
    static String resolve(String command) {
        Path p = Path.of(command);
        if (command.contains("/")) {
            return Files.isExecutable(p) ? p.toAbsolutePath().normalize().toString() : null;
        }
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            Path c = Path.of(dir.isEmpty() ? "." : dir, command);
            if (Files.isExecutable(c)) {
                return c.toAbsolutePath().normalize().toString();
            }
        }
        return null;
    }
}
