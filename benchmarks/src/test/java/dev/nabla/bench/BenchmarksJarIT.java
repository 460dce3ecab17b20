package dev.nabla.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shaded {@code target/benchmarks.jar}, after {@code package}: providers, benchmark list, a smoke report. */
class BenchmarksJarIT {
    static final String SERVICES = "META-INF/services/dev.nabla.backend.BackendProvider";

    static Path jar() {
        Path jar = Path.of(System.getProperty("basedir", "."), "target", "benchmarks.jar");
        assertThat(jar).as("the shaded jar; run through mvn verify").exists();
        return jar;
    }

    record Run(int code, String out) {
    }

    static Run java(Path dir, long timeoutSeconds, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        Collections.addAll(cmd, BenchmarkBase.JVM_FLAGS);
        cmd.add("-jar");
        cmd.add(jar().toString());
        Collections.addAll(cmd, args);
        Path log = Files.createTempFile(dir, "java", ".log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            throw new AssertionError("timed out after " + timeoutSeconds + " s: " + cmd + "\n" + Files.readString(log));
        }
        return new Run(p.exitValue(), Files.readString(log));
    }

    /**
     * Every provider file on this module's class path (each backend jar's) must survive shading,
     * merged: the backends, and the CUDA backend's GEMM engines (cuBLAS through FFM on JDK 22+).
     */
    @Test
    void theJarListsEveryBackendProviderOnTheClassPath() throws IOException {
        for (String services : List.of(SERVICES, "META-INF/services/dev.nabla.cuda.GemmEngineProvider")) {
            TreeSet<String> expected = new TreeSet<>();
            for (URL url : Collections.list(getClass().getClassLoader().getResources(services))) {
                if (url.toString().contains("benchmarks.jar")) {
                    continue; // the shaded jar itself, when failsafe puts it on the class path
                }
                try (InputStream in = url.openStream()) {
                    expected.addAll(providers(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
                }
            }
            if (services.equals(SERVICES)) {
                assertThat(expected).contains("dev.nabla.cpu.CpuProvider", "dev.nabla.opencl.OpenClProvider",
                        "dev.nabla.cuda.CudaProvider");
            }
            try (JarFile jf = new JarFile(jar().toFile())) {
                var entry = jf.getJarEntry(services);
                if (expected.isEmpty()) {
                    continue;
                }
                assertThat(entry).as(services + " in benchmarks.jar").isNotNull();
                try (InputStream in = jf.getInputStream(entry)) {
                    assertThat(providers(new String(in.readAllBytes(), StandardCharsets.UTF_8))).as(services)
                            .containsAll(expected);
                }
            }
        }
    }

    static List<String> providers(String file) {
        return file.lines().map(l -> l.replaceAll("#.*", "").strip()).filter(l -> !l.isEmpty()).toList();
    }

    @Test
    void dashLListsEveryBenchmark(@TempDir Path dir) throws Exception {
        Run r = java(dir, 120, "-l");
        assertThat(r.code()).as(r.out()).isZero();
        for (Class<?> c : BenchmarkSmokeTest.TINY.keySet()) {
            for (var m : c.getMethods()) {
                if (m.isAnnotationPresent(org.openjdk.jmh.annotations.Benchmark.class)) {
                    assertThat(r.out()).contains(c.getName() + "." + m.getName());
                }
            }
        }
    }

    /** The whole pipeline: providers asked, JMH forks, JSON merged, Markdown tables, plots. */
    @Test
    void aSmokeReportRunsEveryBenchmarkAndWritesTheReport(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("report");
        Run r = java(dir, 600, "report", "--smoke", "--no-python", "--backends", "cpu", "--out", out.toString());
        assertThat(r.code()).as(r.out()).isZero();
        String md = Files.readString(out.resolve("results.md"));
        assertThat(md).contains("## Machine", "## Backends", "- cpu: available", "Numerical vs backprop gradients",
                "Matrix product", "Training step", "Elementwise bandwidth", "Softmax cross-entropy",
                "Python baseline turned off");
        String json = Files.readString(out.resolve("jmh-results.json")).strip();
        assertThat(json).startsWith("[").endsWith("]").contains("dev.nabla.bench.GradientBenchmark.numerical",
                "dev.nabla.bench.TrainStepBenchmark.step", "dev.nabla.bench.SoftmaxCrossEntropyBenchmark.forwardBackward");
        assertThat(Files.readAllLines(out.resolve("measurements.tsv"))).as("one line per configuration").hasSize(10);
        if (ModuleLayer.boot().findModule("java.desktop").isPresent()) {
            assertThat(out.resolve("gradients.png")).isNotEmptyFile();
            assertThat(out.resolve("gemm.png")).isNotEmptyFile();
            assertThat(md).contains("![gradients](gradients.png)");
        }
    }

    /** Setup is where the correctness checks live: a setup that throws must fail the run and show why. */
    @Test
    void aSetupFailureFailsTheRunWithItsMessage(@TempDir Path dir) throws Exception {
        Run r = java(dir, 300, "-f", "1", "-wi", "0", "-i", "1", "-r", "100ms", "-foe", "true", "-p", "backend=cpu",
                "-p", "model=4-x:2", "dev.nabla.bench.TrainStepBenchmark.step");
        assertThat(r.code()).as(r.out()).isNotZero();
        assertThat(r.out()).contains("model '4-x:2'");
    }
}
