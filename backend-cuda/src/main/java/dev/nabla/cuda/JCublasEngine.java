package dev.nabla.cuda;

import dev.nabla.DType;
import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;
import jcuda.jcublas.JCublas2;
import jcuda.jcublas.cublasHandle;
import jcuda.jcublas.cublasStatus;
import jcuda.runtime.cudaStream_t;

/**
 * cuBLAS through JCublas 12.6 (JNI). Its native library links {@code libcublas.so.12}, so it loads
 * on CUDA 12 hosts only (on CUDA 13 hosts cuBLAS is reached through FFM instead). FLOAT32 and
 * FLOAT64; TF32 math when asked for.
 */
final class JCublasEngine implements GemmEngine {
    static final String NAME = "jcublas";
    /** {@code CUBLAS_TF32_TENSOR_OP_MATH}. */
    private static final int TF32_TENSOR_OP_MATH = 3;

    private final cublasHandle handle;
    private final String description;
    private final float[] alphaF = new float[1];
    private final float[] betaF = new float[1];
    private final double[] alphaD = new double[1];
    private final double[] betaD = new double[1];

    private JCublasEngine(cublasHandle handle, String description) {
        this.handle = handle;
        this.description = description;
    }

    /** Loads JCublas and makes a handle on {@code stream}; the reason of a failure becomes the exception message. */
    static JCublasEngine create(CudaDevice.Stream stream, boolean tf32) {
        String failure = loadNatives();
        if (failure != null) {
            throw new GemmEngineUnavailableException("JCublas: " + failure);
        }
        try {
            cublasHandle handle = new cublasHandle();
            check("cublasCreate", JCublas2.cublasCreate(handle));
            try {
                check("cublasSetStream", JCublas2.cublasSetStream(handle, new cudaStream_t(stream)));
                if (tf32) {
                    check("cublasSetMathMode", JCublas2.cublasSetMathMode(handle, TF32_TENSOR_OP_MATH));
                }
                int[] version = new int[1];
                String library = JCublas2.cublasGetVersion(handle, version) == cublasStatus.CUBLAS_STATUS_SUCCESS
                        ? "cuBLAS " + version[0] : "cuBLAS";
                return new JCublasEngine(handle, library + " via JCublas 12.6.0 (JNI)"
                        + (tf32 ? ", TF32 tensor-op math (nabla.cuda.tf32=true)" : ", FP32 math"));
            } catch (RuntimeException ex) {
                JCublas2.cublasDestroy(handle);
                throw ex;
            }
        } catch (IllegalStateException e) {
            throw new GemmEngineUnavailableException("JCublas: " + e.getMessage(), e);
        }
    }

    private static String nativeFailure;

    /** Loads JCublas's native library once per JVM (the first failure's reason is kept); null when loaded. */
    private static synchronized String loadNatives() {
        if (nativeFailure == null) {
            try {
                JCublas2.setExceptionsEnabled(false);
                nativeFailure = "";
            } catch (LinkageError e) {
                nativeFailure = LinkFailure.reason(e);
            }
        }
        return nativeFailure.isEmpty() ? null : nativeFailure;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public boolean supports(DType dtype) {
        return dtype == DType.FLOAT32 || dtype == DType.FLOAT64;
    }

    @Override
    public void gemm(GemmArgs args) {
        ColumnMajorGemm g = ColumnMajorGemm.of(args);
        cublasHandle h = handle;
        if (args.dtype() == DType.FLOAT32) {
            alphaF[0] = (float) args.alpha();
            betaF[0] = (float) args.beta();
            check("cublasSgemmStridedBatched", JCublas2.cublasSgemmStridedBatched(h, g.transa(), g.transb(),
                    g.m(), g.n(), g.k(), Pointer.to(alphaF), at(g.a()), g.lda(), g.strideA(), at(g.b()), g.ldb(),
                    g.strideB(), Pointer.to(betaF), at(g.c()), g.ldc(), g.strideC(), g.batch()));
        } else {
            alphaD[0] = args.alpha();
            betaD[0] = args.beta();
            check("cublasDgemmStridedBatched", JCublas2.cublasDgemmStridedBatched(h, g.transa(), g.transb(),
                    g.m(), g.n(), g.k(), Pointer.to(alphaD), at(g.a()), g.lda(), g.strideA(), at(g.b()), g.ldb(),
                    g.strideB(), Pointer.to(betaD), at(g.c()), g.ldc(), g.strideC(), g.batch()));
        }
    }

    /** A device pointer at a raw address (JCuda adds the byte offset to a null base). */
    private static Pointer at(long address) {
        return new CUdeviceptr().withByteOffset(address);
    }

    @Override
    public void close() {
        JCublas2.cublasDestroy(handle);
    }

    private static void check(String call, int status) {
        if (status != cublasStatus.CUBLAS_STATUS_SUCCESS) {
            throw new IllegalStateException(call + ": " + cublasStatus.stringFor(status));
        }
    }
}
