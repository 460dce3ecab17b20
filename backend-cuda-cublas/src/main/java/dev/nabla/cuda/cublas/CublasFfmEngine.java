package dev.nabla.cuda.cublas;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.nabla.DType;
import dev.nabla.cuda.ColumnMajorGemm;
import dev.nabla.cuda.GemmArgs;
import dev.nabla.cuda.GemmEngine;
import dev.nabla.cuda.GemmEngineProvider;
import dev.nabla.cuda.GemmEngineUnavailableException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;

/**
 * cuBLAS through downcall handles: one handle bound to the backend's stream; row-major products
 * mapped to column-major by {@link ColumnMajorGemm}; FP32 ({@code cublasSgemm_v2},
 * {@code cublasSgemmStridedBatched}) and FP64. TF32 tensor-core math ({@code CUBLAS_TF32_TENSOR_OP_MATH})
 * only when {@code nabla.cuda.tf32=true}: inputs rounded to a 10-bit mantissa, relative errors near
 * 1e-3 instead of 1e-6. Scalars are passed by host pointer (cuBLAS's default pointer mode), read
 * before the call returns.
 */
final class CublasFfmEngine implements GemmEngine {
    private static final int TF32_TENSOR_OP_MATH = 3;

    private final MemorySegment handle;
    private final String description;
    private final MethodHandle sgemm;
    private final MethodHandle sgemmBatched;
    private final MethodHandle dgemm;
    private final MethodHandle dgemmBatched;
    private final MethodHandle destroy;
    private final MemorySegment alpha;
    private final MemorySegment beta;
    private boolean closed;

    private CublasFfmEngine(SymbolLookup lookup, MemorySegment handle, String description) {
        this.handle = handle;
        this.description = description;
        MemorySegment scalars = Arena.ofAuto().allocate(16, 8);
        this.alpha = scalars.asSlice(0, 8);
        this.beta = scalars.asSlice(8, 8);
        // (handle, transa, transb, m, n, k, alpha*, A*, lda, B*, ldb, beta*, C*, ldc)
        FunctionDescriptor gemm = FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT,
                JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT);
        // (..., alpha*, A*, lda, strideA, B*, ldb, strideB, beta*, C*, ldc, strideC, batchCount)
        FunctionDescriptor batched = FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT,
                JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, JAVA_LONG, ADDRESS, JAVA_INT, JAVA_LONG, ADDRESS, ADDRESS,
                JAVA_INT, JAVA_LONG, JAVA_INT);
        this.sgemm = downcall(lookup, "cublasSgemm_v2", gemm);
        this.sgemmBatched = downcall(lookup, "cublasSgemmStridedBatched", batched);
        this.dgemm = downcall(lookup, "cublasDgemm_v2", gemm);
        this.dgemmBatched = downcall(lookup, "cublasDgemmStridedBatched", batched);
        this.destroy = downcall(lookup, "cublasDestroy_v2", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    }

    /** Creates a handle on the context current on this thread, bound to the backend's stream. */
    static CublasFfmEngine create(CublasLocator.Result library, GemmEngineProvider.Context context) {
        SymbolLookup lookup = library.lookup();
        MethodHandle create = downcall(lookup, "cublasCreate_v2", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        MethodHandle destroy = downcall(lookup, "cublasDestroy_v2", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        MethodHandle setStream = downcall(lookup, "cublasSetStream_v2", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        MethodHandle setMathMode = downcall(lookup, "cublasSetMathMode", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
        MethodHandle getVersion = downcall(lookup, "cublasGetVersion_v2", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ADDRESS);
            check("cublasCreate_v2", (int) create.invokeExact(out));
            MemorySegment handle = out.get(ADDRESS, 0);
            try {
                check("cublasSetStream_v2", (int) setStream.invokeExact(handle, MemorySegment.ofAddress(context.streamHandle())));
                if (context.tf32()) {
                    check("cublasSetMathMode", (int) setMathMode.invokeExact(handle, TF32_TENSOR_OP_MATH));
                }
                MemorySegment version = arena.allocate(JAVA_INT);
                String name = (int) getVersion.invokeExact(handle, version) == 0
                        ? "cuBLAS " + versionName(version.get(JAVA_INT, 0)) : "cuBLAS";
                return new CublasFfmEngine(lookup, handle, name + " via FFM (" + library.library() + ")"
                        + (context.tf32() ? ", TF32 tensor-op math (nabla.cuda.tf32=true)" : ", FP32 math"));
            } catch (RuntimeException e) {
                int ignored = (int) destroy.invokeExact(handle);
                throw e;
            }
        } catch (GemmEngineUnavailableException e) {
            throw e;
        } catch (IllegalStateException e) {
            throw new GemmEngineUnavailableException(e.getMessage(), e);
        } catch (Throwable t) {
            throw new GemmEngineUnavailableException("cuBLAS via FFM: " + t, t);
        }
    }

    /** 130100 → 13.1.0. */
    static String versionName(int v) {
        return v / 10000 + "." + v % 10000 / 100 + "." + v % 100;
    }

    private static MethodHandle downcall(SymbolLookup lookup, String symbol, FunctionDescriptor descriptor) {
        MemorySegment address = lookup.find(symbol).orElseThrow(() ->
                new GemmEngineUnavailableException("cuBLAS via FFM: symbol " + symbol + " not found in libcublas"));
        return Linker.nativeLinker().downcallHandle(address, descriptor);
    }

    @Override
    public String name() {
        return CublasFfmProvider.NAME;
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
        if (closed) {
            throw new IllegalStateException("cublas-ffm: engine is closed");
        }
        ColumnMajorGemm g = ColumnMajorGemm.of(args);
        MemorySegment a = MemorySegment.ofAddress(g.a());
        MemorySegment b = MemorySegment.ofAddress(g.b());
        MemorySegment c = MemorySegment.ofAddress(g.c());
        boolean single = args.dtype() == DType.FLOAT32;
        if (single) {
            alpha.set(JAVA_FLOAT, 0, (float) args.alpha());
            beta.set(JAVA_FLOAT, 0, (float) args.beta());
        } else {
            alpha.set(JAVA_DOUBLE, 0, args.alpha());
            beta.set(JAVA_DOUBLE, 0, args.beta());
        }
        try {
            int status;
            if (g.batch() == 1) {
                status = (int) (single ? sgemm : dgemm).invokeExact(handle, g.transa(), g.transb(), g.m(), g.n(), g.k(),
                        alpha, a, g.lda(), b, g.ldb(), beta, c, g.ldc());
                check(single ? "cublasSgemm_v2" : "cublasDgemm_v2", status);
            } else {
                status = (int) (single ? sgemmBatched : dgemmBatched).invokeExact(handle, g.transa(), g.transb(), g.m(),
                        g.n(), g.k(), alpha, a, g.lda(), g.strideA(), b, g.ldb(), g.strideB(), beta, c, g.ldc(),
                        g.strideC(), g.batch());
                check(single ? "cublasSgemmStridedBatched" : "cublasDgemmStridedBatched", status);
            }
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("cublas-ffm: " + t, t);
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            int ignored = (int) destroy.invokeExact(handle);
        } catch (Throwable t) {
            // The context goes with the device; nothing else to free.
        }
    }

    private static void check(String call, int status) {
        if (status != 0) {
            throw new IllegalStateException(call + ": " + statusName(status));
        }
    }

    /** cublasStatus_t names (cublas_api.h). */
    static String statusName(int status) {
        return switch (status) {
            case 1 -> "CUBLAS_STATUS_NOT_INITIALIZED (no usable CUDA context or device)";
            case 3 -> "CUBLAS_STATUS_ALLOC_FAILED";
            case 7 -> "CUBLAS_STATUS_INVALID_VALUE";
            case 8 -> "CUBLAS_STATUS_ARCH_MISMATCH";
            case 11 -> "CUBLAS_STATUS_MAPPING_ERROR";
            case 13 -> "CUBLAS_STATUS_EXECUTION_FAILED";
            case 14 -> "CUBLAS_STATUS_INTERNAL_ERROR";
            case 15 -> "CUBLAS_STATUS_NOT_SUPPORTED";
            case 16 -> "CUBLAS_STATUS_LICENSE_ERROR";
            default -> "cuBLAS status " + status;
        };
    }
}
