package dev.nabla.cuda.cublas;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nabla.cuda.GemmEngine;
import dev.nabla.cuda.GemmEngineProvider;
import dev.nabla.cuda.GemmEngineUnavailableException;
import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The FFM engine's lookup of libcublas and its clean failures. Runs on JDK 22+ (the module is not
 * built otherwise) and needs no GPU.
 */
class CublasFfmTest {

    @Test
    void serviceLoaderFindsTheProvider() {
        assertThat(ServiceLoader.load(GemmEngineProvider.class).stream().map(ServiceLoader.Provider::type))
                .contains(CublasFfmProvider.class);
    }

    @Test
    void missingLibraryIsReportedWithTheFoldersSearched(@TempDir Path dir) throws Exception {
        Path a = Files.createDirectory(dir.resolve("cuda-13.0-lib"));
        Path b = Files.createDirectory(dir.resolve("site-packages-nvidia-cublas-lib"));
        CublasLocator.Result r = new CublasLocator(List.of(a, b), false).locate(Arena.ofAuto());
        assertThat(r.found()).isFalse();
        assertThat(r.failure()).startsWith("libcublas not found (looked for libcublas.so.13, libcublas.so.12 in "
                + a + ", " + b + ")").doesNotContain("\n");
    }

    @Test
    void aFileThatIsNotALibraryIsReportedNotThrown(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("libcublas.so.13"), "not an ELF file");
        CublasLocator.Result r = new CublasLocator(List.of(dir), false).locate(Arena.ofAuto());
        assertThat(r.found()).isFalse();
        assertThat(r.failure()).startsWith("libcublas found but not loadable: " + dir.resolve("libcublas.so.13") + ": ");
    }

    @Test
    void standardFoldersFollowTheEnvironment(@TempDir Path dir) throws Exception {
        Path toolkitLib = Files.createDirectories(dir.resolve("cuda/targets/x86_64-linux/lib"));
        Path lib64 = Files.createDirectories(dir.resolve("cuda/lib64"));
        Path venvCublas = Files.createDirectories(dir.resolve("venv/lib/python3.12/site-packages/nvidia/cublas/lib"));
        Path ld = Files.createDirectories(dir.resolve("ld"));
        List<Path> folders = CublasLocator.standardFolders(Map.of("LD_LIBRARY_PATH", ld + ":" + dir.resolve("missing"),
                "CUDA_HOME", dir.resolve("cuda").toString(), "VIRTUAL_ENV", dir.resolve("venv").toString()));
        assertThat(folders).containsSubsequence(ld, toolkitLib, lib64).contains(venvCublas)
                .doesNotContain(dir.resolve("missing"));
    }

    @Test
    void theRealProviderNeverThrowsAnythingButUnavailable() {
        GemmEngine engine = null;
        try {
            engine = new CublasFfmProvider().create(new GemmEngineProvider.Context(0, false, 0));
            // A machine with cuBLAS and a GPU: the engine says what it is.
            assertThat(engine.description()).startsWith("cuBLAS");
        } catch (GemmEngineUnavailableException e) {
            assertThat(e.getMessage()).isNotBlank().doesNotContain("\n");
            if (CublasLocator.standardFolders(System.getenv()).stream()
                    .noneMatch(f -> Files.exists(f.resolve("libcublas.so.13")) || Files.exists(f.resolve("libcublas.so.12")))
                    && !Files.exists(Path.of("/usr/lib/x86_64-linux-gnu/libcublas.so.12"))) {
                assertThat(e.getMessage()).startsWith("libcublas not found (looked for libcublas.so.13, libcublas.so.12 in "
                        + "the loader path");
            }
        } finally {
            if (engine != null) {
                engine.close();
            }
        }
    }

    @Test
    void versionAndStatusNames() {
        assertThat(CublasFfmEngine.versionName(130100)).isEqualTo("13.1.0");
        assertThat(CublasFfmEngine.versionName(120604)).isEqualTo("12.6.4");
        assertThat(CublasFfmEngine.statusName(7)).isEqualTo("CUBLAS_STATUS_INVALID_VALUE");
    }
}
