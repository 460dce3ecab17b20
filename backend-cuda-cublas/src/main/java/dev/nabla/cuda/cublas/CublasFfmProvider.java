package dev.nabla.cuda.cublas;

import dev.nabla.cuda.GemmEngine;
import dev.nabla.cuda.GemmEngineProvider;
import dev.nabla.cuda.GemmEngineUnavailableException;
import java.lang.foreign.Arena;

/**
 * The {@code cublas-ffm} engine: cuBLAS 13 or 12 called through the Foreign Function & Memory API,
 * which needs no JNI library built against one cuBLAS version (JCublas 12.6 does not load on CUDA
 * 13 hosts). The library is located and loaded once per JVM and stays loaded.
 */
public final class CublasFfmProvider implements GemmEngineProvider {
    static final String NAME = "cublas-ffm";

    private static CublasLocator.Result loaded;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public GemmEngine create(Context context) {
        return CublasFfmEngine.create(library(), context);
    }

    /** The library, loaded on first use; not found is an {@link GemmEngineUnavailableException} with where it looked. */
    static synchronized CublasLocator.Result library() {
        if (loaded == null) {
            loaded = CublasLocator.standard(System.getenv()).locate(Arena.global());
        }
        if (!loaded.found()) {
            throw new GemmEngineUnavailableException(loaded.failure());
        }
        return loaded;
    }
}
