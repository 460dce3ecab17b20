package dev.nabla.cpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nabla.DType;
import dev.nabla.backend.Backend;
import dev.nabla.backend.BackendProvider;
import dev.nabla.backend.BackendReport;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class CpuProviderTest {
    /** False in the surefire execution that starts the JVM without the Vector API module. */
    private static final boolean VECTOR_MODULE_EXPECTED =
            !"absent".equals(System.getProperty("nabla.test.vectorModule"));

    @Test
    void serviceLoaderFindsTheCpuProvider() {
        assertThat(ServiceLoader.load(BackendProvider.class).stream().map(ServiceLoader.Provider::type))
                .contains(CpuProvider.class);
    }

    @Test
    void reportNamesDeviceThreadsJavaAndGemmKernel() {
        CpuProvider provider = new CpuProvider();
        BackendReport report = provider.report();
        assertThat(provider.name()).isEqualTo("cpu");
        assertThat(provider.priority()).isEqualTo(100);
        assertThat(report.available()).isTrue();
        assertThat(report.devices()).hasSize(1);
        assertThat(report.devices().get(0).name()).isNotBlank();
        assertThat(report.devices().get(0).memoryBytes()).isEqualTo(Runtime.getRuntime().maxMemory());
        assertThat(report.details()).containsKeys("threads", "java", "gemm kernel", "nabla.threads");
        // surefire starts the JVM with --add-modules jdk.incubator.vector (the vector kernels must then be in use),
        // and once more without it (the scalar ones, saying why)
        assertThat(CpuKernels.vectorModulePresent()).isEqualTo(VECTOR_MODULE_EXPECTED);
        if (VECTOR_MODULE_EXPECTED) {
            assertThat(report.details().get("gemm kernel")).startsWith("vector");
        } else {
            assertThat(report.details().get("gemm kernel")).startsWith("scalar");
            assertThat(report.details().get("vector API")).isEqualTo("absent");
            try (CpuBackend cpu = new CpuBackend(1, "auto")) {
                assertThat(cpu.report().details().get("gemm kernel reason")).contains("jdk.incubator.vector");
                assertThat(cpu.report().details().get("elementwise math")).isEqualTo("scalar");
            }
        }
        assertThat(provider.report()).isSameAs(report);
    }

    @Test
    void opensDeviceZeroOnly() {
        CpuProvider provider = new CpuProvider();
        assertThatThrownBy(() -> provider.open(1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("device 1");
        try (Backend b = provider.open(0)) {
            assertThat(b.name()).isEqualTo("cpu");
            assertThat(b.supports(DType.FLOAT64)).isTrue();
            assertThat(b.report().details()).containsKey("gemm kernel");
        }
    }

    @Test
    void gemmChoiceCanBeForcedAndIsReported() {
        if (!VECTOR_MODULE_EXPECTED) {
            assertThatThrownBy(() -> new CpuBackend(1, "vector")).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("--add-modules jdk.incubator.vector");
            return;
        }
        try (CpuBackend scalar = new CpuBackend(1, "scalar"); CpuBackend vector = new CpuBackend(1, "vector")) {
            assertThat(scalar.gemmKernel()).startsWith("scalar");
            assertThat(scalar.report().details().get("gemm kernel")).startsWith("scalar");
            assertThat(scalar.report().details().get("elementwise math")).isEqualTo("scalar");
            assertThat(vector.gemmKernel()).startsWith("vector");
            assertThat(vector.report().details().get("elementwise math")).startsWith("vector");
        }
        assertThatThrownBy(() -> new CpuBackend(1, "fast")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("nabla.cpu.gemm=fast");
    }

    @Test
    void threadsComeFromTheSystemProperty() {
        String old = System.getProperty(CpuProvider.THREADS_PROPERTY);
        try {
            System.setProperty(CpuProvider.THREADS_PROPERTY, "3");
            try (Backend b = new CpuProvider().open(0)) {
                assertThat(((CpuBackend) b).threads()).isEqualTo(3);
            }
        } finally {
            if (old == null) {
                System.clearProperty(CpuProvider.THREADS_PROPERTY);
            } else {
                System.setProperty(CpuProvider.THREADS_PROPERTY, old);
            }
        }
    }

    @Test
    void closedBackendRefusesWork() {
        Backend b = new CpuBackend(1, "auto");
        var buf = b.allocate(DType.FLOAT32, 4);
        b.close();
        assertThatThrownBy(() -> b.fill(buf, 0, 4, 1)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }
}
