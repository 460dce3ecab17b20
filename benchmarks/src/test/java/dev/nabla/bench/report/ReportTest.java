package dev.nabla.bench.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nabla.backend.BackendReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report's pieces on made-up measurements: selection, plan, tables, Python results, JSON, plots. */
class ReportTest {
    @Test
    void forksGetTheReportJvmsOptionsAndTheNablaFlagsOnce() {
        assertThat(JmhRunner.forkArgs(List.of("-Dnabla.threads=1")))
                .containsExactly("-Dnabla.threads=1", "--add-modules", "jdk.incubator.vector",
                        "--enable-native-access=ALL-UNNAMED");
        assertThat(JmhRunner.forkArgs(List.of("--enable-native-access=ALL-UNNAMED", "--add-modules=jdk.incubator.vector",
                "-Xmx2g"))).containsExactly("--enable-native-access=ALL-UNNAMED", "--add-modules=jdk.incubator.vector",
                        "-Xmx2g");
    }


    static Measurement m(String benchmark, String method, double ms, String... kv) {
        Map<String, String> p = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            p.put(kv[i], kv[i + 1]);
        }
        return new Measurement(benchmark, method, p, ms, Double.NaN);
    }

    @Test
    void onlyAvailableBackendsRunAndTheOthersAreListedWithTheirReasons() {
        List<BackendReport> reports = List.of(
                BackendReport.unavailable("cuda", "libcuda.so.1 not found"),
                new BackendReport("cpu", true, "2 threads", List.of(), Map.of()));
        ReportMain.Selection all = ReportMain.select(reports, List.of());
        assertThat(all.run()).containsExactly("cpu");
        assertThat(all.unavailable()).containsExactly("cuda: unavailable (libcuda.so.1 not found)",
                "opencl: not in this build (no provider on the class path)");
        BackendReport pocl = new BackendReport("opencl", true, "", List.of(new BackendReport.DeviceInfo(0,
                "pthread-skylake", 0, Map.of("type", "CPU"))), Map.of());
        ReportMain.Selection withPocl = ReportMain.select(List.of(reports.get(1), pocl), List.of());
        assertThat(withPocl.run()).containsExactly("cpu");
        assertThat(withPocl.unavailable()).contains(
                "opencl: not run by default: its devices are CPUs (pthread-skylake); --backends opencl runs it");
        assertThat(ReportMain.select(List.of(reports.get(1), pocl), List.of("cpu", "opencl")).run())
                .containsExactly("cpu", "opencl");
        ReportMain.Selection asked = ReportMain.select(reports, List.of("cuda", "tpu"));
        assertThat(asked.run()).isEmpty();
        assertThat(asked.unavailable()).containsExactly("cuda: unavailable (libcuda.so.1 not found)",
                "tpu: not in this build (no provider on the class path)");
    }

    @Test
    void gpuOnlySizesArePlannedForGpusOnlyAndThreadsForTheCpuOnly() {
        List<JmhRun> plan = Profile.QUICK.plan(List.of("cpu", "cuda"), List.of(2));
        JmhRun cpuGemm = plan.stream().filter(r -> r.title().equals("GEMM, cpu")).findFirst().orElseThrow();
        JmhRun cudaGemm = plan.stream().filter(r -> r.title().equals("GEMM, cuda")).findFirst().orElseThrow();
        assertThat(cpuGemm.params().get("shape")).doesNotContain("4096");
        assertThat(cpuGemm.params().get("threads")).containsExactly("2");
        assertThat(cudaGemm.params().get("shape")).contains("4096");
        assertThat(cudaGemm.params().get("threads")).containsExactly("0");
        JmhRun cpuTrain = plan.stream().filter(r -> r.title().equals("train step, cpu")).findFirst().orElseThrow();
        assertThat(cpuTrain.params().get("model")).doesNotContain(Profile.TRAIN_GPU_ONLY);
        assertThat(cpuGemm.include()).isEqualTo("^dev\\.nabla\\.bench\\.GemmBenchmark\\.(matmul)$");
        assertThat(Profile.COMPARE_CPU.plan(List.of("cpu", "cuda"), List.of(1, 2)))
                .extracting(JmhRun::title).containsExactly("GEMM, cpu", "GEMM transposed (as backward), cpu",
                        "train step, cpu");
        assertThat(plan).extracting(JmhRun::title).doesNotContain("GEMM transposed (as backward), cpu");
        assertThat(Profile.QUICK.numericalHidden()).last().isEqualTo("714");
    }

    @Test
    void optionsParseAndRejectNonsense() {
        ReportOptions o = ReportOptions.parse("--full", "--out", "x", "--backends", "CPU,cuda", "--threads", "1,2",
                "--no-python");
        assertThat(o.profile()).isEqualTo(Profile.FULL);
        assertThat(o.backends()).containsExactly("cpu", "cuda");
        assertThat(o.cpuThreads()).containsExactly(1, 2);
        assertThat(o.pythons()).isEmpty();
        assertThat(ReportOptions.parse().threadsOr(2)).containsExactly(2);
        assertThat(ReportOptions.parse("--compare-cpu").threadsOr(2)).containsExactly(1, 2);
        assertThatThrownBy(() -> ReportOptions.parse("--threads", "0")).hasMessageContaining("not a positive number");
        assertThatThrownBy(() -> ReportOptions.parse("--out")).hasMessageContaining("--out needs a value");
        assertThatThrownBy(() -> ReportOptions.parse("--fast")).hasMessageContaining("unknown option '--fast'");
        assertThat(ReportMain.run("--fast")).isEqualTo(2);
    }

    @Test
    void tablesConvertTimesAndPairLibrariesByThreadCount() {
        List<Measurement> ms = List.of(
                m("GemmBenchmark", "matmul", 0.01, "backend", "cuda", "shape", "1000", "threads", "0"),
                m("GemmBenchmark", "matmul", 4.0, "backend", "cpu", "shape", "1000", "layout", "tn", "threads", "2"),
                m("GemmBenchmark", "matmul", 2.0, "backend", "cpu", "shape", "1000", "threads", "1"),
                m("GemmBenchmark", "matmul", 1.0, "backend", "cpu", "shape", "1000", "threads", "2"),
                m("GradientBenchmark", "numerical", 500, "backend", "cpu", "hidden", "171"),
                m("GradientBenchmark", "backprop", 0.25, "backend", "cpu", "hidden", "171"),
                m("TrainStepBenchmark", "forward", 1.0, "backend", "cpu", "threads", "2", "model", "4-256-3:120"),
                m("TrainStepBenchmark", "forwardBackward", 2.5, "backend", "cpu", "threads", "2", "model", "4-256-3:120"),
                m("TrainStepBenchmark", "step", 3.0, "backend", "cpu", "threads", "2", "model", "4-256-3:120"),
                m("ElementwiseBenchmark", "add", 1.0, "backend", "cpu", "size", "1048576"));
        List<PyResult> py = List.of(new PyResult("numpy", "gemm", "1000", 1, 1.0),
                new PyResult("numpy", "gemm", "1000", 2, 0.5), new PyResult("torch", "train_step", "4-256-3:120", 2, 6.0),
                new PyResult("torch", "gemm", "1000", 2, 0.4), new PyResult("torch-cuda", "gemm", "1000", 2, 0.02),
                new PyResult("numpy", "gemm", "tn:1000", 2, 1.0),
                new PyResult("torch", "numerical", "171", 2, 100), new PyResult("torch", "backprop", "171", 2, 0.1));
        Tables t = new Tables(ms, py);

        List<List<String>> gemm = t.gemm().rows();
        assertThat(gemm).hasSize(4);
        assertThat(gemm.get(2)).as("transposed rows after the plain ones, paired with the library's tn: timing")
                .containsSequence("cpu", "2", "1000×1000×1000", "Aᵀ·B", "4.00", "500", "2,000", "0.250×");
        assertThat(gemm.get(0)).containsSequence("cpu", "1", "1000×1000×1000", "A·B", "2.00", "1,000", "2,000", "0.500×");
        assertThat(gemm.get(1)).containsSequence("cpu", "2", "1000×1000×1000", "A·B", "1.00", "2,000", "4,000", "0.500×",
                "5,000", "0.400×");
        assertThat(gemm.get(3)).as("a GPU row: numpy at its most threads, PyTorch on the GPU")
                .containsExactly("cuda", "—", "1000×1000×1000", "A·B", "0.0100", "200,000", "4,000", "50.0×", "100,000", "2.00×");

        List<String> grad = t.gradients().rows().get(0);
        assertThat(grad).containsExactly("2,397", "171", "cpu", "500", "0.250", "2,000×", "100", "0.100", "1,000×");

        List<String> train = t.trainSteps().rows().get(0);
        assertThat(train).containsExactly("cpu", "2", "4-256-3 b120", "2,051", "1.00", "2.50", "3.00", "2.50×", "6.00",
                "2.00×", "—");

        List<String> add = t.elementwise().rows().get(0);
        assertThat(add).containsSequence("cpu", "add", "1M", "1.00", "12.6");
        assertThat(t.softmax().rows()).isEmpty();
        assertThat(t.softmax().markdown()).contains("(nothing measured)");
        assertThat(t.gemm().markdown()).contains("| backend | threads |").contains("|---------|");
    }

    @Test
    void measurementsRoundTripThroughTheirTsvLine() {
        Measurement a = m("GemmBenchmark", "matmul", 1.25, "backend", "cpu", "shape", "512x784x1024", "threads", "2");
        Measurement b = Measurement.parseTsv(a.tsv());
        assertThat(b.params()).isEqualTo(a.params());
        assertThat(b.ms()).isEqualTo(1.25);
        assertThat(b.errorMs()).isNaN();
        assertThat(b.benchmark() + "." + b.method()).isEqualTo("GemmBenchmark.matmul");
        assertThatThrownBy(() -> Measurement.parseTsv("x\ty")).hasMessageContaining("5 tab-separated fields");
    }

    @Test
    void replotDrawsAFinishedReportsPngs(@TempDir Path dir) throws IOException {
        org.junit.jupiter.api.Assumptions.assumeTrue(ReportMain.canPlot(), "java.desktop absent: nothing to draw with");
        Files.write(dir.resolve(ReportMain.MEASUREMENTS), List.of(
                m("GemmBenchmark", "matmul", 1.0, "backend", "cpu", "shape", "256", "threads", "2").tsv()));
        Files.createDirectories(dir.resolve("python"));
        Files.writeString(dir.resolve("python/numpy-t2.tsv"), "#meta\tnumpy\t2.4\nnumpy\tgemm\t256\t2\t0.001\n");
        assertThat(ReportMain.run("--replot", dir.toString())).isZero();
        assertThat(dir.resolve("gemm.png")).isNotEmptyFile();
        assertThat(ReportMain.run("--replot", dir.resolve("nothing").toString())).isEqualTo(1);
    }

    @Test
    void pythonLinesParseAndTheThreadEnvironmentIsClean() {
        PyResult r = PyResult.parse("numpy\tgemm\t512x784x1024\t2\t0.0125");
        assertThat(r).isEqualTo(new PyResult("numpy", "gemm", "512x784x1024", 2, 12.5));
        assertThat(PyResult.parse("#meta\tnumpy\t2.4.6")).isNull();
        assertThatThrownBy(() -> PyResult.parse("numpy\tgemm")).hasMessageContaining("5 tab-separated fields");
        Map<String, String> env = new HashMap<>(Map.of("OPENBLAS_CORETYPE", "Haswell", "OPENBLAS_L2_SIZE", "512"));
        PythonBaseline.threadEnvironment(env, 2);
        assertThat(env).doesNotContainKeys("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")
                .containsEntry("OPENBLAS_NUM_THREADS", "2").containsEntry("OMP_NUM_THREADS", "2");
    }

    @Test
    void missingInterpretersBecomeNotes() {
        PythonBaseline p = new PythonBaseline();
        p.find(List.of("/nonexistent/python3"), true);
        assertThat(p.interpreters).isEmpty();
        assertThat(p.notes).containsExactly("no python3 found: numpy comparison skipped",
                "no python3 found: torch comparison skipped");
    }

    @Test
    void jmhJsonArraysAreMergedIntoOne(@TempDir Path dir) throws IOException {
        Path a = Files.writeString(dir.resolve("a.json"), "[\n  {\"benchmark\": \"a\"}\n]\n");
        Path b = Files.writeString(dir.resolve("b.json"), "[ ]");
        Path c = Files.writeString(dir.resolve("c.json"), "[{\"benchmark\": \"c\"},{\"benchmark\": \"d\"}]");
        JmhRunner.mergeJson(List.of(a, b, c, dir.resolve("missing.json")), dir.resolve("all.json"));
        assertThat(Files.readString(dir.resolve("all.json")).replaceAll("\\s", ""))
                .isEqualTo("[{\"benchmark\":\"a\"},{\"benchmark\":\"c\"},{\"benchmark\":\"d\"}]");
        Path bad = Files.writeString(dir.resolve("bad.json"), "{}");
        assertThatThrownBy(() -> JmhRunner.mergeJson(List.of(bad), dir.resolve("x.json")))
                .hasMessageContaining("not a JSON array");
    }

    @Test
    void aFailedRunIsExplainedFromJmhsLog(@TempDir Path dir) throws IOException {
        Path crash = Files.writeString(dir.resolve("crash.log"), String.join("\n",
                "# Parameters: (backend = cpu, shape = 1024, threads = 2)", "Iteration   1: 5.0 ms/op",
                "# Parameters: (backend = cpu, shape = 2048, threads = 2)",
                "# Warmup Iteration   1: <forked VM failed with exit code 139>", ""));
        assertThat(JmhRunner.failure(crash, "x"))
                .isEqualTo("(backend = cpu, shape = 2048, threads = 2): <forked VM failed with exit code 139>");
        Path check = Files.writeString(dir.resolve("check.log"), String.join("\n",
                "# Parameters: (backend = cuda, hidden = 171)", "<failure>", "",
                "java.lang.IllegalStateException: gradient check failed for hidden=171: ...",
                "\tat dev.nabla.bench.GradientAgreement.verify(GradientAgreement.java:1)", ""));
        assertThat(JmhRunner.failure(check, "x")).isEqualTo(
                "(backend = cuda, hidden = 171): java.lang.IllegalStateException: gradient check failed for hidden=171: ...");
        assertThat(JmhRunner.failure(dir.resolve("missing.log"), "JMH's message")).isEqualTo("JMH's message");
    }

    @Test
    void plotsArePngFilesWhenTheRuntimeCanDraw(@TempDir Path dir) throws IOException {
        org.junit.jupiter.api.Assumptions.assumeTrue(ReportMain.canPlot(), "java.desktop absent: plots are skipped");
        List<Measurement> ms = List.of(
                m("GradientBenchmark", "numerical", 5, "backend", "cpu", "hidden", "7"),
                m("GradientBenchmark", "backprop", 0.1, "backend", "cpu", "hidden", "7"),
                m("GradientBenchmark", "numerical", 500, "backend", "cpu", "hidden", "171"),
                m("GradientBenchmark", "backprop", 0.2, "backend", "cpu", "hidden", "171"),
                m("GemmBenchmark", "matmul", 1.0, "backend", "cpu", "shape", "256", "threads", "2"),
                m("GemmBenchmark", "matmul", 7.0, "backend", "cpu", "shape", "512", "threads", "2"));
        List<Path> files = new Plots(ms, List.of(new PyResult("numpy", "gemm", "256", 2, 0.5))).write(dir);
        assertThat(files).extracting(p -> p.getFileName().toString()).containsExactly("gradients.png", "gemm.png");
        for (Path f : files) {
            byte[] head = java.util.Arrays.copyOf(Files.readAllBytes(f), 8);
            assertThat(head).containsExactly(0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A);
        }
    }
}
