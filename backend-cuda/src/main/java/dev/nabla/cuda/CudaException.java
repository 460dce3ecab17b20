package dev.nabla.cuda;

import dev.nabla.gpu.DeviceOutOfMemoryException;
import jcuda.driver.CUresult;
import jcuda.driver.JCudaDriver;

/**
 * A failed CUDA driver call: the message names the call, the error name and the driver's text,
 * e.g. {@code cuModuleLoadData(gemm-REAL_float-...): CUDA_ERROR_INVALID_PTX (a PTX JIT compilation failed)}.
 * JCuda's own exception mode stays off, so every status is checked here and other JCuda users in
 * the JVM are unaffected.
 */
public final class CudaException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    private final int status;

    CudaException(String call, int status, String hint) {
        super(call + ": " + describe(status) + (hint == null || hint.isEmpty() ? "" : ": " + hint));
        this.status = status;
    }

    /** The {@code CUresult} code. */
    public int status() {
        return status;
    }

    /** Throws unless {@code status} is {@code CUDA_SUCCESS}. */
    static void check(String call, int status) {
        if (status != CUresult.CUDA_SUCCESS) {
            throw new CudaException(call, status, null);
        }
    }

    /** Like {@link #check}, but running out of memory is {@link DeviceOutOfMemoryException}. */
    static void checkAllocation(String call, int status) {
        if (status == CUresult.CUDA_ERROR_OUT_OF_MEMORY) {
            throw new DeviceOutOfMemoryException(call + ": " + describe(status));
        }
        check(call, status);
    }

    /** {@code CUDA_ERROR_X (driver text)}, or the bare number when JCuda does not know it. */
    static String describe(int status) {
        String name = CUresult.stringFor(status);
        if (name == null || name.startsWith("INVALID")) {
            name = "CUDA error " + status;
        }
        String[] text = new String[1];
        try {
            if (JCudaDriver.cuGetErrorString(status, text) == CUresult.CUDA_SUCCESS && text[0] != null) {
                return name + " (" + text[0] + ")";
            }
        } catch (LinkageError e) {
            // Only the name then: the message must not fail while reporting a failure.
        }
        return name;
    }
}
