package dev.nabla.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nabla.DType;
import dev.nabla.Device;
import dev.nabla.Rng;
import dev.nabla.Tensor;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Every benchmark method, run on every backend this machine has (OpenCL on POCL in CI) with tiny
 * sizes, through its {@code @Setup} (which holds each benchmark's correctness check) and
 * {@code @TearDown}. Correctness, not timing. Unavailable backends are skipped with their reason.
 */
class BenchmarkSmokeTest {
    @org.junit.jupiter.api.io.TempDir
    static java.nio.file.Path kernelCache;

    @org.junit.jupiter.api.BeforeAll
    static void temporaryKernelCache() {
        System.setProperty("nabla.cache.dir", kernelCache.toString());
    }


    /** Tiny parameter values per benchmark class; every class in JMH's list must have an entry. */
    static final Map<Class<?>, Map<String, String>> TINY = new LinkedHashMap<>();

    static {
        TINY.put(GradientBenchmark.class, Map.of("hidden", "5"));
        TINY.put(GemmBenchmark.class, Map.of("shape", "17x33x9", "layout", "nn", "threads", "2"));
        TINY.put(TrainStepBenchmark.class, Map.of("model", "6-8-5-3:4", "threads", "1"));
        TINY.put(ElementwiseBenchmark.class, Map.of("size", "1000"));
        TINY.put(SoftmaxCrossEntropyBenchmark.class, Map.of("shape", "6x5"));
    }

    @TestFactory
    List<DynamicTest> everyBenchmarkMethodRunsOnceOnEveryBackend() {
        List<DynamicTest> tests = new ArrayList<>();
        for (String backend : List.of("cpu", "opencl", "cuda")) {
            var report = dev.nabla.Nabla.backends().stream().filter(r -> r.backend().equals(backend)).findFirst();
            String unavailable = report.isEmpty() ? "not on the class path"
                    : report.get().available() ? null : report.get().reason();
            for (Map.Entry<Class<?>, Map<String, String>> e : TINY.entrySet()) {
                for (Method m : e.getKey().getMethods()) {
                    if (m.isAnnotationPresent(Benchmark.class)) {
                        tests.add(DynamicTest.dynamicTest(backend + " " + e.getKey().getSimpleName() + "." + m.getName(),
                                () -> {
                                    org.junit.jupiter.api.Assumptions.assumeTrue(unavailable == null,
                                            () -> backend + " unavailable: " + unavailable);
                                    runOnce(backend, e.getKey(), e.getValue(), m);
                                }));
                    }
                }
            }
        }
        return tests;
    }

    static void runOnce(String backend, Class<?> cls, Map<String, String> params, Method benchmark) throws Exception {
        Object state = cls.getConstructor().newInstance();
        set(state, "backend", backend);
        for (Map.Entry<String, String> p : params.entrySet()) {
            set(state, p.getKey(), p.getValue());
        }
        invokeAll(state, Setup.class);
        try {
            benchmark.invoke(state);
            benchmark.invoke(state); // a second call: state left by the first (gradients, buffers) is reused
        } finally {
            invokeAll(state, TearDown.class);
        }
    }

    private static void set(Object state, String name, String value) throws ReflectiveOperationException {
        Field f = state.getClass().getField(name);
        f.set(state, f.getType() == int.class ? Integer.parseInt(value) : value);
    }

    private static void invokeAll(Object state, Class<? extends java.lang.annotation.Annotation> a)
            throws ReflectiveOperationException {
        for (Method m : state.getClass().getMethods()) {
            if (m.isAnnotationPresent(a)) {
                m.invoke(state);
            }
        }
    }

    /** JMH's generated list (proof that the annotation processor ran) names exactly the classes covered above. */
    @Test
    void theSmokeTestCoversEveryBenchmarkInJmhsList() throws IOException {
        TreeSet<String> listed = new TreeSet<>();
        try (InputStream in = getClass().getResourceAsStream("/META-INF/BenchmarkList")) {
            assertThat(in).as("META-INF/BenchmarkList: JMH's annotation processor did not run").isNotNull();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                String[] f = line.split(" ");
                if (f.length > 3 && f[0].equals("JMH")) {
                    listed.add(f[3]);
                }
            }
        }
        TreeSet<String> covered = new TreeSet<>();
        TINY.keySet().forEach(c -> covered.add(c.getName()));
        assertThat(listed).isEqualTo(covered);
    }

    @Test
    void theGradientCheckFailsLoudlyWhenBackpropIsWrong() {
        Device cpu = Device.cpu();
        Rng rng = new Rng(1);
        try (Mlp mlp = Mlp.create(cpu, DType.FLOAT32, rng, 4, 6, 3)) {
            Tensor[] batch = Mlp.randomBatch(cpu, rng, 5, 4, 3);
            double[][] reference = GradientAgreement.verify(mlp, batch[0], batch[1]);
            Tensor[] wrong = new Tensor[reference.length];
            for (int p = 0; p < wrong.length; p++) {
                double[] v = reference[p].clone();
                if (p == 0) {
                    v[0] += 0.5 * java.util.Arrays.stream(reference[p]).map(Math::abs).max().orElse(1) + 0.1;
                }
                wrong[p] = Tensor.of(cpu, v);
            }
            assertThatThrownBy(() -> GradientAgreement.checkFloat32Numerical(wrong, reference, 6))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("gradient check failed");
            Tensor[] right = new Tensor[reference.length];
            for (int p = 0; p < right.length; p++) {
                right[p] = Tensor.of(cpu, reference[p]);
            }
            GradientAgreement.checkFloat32Numerical(right, reference, 6);
        }
    }

    @Test
    void transposedLayoutsAreCheckedAndRunToo() throws Exception {
        Method matmul = GemmBenchmark.class.getMethod("matmul");
        for (String layout : List.of("tn", "nt")) {
            runOnce("cpu", GemmBenchmark.class, Map.of("shape", "17x33x9", "layout", layout, "threads", "1"), matmul);
        }
        assertThatThrownBy(() -> runOnce("cpu", GemmBenchmark.class, Map.of("shape", "4", "layout", "tt", "threads", "1"),
                matmul)).hasRootCauseMessage("layout 'tt': expected nn, tn or nt");
    }

    @Test
    void theForkFlagsAreTheRootPomsJvmFlags() {
        String pom = System.getProperty("nabla.jvm.flags");
        assertThat(pom).as("nabla.jvm.flags passed by surefire").isNotBlank();
        assertThat(String.join(" ", BenchmarkBase.JVM_FLAGS)).isEqualTo(pom.trim());
        org.openjdk.jmh.annotations.Fork fork = GemmBenchmark.class.getAnnotation(org.openjdk.jmh.annotations.Fork.class);
        assertThat(fork.jvmArgs()).containsExactly(BenchmarkBase.JVM_FLAGS);
    }

    @Test
    void cpuBenchmarksRefuseAJvmWithoutTheVectorApi() {
        assertThatThrownBy(() -> BenchmarkBase.checkVectorApi("cpu", false, null))
                .hasMessageContaining("without --add-modules jdk.incubator.vector").hasMessageContaining("-jvmArgsAppend");
        BenchmarkBase.checkVectorApi("cpu", false, "scalar");
        BenchmarkBase.checkVectorApi("cpu", true, null);
        BenchmarkBase.checkVectorApi("opencl", false, null);
    }

    @Test
    void parametersFollowTheNetworkShape() {
        assertThat(GradientBenchmark.parameters(171)).isEqualTo(2397);
        assertThat(GradientBenchmark.parameters(7143)).isEqualTo(100_005);
        assertThat(BenchModel.parse("784-1024-1024-10:512").parameters()).isEqualTo(784 * 1024 + 1024 + 1024 * 1024 + 1024
                + 1024 * 10 + 10);
        assertThat(GemmShape.parse("512x784x1024")).isEqualTo(new GemmShape(512, 784, 1024));
        assertThat(GemmShape.parse("256").flops()).isEqualTo(2.0 * 256 * 256 * 256);
        assertThatThrownBy(() -> GemmShape.parse("12x3")).hasMessageContaining("expected n (square) or MxKxN");
        assertThatThrownBy(() -> BenchModel.parse("784-10")).hasMessageContaining("widths-joined-by-dashes:batch");
    }

    @Test
    void aThreadCountOpensACpuBackendWithThatManyWorkers() {
        assertThat(BenchDevices.threadsOf(BenchDevices.open("cpu", 1))).isEqualTo(1);
        assertThat(BenchDevices.threadsOf(BenchDevices.open("cpu", 3))).isEqualTo(3);
        assertThat(BenchDevices.threadsOf(BenchDevices.open("cpu", 1))).isEqualTo(1);
    }

    @Test
    void anUnavailableBackendFailsSetupWithTheReason() {
        GemmBenchmark b = new GemmBenchmark();
        b.backend = "tpu";
        b.shape = "4";
        assertThatThrownBy(b::setup).hasMessageContaining("no backend named 'tpu'");
    }
}
