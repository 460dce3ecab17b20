package dev.nabla.opencl;


import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nabla.DType;
import dev.nabla.backend.Backend;
import dev.nabla.backend.Buffer;
import dev.nabla.backend.UnaryOp;
import dev.nabla.testing.HostArrays;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProgramCacheTest {

    private static String negateOnce(Path cacheDir) {
        String previous = System.getProperty("nabla.cache.dir");
        System.setProperty("nabla.cache.dir", cacheDir.toString());
        try (Backend b = new OpenClProvider().open(0); Buffer x = b.allocate(DType.FLOAT32, 3)) {
            b.copyFromHost(HostArrays.wrap(new float[] {1, -2, 3}, 0, 3), x, 0);
            b.unary(UnaryOp.NEG, 0, x, 0, x, 0, 3);
            float[] out = new float[3];
            b.copyToHost(x, 0, HostArrays.wrap(out, 0, 3));
            assertThat(out).containsExactly(-1, 2, -3);
            return b.report().details().get("programs");
        } finally {
            System.setProperty("nabla.cache.dir", previous);
        }
    }

    @Test
    void programsAreBuiltOnceThenLoadedAndADamagedEntryIsRebuilt(@TempDir Path dir) throws Exception {
        assumeTrue(OpenClTestSupport.report().available(), OpenClTestSupport.report()::reason);
        assertThat(negateOnce(dir)).startsWith("1 built from source, 0 loaded");
        assertThat(negateOnce(dir)).startsWith("0 built from source, 1 loaded");
        List<Path> binaries;
        try (Stream<Path> files = Files.list(dir.resolve("opencl"))) {
            binaries = files.filter(f -> f.toString().endsWith(".bin")).toList();
        }
        assertThat(binaries).hasSize(1);
        Files.write(binaries.get(0), new byte[] {1, 2, 3, 4, 5});
        assertThat(negateOnce(dir)).startsWith("1 built from source, 0 loaded");
        assertThat(negateOnce(dir)).startsWith("0 built from source, 1 loaded");
    }
}
