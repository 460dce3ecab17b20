package dev.nabla.opencl;


import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nabla.DType;
import dev.nabla.backend.Backend;
import dev.nabla.backend.BackendProvider;
import dev.nabla.backend.BackendReport;
import dev.nabla.backend.BinaryOp;
import dev.nabla.backend.Buffer;
import dev.nabla.backend.MemoryStats;
import dev.nabla.testing.HostArrays;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class OpenClProviderTest {

    @Test
    void providerIsFoundThroughServiceLoader() {
        List<String> names = new ArrayList<>();
        ServiceLoader.load(BackendProvider.class).forEach(p -> names.add(p.name()));
        assertThat(names).contains("opencl");
    }

    /** Runs {@code main} of {@code mainClass} in a child JVM with this test's class path; returns its output. */
    private static String child(Class<?> mainClass, java.util.function.Consumer<java.util.Map<String, String>> env,
            String... args) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                mainClass.getName()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        env.accept(pb.environment());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        return out;
    }

    @Test
    void withoutAnIcdTheProviderIsUnavailableWithTheReasonAndNeverThrows() throws Exception {
        String out = child(ProbeMain.class, env -> {
            env.put("OCL_ICD_VENDORS", "/nonexistent");
            env.remove("OPENCL_VENDOR_PATH");
        });
        assertThat(out).contains("summary=opencl: unavailable (").contains("priority=50");
        assertThat(out).containsAnyOf("no OpenCL platform found", "libOpenCL.so not found");
    }

    @Test
    void withoutSignalChainingNoDriverIsLoadedAndTheReportSaysHowToFixIt() throws Exception {
        assumeTrue(System.getProperty("os.name").toLowerCase(java.util.Locale.ROOT).contains("linux"),
                "signal chaining is checked on Linux only");
        String out = child(ProbeMain.class, env -> env.remove("LD_PRELOAD"));
        assertThat(out).contains("summary=opencl: unavailable (not loading OpenCL drivers")
                .contains("LD_PRELOAD=").contains("libjsig.so");
    }

    @Test
    void askingForABackendByNameProbesNoOtherProvider() throws Exception {
        // Device.of("cpu") must not load OpenCL drivers: POCL's LLVM replaces the JVM's signal handlers.
        String out = child(NamedLookupMain.class, env -> { }, "nosuch");
        assertThat(out).contains("error=device 'nosuch': no backend named 'nosuch'").contains("opencl")
                .contains("libOpenCL loaded=false");
    }

    @Test
    void reportNamesPlatformDeviceVersionsMemoryFp64AndGemmTiles() {
        Backend b = OpenClTestSupport.backend();
        BackendReport r = b.report();
        assertThat(r.backend()).isEqualTo("opencl");
        assertThat(r.available()).isTrue();
        assertThat(r.devices()).hasSize(1);
        BackendReport.DeviceInfo d = r.devices().get(0);
        assertThat(d.memoryBytes()).isPositive();
        assertThat(d.properties()).containsKeys("platform", "OpenCL version", "driver", "global memory",
                "max allocation", "fp64", "gemm");
        assertThat(d.properties().get("gemm")).contains("64x64x16/4x4").contains("autotune off");
        assertThat(b.supports(DType.FLOAT64)).isEqualTo(d.properties().get("fp64").equals("yes"));
    }

    @Test
    void cpuDevicesNeverOutrankTheNativeCpuBackend() {
        BackendReport r = OpenClTestSupport.report();
        assumeTrue(r.available(), r::reason);
        OpenClProvider p = new OpenClProvider();
        boolean gpuFirst = r.devices().get(0).properties().get("type").equals("GPU");
        assertThat(p.priority()).isEqualTo(gpuFirst ? 200 : 50);
        for (int i = 1; i < r.devices().size(); i++) {
            if (r.devices().get(i).properties().get("type").equals("GPU")) {
                assertThat(r.devices().get(i - 1).properties().get("type")).as("GPUs first").isEqualTo("GPU");
            }
        }
        assertThatThrownBy(() -> p.open(r.devices().size())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no device " + r.devices().size());
    }

    @Test
    void closedBuffersAreCachedAndReusedAndCleanerThreadClosesAreSafe() throws Exception {
        Backend b = OpenClTestSupport.backend();
        MemoryStats before = b.memoryStats();
        Buffer x = b.allocate(DType.FLOAT32, 100_000);
        assertThat(b.memoryStats().liveBytes() - before.liveBytes()).isBetween(400_000L, 500_000L);
        Thread t = new Thread(x::close, "Cleaner-0");
        t.start();
        t.join();
        MemoryStats afterClose = b.memoryStats();
        assertThat(afterClose.liveBytes()).isEqualTo(before.liveBytes());
        assertThat(afterClose.cachedBytes() - before.cachedBytes()).isBetween(400_000L, 500_000L);
        try (Buffer y = b.allocate(DType.FLOAT32, 100_000)) {
            assertThat(b.memoryStats().cachedBytes()).as("the cached block is reused").isEqualTo(before.cachedBytes());
            b.fill(y, 0, 100_000, 3);
            float[] out = new float[2];
            b.copyToHost(y, 99_998, HostArrays.wrap(out, 0, 2));
            assertThat(out).containsExactly(3, 3);
        }
        assertThatThrownBy(() -> b.fill(x, 0, 1, 0)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }

    @Test
    void runningOutOfDeviceMemoryIsAnExceptionThatSuggestsASmallerBatch() {
        Backend b = OpenClTestSupport.backend();
        assertThatThrownBy(() -> b.allocate(DType.FLOAT32, 1L << 40))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("smaller batch");
        List<Buffer> held = new ArrayList<>();
        try {
            long chunk = Math.min(b.report().devices().get(0).memoryBytes() / 3, 1L << 31) / 4;
            assertThatThrownBy(() -> {
                for (int i = 0; i < 8; i++) {
                    held.add(b.allocate(DType.FLOAT32, chunk));
                }
            }).isInstanceOf(IllegalStateException.class).hasMessageContaining("smaller batch");
        } finally {
            held.forEach(Buffer::close);
        }
        try (Buffer ok = b.allocate(DType.FLOAT32, 10)) {
            b.fill(ok, 0, 10, 1);
        }
    }

    @Test
    void unsupportedCombinationsNameBackendOpAndDtype() {
        Backend b = OpenClTestSupport.backend();
        try (Buffer i = b.allocate(DType.INT32, 4)) {
            assertThatThrownBy(() -> b.binary(BinaryOp.DIV, i, 0, new long[] {1}, i, 0, new long[] {1}, i, 0, new int[] {4}))
                    .isInstanceOf(UnsupportedOperationException.class)
                    .hasMessageContaining("opencl").hasMessageContaining("binary DIV").hasMessageContaining("int32");
            assertThatThrownBy(() -> b.unary(dev.nabla.backend.UnaryOp.EXP, 0, i, 0, i, 0, 4))
                    .isInstanceOf(UnsupportedOperationException.class)
                    .hasMessageContaining("opencl").hasMessageContaining("unary EXP").hasMessageContaining("int32");
        }
    }

    @Test
    void aClosedBackendRefusesWorkAndItsBuffersReportClosed() {
        assumeTrue(OpenClTestSupport.report().available(), OpenClTestSupport.report()::reason);
        Backend own = new OpenClProvider().open(0);
        Buffer x = own.allocate(DType.FLOAT32, 8);
        own.close();
        assertThat(x.isClosed()).isTrue();
        assertThat(own.memoryStats().liveBytes()).isZero();
        assertThatThrownBy(() -> own.allocate(DType.FLOAT32, 1)).isInstanceOf(IllegalStateException.class);
        x.close();
        own.close();
    }
}
