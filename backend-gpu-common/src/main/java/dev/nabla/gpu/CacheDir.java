package dev.nabla.gpu;

import java.nio.file.Path;

/**
 * The folder where GPU backends keep what is worth keeping between runs (the GEMM autotune choice,
 * OpenCL program binaries): system property {@code nabla.cache.dir}, default {@code ~/.cache/nabla}.
 * Tests point it at a temporary folder.
 */
public final class CacheDir {
    private CacheDir() {
    }

    public static Path resolve() {
        String dir = System.getProperty("nabla.cache.dir");
        return dir != null && !dir.isBlank() ? Path.of(dir)
                : Path.of(System.getProperty("user.home"), ".cache", "nabla");
    }
}
