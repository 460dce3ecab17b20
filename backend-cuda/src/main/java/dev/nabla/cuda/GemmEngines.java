package dev.nabla.cuda;

import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/**
 * The GEMM engines in order of preference and how each is made. Facts behind the order
 * (../shared/GPU_HOST.md): cuBLAS through FFM reaches cuBLAS 12 and 13 at PyTorch's speed but
 * needs JDK 22+; JCublas 12.6 loads only where {@code libcublas.so.12} exists; our own kernel
 * runs everywhere but at about half cuBLAS's speed; the portable kernel is the floor.
 */
final class GemmEngines {
    static final String CUBLAS_FFM = "cublas-ffm";
    static final String PORTABLE = "portable";
    /** Preference order; the first that can be created (and, for {@code own}, verified) runs. */
    static final List<String> ORDER = List.of(CUBLAS_FFM, JCublasEngine.NAME, OwnGemm.NAME, PORTABLE);
    /** System property forcing one engine. */
    static final String PROPERTY = "nabla.cuda.gemm";
    /** System property enabling TF32 tensor-core math in cuBLAS. */
    static final String TF32_PROPERTY = "nabla.cuda.tf32";

    private GemmEngines() {
    }

    /** Creates engine {@code name} (not {@code portable}) on {@code device}, whose context is bound. */
    static GemmEngine create(String name, CudaDevice device, boolean tf32) {
        return switch (name) {
            case CUBLAS_FFM -> ffmProvider().create(
                    new GemmEngineProvider.Context(device.streamHandle(), tf32, device.ordinal()));
            case JCublasEngine.NAME -> JCublasEngine.create(device.stream(), tf32);
            case OwnGemm.NAME -> new OwnGemm(device);
            default -> throw new IllegalArgumentException("no GEMM engine " + name + " (one of " + ORDER + ")");
        };
    }

    /** The FFM provider of {@code backend-cuda-cublas}, or why it cannot be had. */
    static GemmEngineProvider ffmProvider() {
        int feature = Runtime.version().feature();
        if (feature < 22) {
            throw new GemmEngineUnavailableException("cuBLAS via FFM needs JDK 22+ (running "
                    + System.getProperty("java.version") + ")");
        }
        try {
            for (GemmEngineProvider p : ServiceLoader.load(GemmEngineProvider.class, GemmEngines.class.getClassLoader())) {
                if (p.name().equals(CUBLAS_FFM)) {
                    return p;
                }
            }
        } catch (ServiceConfigurationError | LinkageError e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new GemmEngineUnavailableException("cuBLAS via FFM needs JDK 22+ and the backend-cuda-cublas module ("
                    + cause.getClass().getSimpleName() + ": " + cause.getMessage() + ")", e);
        }
        throw new GemmEngineUnavailableException("cuBLAS via FFM needs JDK 22+ and the backend-cuda-cublas module, "
                + "which is not on the class path (Maven builds it only on JDK 22+)");
    }

    /** The forced engine from {@link #PROPERTY}, or null for the automatic choice. */
    static String forced() {
        String v = System.getProperty(PROPERTY, "").trim().toLowerCase(java.util.Locale.ROOT);
        if (v.isEmpty() || v.equals("auto")) {
            return null;
        }
        if (!ORDER.contains(v)) {
            throw new IllegalArgumentException(PROPERTY + "=" + v + " is not one of auto, " + String.join(", ", ORDER));
        }
        return v;
    }

    static boolean tf32() {
        return Boolean.parseBoolean(System.getProperty(TF32_PROPERTY, "false"));
    }
}
