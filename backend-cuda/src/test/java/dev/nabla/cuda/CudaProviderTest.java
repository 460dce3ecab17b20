package dev.nabla.cuda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nabla.backend.BackendProvider;
import dev.nabla.backend.BackendReport;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/**
 * The provider is found through ServiceLoader, probes once, and explains itself: on a machine
 * without an NVIDIA driver (CI) with the missing library in one short line; on a GPU host with
 * the driver, device, PTX and GEMM facts.
 */
class CudaProviderTest {

    @Test
    void serviceLoaderFindsTheProvider() {
        assertThat(ServiceLoader.load(BackendProvider.class).stream().map(ServiceLoader.Provider::type))
                .contains(CudaProvider.class);
    }

    @Test
    void reportIsShortAndExplainsAvailability() {
        CudaProvider provider = new CudaProvider();
        BackendReport report = provider.report();
        assertThat(provider.report()).as("probed once").isSameAs(report);
        assertThat(report.backend()).isEqualTo("cuda");
        if (!report.available()) {
            assertThat(report.reason()).isNotBlank().hasSizeLessThan(300).doesNotContain("\n").doesNotContain("\tat ");
            assertThat(provider.priority()).as("stays preferred, so auto() logs why it passed CUDA over").isEqualTo(300);
            assertThatThrownBy(() -> provider.open(0)).isInstanceOf(IllegalStateException.class)
                    .hasMessage("cuda is unavailable: " + report.reason());
        } else {
            assertThat(provider.priority()).isEqualTo(300);
            assertThat(report.details()).containsKeys("driver", "ptx", "ptx jit", "gemm", "gemm cublas-ffm",
                    "gemm jcublas", "gemm own", "gemm portable");
            assertThat(report.devices()).isNotEmpty();
            assertThat(report.devices().get(0).properties()).containsKeys("compute capability", "multiprocessors");
            assertThatThrownBy(() -> provider.open(report.devices().size())).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void withoutDriverTheReasonNamesLibcuda() {
        boolean driverPresent = java.nio.file.Files.exists(java.nio.file.Path.of("/proc/driver/nvidia/version"));
        org.junit.jupiter.api.Assumptions.assumeFalse(driverPresent, "an NVIDIA driver is installed here");
        assertThat(new CudaProvider().report().reason()).isEqualTo("libcuda.so.1 not found (no NVIDIA driver)");
    }

    @Test
    void linkFailuresBecomeOneLine() {
        UnsatisfiedLinkError jcuda = new UnsatisfiedLinkError("Error while loading native library \"JCublas2-12.6.0-linux-x86_64\"\n"
                + "Stack trace from the attempt to load the library as a resource:\n"
                + "java.lang.UnsatisfiedLinkError: /tmp/libJCublas2-12.6.0-linux-x86_64.so: libcublas.so.12: cannot open "
                + "shared object file: No such file or directory\n\tat java.base/jdk.internal.loader.NativeLibraries.load");
        assertThat(LinkFailure.reason(jcuda)).isEqualTo("libcublas.so.12 not found");
        UnsatisfiedLinkError version = new UnsatisfiedLinkError("/tmp/libJCublas2.so: /usr/lib/libcublas.so.12: "
                + "version `libcublas.so.12' not found (required by /tmp/libJCublas2-12.6.0-linux-x86_64.so)");
        assertThat(LinkFailure.reason(version))
                .isEqualTo("symbol version libcublas.so.12 not found (required by libJCublas2-12.6.0-linux-x86_64.so)");
        assertThat(LinkFailure.reason(new NoClassDefFoundError("Could not initialize class jcuda.driver.JCudaDriver")))
                .isEqualTo("Could not initialize class jcuda.driver.JCudaDriver");
    }
}
