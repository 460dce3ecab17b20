package dev.nabla.cuda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CUDA backend through the real JCuda JNI library against {@code src/test/c/fake_cuda.c} built
 * as {@code libcuda.so.1}: kernel arguments packed in one buffer (and, for comparison, one pointer
 * each) reach the driver in the layout the kernels take, the start-up check of packed launches
 * passes, and fill and copy kernels give the right results. Each case runs {@link FakeDriverMain}
 * in its own JVM (the fake must not leak into this one's CUDA probe). Skips where gcc is not on the PATH.
 */
class FakeDriverTest {
    @TempDir
    static Path dir;

    @BeforeAll
    static void buildFakeDriver() throws Exception {
        Path gcc = onPath("gcc");
        assumeTrue(gcc != null, "gcc is not on the PATH");
        Path module = Path.of(System.getProperty("nabla.cuda.module.dir", System.getProperty("user.dir")));
        Process p = new ProcessBuilder(gcc.toString(), "-shared", "-fPIC", "-O1", "-Wl,-soname,libcuda.so.1", "-o",
                dir.resolve("libcuda.so.1").toString(), module.resolve("src/test/c/fake_cuda.c").toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
    }

    /** Runs FakeDriverMain with the fake driver first on the library path; returns exit code and output. */
    static Result run(String... options) throws Exception {
        return run(Map.of(), options);
    }

    static Result run(Map<String, String> env, String... options) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Dnabla.gpu.autotune=false");
        cmd.add("-Dnabla.cache.dir=" + dir.resolve("cache"));
        cmd.addAll(List.of(options));
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(FakeDriverMain.class.getName());
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        String old = System.getenv("LD_LIBRARY_PATH");
        pb.environment().put("LD_LIBRARY_PATH", dir + (old == null || old.isEmpty() ? "" : File.pathSeparator + old));
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as(out).isTrue();
        return new Result(p.exitValue(), out);
    }

    record Result(int exit, String output) {
    }

    @Test
    void packedArgumentsAreVerifiedAtStartAndGiveTheKernelsTheirParameters() throws Exception {
        Result r = run("-Dnabla.cuda.gemm=portable");
        assertThat(r.output()).contains("available: true", "device: Fake CUDA device (fake_cuda.c)",
                "kernel arguments: packed in one buffer (CU_LAUNCH_PARAM_BUFFER_POINTER), verified by a strided copy and a fill",
                "provider kernel arguments: packed in one buffer (CU_LAUNCH_PARAM_BUFFER_POINTER), verified",
                "fill: ok", "contiguous copy: ok", "strided copy: ok", "results: ok");
        assertThat(r.exit()).as(r.output()).isZero();
    }

    @Test
    void onePointerPerArgumentStillWorksWhenPackingIsOff() throws Exception {
        Result r = run("-Dnabla.cuda.gemm=portable", "-D" + CudaDevice.PACKED_PROPERTY + "=false");
        assertThat(r.output()).contains("kernel arguments: one JCuda Pointer per argument (nabla.cuda.packedArguments=false)",
                "strided copy: ok", "results: ok");
        assertThat(r.exit()).as(r.output()).isZero();
    }

    @Test
    void aDriverThatRefusesPackedArgumentsGetsOnePointerEach() throws Exception {
        Result r = run(Map.of("NABLA_FAKE_CUDA_REJECT_EXTRA", "1"), "-Dnabla.cuda.gemm=portable");
        assertThat(r.output()).contains("kernel arguments: one JCuda Pointer per argument (packed arguments failed"
                + " their check: cuLaunchKernel(copy_strided_u32): CUDA_ERROR_INVALID_VALUE", "strided copy: ok",
                "results: ok");
        assertThat(r.exit()).as(r.output()).isZero();
    }

    private static Path onPath(String exe) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path p = Path.of(d, exe);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }
}
