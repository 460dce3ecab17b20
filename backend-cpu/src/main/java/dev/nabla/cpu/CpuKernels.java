package dev.nabla.cpu;

/**
 * Chooses the kernels that exist in a scalar and a Vector API form: the GEMM micro-kernels and the
 * elementwise math ({@link SimdLoops}). Vector ones when {@code jdk.incubator.vector} is in the
 * boot layer (the JVM was started with {@code --add-modules jdk.incubator.vector}), scalar ones
 * otherwise, or as forced by {@code nabla.cpu.gemm=scalar|vector}. {@link VectorGemmKernels} and
 * {@link VectorMath} are touched only after the module check, so a JVM without the module never
 * loads them.
 *
 * @param f32    float GEMM micro-kernel
 * @param f64    double GEMM micro-kernel
 * @param math   exp (with sigmoid, softmax, cross-entropy) and sqrt for elementwise kernels
 * @param reason why this choice (printed in the report)
 */
record CpuKernels(MicroKernel.F32 f32, MicroKernel.F64 f64, SimdLoops math, String reason) {
    static final String PROPERTY = "nabla.cpu.gemm";

    /** Whether the Vector API module is in the boot layer. */
    static boolean vectorModulePresent() {
        return ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    }

    /** {@code request}: {@code auto} (or null), {@code scalar} or {@code vector}. */
    static CpuKernels select(String request) {
        String r = request == null || request.isBlank() ? "auto" : request.trim().toLowerCase(java.util.Locale.ROOT);
        switch (r) {
            case "scalar":
                return scalar(PROPERTY + "=scalar");
            case "vector":
                if (!vectorModulePresent()) {
                    throw new IllegalStateException(PROPERTY + "=vector, but jdk.incubator.vector is not in the boot"
                            + " layer: start the JVM with --add-modules jdk.incubator.vector");
                }
                return vector(PROPERTY + "=vector");
            case "auto":
                if (!vectorModulePresent()) {
                    return scalar("jdk.incubator.vector not present (start the JVM with --add-modules"
                            + " jdk.incubator.vector)");
                }
                try {
                    CpuKernels v = vector("jdk.incubator.vector present");
                    if (v.f32.nr < 8) {
                        return scalar("preferred vector species too narrow (" + v.f32.name + ")");
                    }
                    return v;
                } catch (LinkageError e) {
                    return scalar("Vector API failed to load: " + e);
                }
            default:
                throw new IllegalArgumentException(PROPERTY + "=" + request + ": expected auto, scalar or vector");
        }
    }

    private static CpuKernels scalar(String reason) {
        return new CpuKernels(MicroKernel.scalarF32(), MicroKernel.scalarF64(), SimdLoops.SCALAR, reason);
    }

    private static CpuKernels vector(String reason) {
        return new CpuKernels(VectorGemmKernels.f32(), VectorGemmKernels.f64(), new VectorMath(), reason);
    }

    /** E.g. {@code vector Species[float, 16, S_512_BIT] 12x32}. */
    String description() {
        return f32.name.startsWith("scalar") ? "scalar (" + f32.name + ")" : f32.name + ", " + f64.name;
    }
}
