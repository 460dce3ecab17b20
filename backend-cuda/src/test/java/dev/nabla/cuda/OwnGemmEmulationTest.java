package dev.nabla.cuda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our CUDA SGEMM's tile code without a GPU: {@code src/test/cuda/sgemm_emulation.cpp} compiles
 * {@code sgemm.cu} for the host (threads for CUDA threads, a barrier for {@code __syncthreads}),
 * with AddressSanitizer, and checks every transpose, both tile sizes, aligned and unaligned
 * operands against a double-precision reference. On a GPU, {@link GemmVerifier} checks the real
 * kernel again before it is used. Skips where {@code g++} (C++20) is not on the PATH.
 */
class OwnGemmEmulationTest {

    @Test
    void tileCodeMatchesTheReferenceOnTheHost(@TempDir Path dir) throws Exception {
        Path gpp = PtxTest.onPath("g++");
        assumeTrue(gpp != null, "g++ is not on the PATH");
        Path module = Path.of(System.getProperty("nabla.cuda.module.dir", System.getProperty("user.dir")));
        Path exe = dir.resolve("sgemm_emulation");
        List<String> compile = new ArrayList<>(List.of(gpp.toString(), "-std=c++20", "-O1", "-pthread",
                "-I", module.resolve("src/main/cuda").toString(), "-I", module.resolve("src/test/cuda").toString(),
                module.resolve("src/test/cuda/sgemm_emulation.cpp").toString(), "-o", exe.toString()));
        List<String> withAsan = new ArrayList<>(compile);
        withAsan.add(1, "-fsanitize=address");
        String built = run(withAsan, 300);
        if (built != null) {
            // A compiler without libasan still checks the arithmetic and the untouched padding.
            built = run(compile, 300);
        }
        assertThat(built).as("g++ build").isNull();
        ProcessBuilder pb = new ProcessBuilder(exe.toString()).redirectErrorStream(true);
        pb.environment().remove("LD_PRELOAD"); // ASan must be the first library: not the JVM's libjsig.so
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(300, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out.strip()).endsWith("all ok");
        assertThat(out.lines().filter(l -> l.startsWith("BM=")).count()).isEqualTo(16);
    }

    /** Null on success, else the command and its output. */
    private static String run(List<String> cmd, long seconds) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return "timeout: " + String.join(" ", cmd);
        }
        return p.exitValue() == 0 ? null : String.join(" ", cmd) + "\n" + out;
    }
}
