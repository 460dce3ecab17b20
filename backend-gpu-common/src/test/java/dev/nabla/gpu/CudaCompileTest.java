package dev.nabla.gpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every build of {@link KernelSources#builds} compiles as CUDA C to PTX for compute_80, exactly as
 * the CUDA backend will compile it, without double-precision instructions in the float builds, and
 * {@code ptxas} assembles the PTX for sm_80 when present.
 * Skipped where {@code nvcc} is not on the PATH.
 */
class CudaCompileTest {

    @Test
    void everyKernelBuildCompilesAsCuda(@TempDir Path dir) throws Exception {
        Path nvcc = onPath("nvcc");
        assumeTrue(nvcc != null, "nvcc is not on the PATH");
        Path ptxas = onPath("ptxas");
        for (String name : KernelSources.CUDA_HEADERS) {
            Files.writeString(dir.resolve(name), KernelSources.text(name));
        }
        for (String file : KernelSources.FILES) {
            Files.writeString(dir.resolve(file), KernelSources.read(file));
        }
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<String>> results = new ArrayList<>();
            for (KernelSources.Build build : KernelSources.builds(true)) {
                results.add(pool.submit(() -> compile(nvcc, ptxas, dir, build)));
            }
            List<String> failures = new ArrayList<>();
            for (Future<String> f : results) {
                String failure = f.get(5, TimeUnit.MINUTES);
                if (failure != null) {
                    failures.add(failure);
                }
            }
            assertThat(failures).isEmpty();
        } finally {
            pool.shutdownNow();
        }
    }

    /** Null on success, else the command and its output. */
    private static String compile(Path nvcc, Path ptxas, Path dir, KernelSources.Build build)
            throws IOException, InterruptedException {
        Path ptx = dir.resolve(build.tag() + ".ptx");
        List<String> cmd = new ArrayList<>(List.of(nvcc.toString()));
        cmd.addAll(KernelSources.nvccArguments(build, dir));
        cmd.addAll(List.of("-o", ptx.toString()));
        String failure = run(cmd);
        if (failure != null || ptxas == null) {
            return failure;
        }
        String text = Files.readString(ptx);
        if (!text.contains(".entry")) {
            return build.tag() + ": no kernel entry in the PTX";
        }
        // A double literal or a double overload in a float build would run at 1/64 speed on most GPUs.
        if (!"double".equals(build.defines().get("REAL")) && text.contains(".f64")) {
            return build.tag() + ": double-precision instructions in a float build";
        }
        return run(List.of(ptxas.toString(), "-arch=sm_80", ptx.toString(), "-o", dir.resolve(build.tag() + ".cubin").toString()));
    }

    private static String run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return p.waitFor() == 0 ? null : String.join(" ", cmd) + "\n" + out;
    }

    private static Path onPath(String tool) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String d : path.split(File.pathSeparator)) {
            Path p = Path.of(d, tool);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }
}
