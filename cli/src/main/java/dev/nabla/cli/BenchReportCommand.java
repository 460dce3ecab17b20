package dev.nabla.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.lang.module.ModuleFinder;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code nabla bench-report}: runs the JMH benchmarks and writes the report (JMH JSON, Markdown
 * with machine details, PNG plots). The benchmarks live in {@code benchmarks.jar}, started here as
 * a separate JVM — the CLI has no compile-time dependency on them (DESIGN.md).
 */
@Command(name = "bench-report", mixinStandardHelpOptions = true, description = {
    "Run the JMH benchmarks on every available backend and write a report: JMH JSON, Markdown tables with "
        + "machine details, PNG plots; numpy/PyTorch timings beside ours where Python has them.",
    "Needs benchmarks.jar (mvn -B -q -DskipTests -pl benchmarks -am package, or benchmarks/report.sh)."})
final class BenchReportCommand implements Callable<Integer> {
    static final String JAR_ENV = "NABLA_BENCHMARKS_JAR";

    static final class Profile {
        @Option(names = "--quick", description = "Every benchmark, fewer sizes and iterations (default; minutes on 2 cores).")
        boolean quick;
        @Option(names = "--full", description = "More sizes, CPU on 1 and all threads, longer measurement.")
        boolean full;
        @Option(names = "--compare-cpu", description = "CPU GEMM and train steps on 1 and all threads beside numpy and PyTorch.")
        boolean compareCpu;
        @Option(names = "--smoke", description = "Every benchmark once on tiny sizes: checks the pipeline; times mean nothing.")
        boolean smoke;
    }

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    Profile profile;

    @Option(names = "--out", paramLabel = "DIR", description = "Where results go (default bench-results/<date-time>).")
    Path out;

    @Option(names = "--backends", split = ",", paramLabel = "B", description = "Only these backends, e.g. cpu,cuda "
            + "(default: every available one; the others are listed with the reason).")
    List<String> backends;

    @Option(names = "--threads", split = ",", paramLabel = "N", description = "CPU thread counts for GEMM and train steps.")
    List<Integer> threads;

    @Option(names = "--python", paramLabel = "CMD", description = "Interpreter for the numpy/PyTorch baseline "
            + "(default: python3, then /usr/bin/python3).")
    String python;

    @Option(names = "--no-python", description = "No numpy/PyTorch baseline.")
    boolean noPython;

    @Option(names = "--dry-run", description = "Print what would run, and stop.")
    boolean dryRun;

    @Option(names = "--jar", paramLabel = "PATH", description = "benchmarks.jar to run (default: $" + JAR_ENV
            + ", else next to the CLI, else benchmarks/target/benchmarks.jar of the source checkout).")
    Path jar;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException, InterruptedException {
        Path benchmarks = locate();
        List<String> cmd = command(javaExecutable(), benchmarks);
        Process p = new ProcessBuilder(cmd).start();
        Thread err = pump(p.getErrorStream(), spec.commandLine().getErr());
        Thread out = pump(p.getInputStream(), spec.commandLine().getOut());
        int code = p.waitFor();
        out.join();
        err.join();
        return code;
    }

    /** The child JVM's command line. */
    List<String> command(String java, Path benchmarks) {
        List<String> cmd = new ArrayList<>();
        cmd.add(java);
        cmd.addAll(jvmFlags());
        cmd.add("-jar");
        cmd.add(benchmarks.toString());
        cmd.add("report");
        if (profile != null) {
            cmd.add(profile.full ? "--full" : profile.compareCpu ? "--compare-cpu" : profile.smoke ? "--smoke" : "--quick");
        }
        if (out != null) {
            cmd.add("--out");
            cmd.add(out.toString());
        }
        if (backends != null && !backends.isEmpty()) {
            cmd.add("--backends");
            cmd.add(String.join(",", backends));
        }
        if (threads != null && !threads.isEmpty()) {
            cmd.add("--threads");
            cmd.add(String.join(",", threads.stream().map(String::valueOf).toList()));
        }
        if (noPython) {
            cmd.add("--no-python");
        } else if (python != null) {
            cmd.add("--python");
            cmd.add(python);
        }
        if (dryRun) {
            cmd.add("--dry-run");
        }
        return cmd;
    }

    /** The root pom's {@code nabla.jvm.flags}, less the Vector API module where this runtime lacks it. */
    static List<String> jvmFlags() {
        Properties props = new Properties();
        try (InputStream in = BenchReportCommand.class.getResourceAsStream("jvm.properties")) {
            if (in == null) {
                throw new IllegalStateException("jvm.properties missing from the nabla CLI jar");
            }
            props.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> flags = new ArrayList<>(List.of(props.getProperty("flags", "").trim().split("\\s+")));
        flags.removeIf(String::isEmpty);
        int i = flags.indexOf("jdk.incubator.vector");
        if (i > 0 && flags.get(i - 1).equals("--add-modules")
                && ModuleFinder.ofSystem().find("jdk.incubator.vector").isEmpty()) {
            flags.remove(i);
            flags.remove(i - 1);
        }
        return flags;
    }

    static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** {@code --jar}, else {@code $NABLA_BENCHMARKS_JAR}, else next to the CLI, else the source checkout's build. */
    Path locate() {
        if (jar != null) {
            return existing(jar, "--jar");
        }
        String env = System.getenv(JAR_ENV);
        if (env != null && !env.isBlank()) {
            return existing(Path.of(env), "$" + JAR_ENV);
        }
        List<Path> tried = candidates(codeLocation());
        for (Path c : tried) {
            if (Files.isRegularFile(c)) {
                return c;
            }
        }
        throw new IllegalStateException("benchmarks.jar not found (looked for " + tried + "); build it with "
                + "'mvn -B -q -DskipTests -pl benchmarks -am package' or run benchmarks/report.sh, or pass --jar");
    }

    private static Path existing(Path p, String from) {
        if (!Files.isRegularFile(p)) {
            throw new IllegalStateException("benchmarks jar " + p + " (from " + from + ") does not exist");
        }
        return p;
    }

    /** Where the CLI's classes are: its jar or its classes folder. */
    static Path codeLocation() {
        try {
            return Path.of(BenchReportCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException | RuntimeException e) {
            return Path.of(".").toAbsolutePath();
        }
    }

    /**
     * Places benchmarks.jar may be, given the CLI's location: beside it or in a {@code lib} folder
     * (bundles), then {@code benchmarks/target/benchmarks.jar} in a parent (source checkout, where
     * the CLI is {@code cli/target/nabla-cli-*.jar} or {@code cli/target/classes}).
     */
    static List<Path> candidates(Path cliLocation) {
        Path dir = cliLocation.toAbsolutePath().normalize();
        if (!Files.isDirectory(dir)) {
            dir = dir.getParent();
        }
        List<Path> c = new ArrayList<>();
        c.add(dir.resolve("benchmarks.jar"));
        c.add(dir.resolve("lib").resolve("benchmarks.jar"));
        if (dir.getParent() != null) {
            c.add(dir.getParent().resolve("lib").resolve("benchmarks.jar"));
        }
        Path up = dir;
        for (int i = 0; i < 4 && up != null; i++) {
            c.add(up.resolve("benchmarks").resolve("target").resolve("benchmarks.jar"));
            up = up.getParent();
        }
        return c;
    }

    /** Copies the child's output line by line (dropping the JVM's incubator notice, as the launcher does). */
    private static Thread pump(InputStream in, PrintWriter to) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (!line.equals("WARNING: Using incubator modules: jdk.incubator.vector")) {
                        to.println(line);
                        to.flush();
                    }
                }
            } catch (IOException e) {
                to.println("nabla: reading the benchmark JVM's output failed: " + e.getMessage());
            }
        }, "bench-report-output");
        t.setDaemon(true);
        t.start();
        return t;
    }
}
