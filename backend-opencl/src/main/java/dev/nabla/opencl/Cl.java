package dev.nabla.opencl;

import static org.jocl.CL.CL_INVALID_BUFFER_SIZE;
import static org.jocl.CL.CL_MEM_OBJECT_ALLOCATION_FAILURE;
import static org.jocl.CL.CL_OUT_OF_HOST_MEMORY;
import static org.jocl.CL.CL_OUT_OF_RESOURCES;
import static org.jocl.CL.CL_SUCCESS;

import dev.nabla.gpu.DeviceOutOfMemoryException;
import java.nio.charset.StandardCharsets;
import org.jocl.CL;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_device_id;
import org.jocl.cl_platform_id;

/**
 * Status-code checking for every JOCL call (JOCL's global exception mode is left off, so other
 * JOCL users in the JVM are unaffected): a failure is an IllegalStateException naming the call and
 * the error, never a crash.
 */
final class Cl {
    private Cl() {
    }

    static void check(String call, int status) {
        if (status != CL_SUCCESS) {
            throw new IllegalStateException(call + " failed: " + errorName(status) + outOfMemoryHint(status));
        }
    }

    /** Like {@link #check}, but allocation failures are {@link DeviceOutOfMemoryException}. */
    static void checkAllocation(String call, int status) {
        if (isOutOfMemory(status)) {
            throw new DeviceOutOfMemoryException(call + " failed: " + errorName(status));
        }
        check(call, status);
    }

    static boolean isOutOfMemory(int status) {
        return status == CL_MEM_OBJECT_ALLOCATION_FAILURE || status == CL_OUT_OF_RESOURCES
                || status == CL_OUT_OF_HOST_MEMORY || status == CL_INVALID_BUFFER_SIZE;
    }

    private static String outOfMemoryHint(int status) {
        return status == CL_MEM_OBJECT_ALLOCATION_FAILURE || status == CL_OUT_OF_RESOURCES
                ? " (device memory exhausted: use a smaller batch or model)" : "";
    }

    static String errorName(int status) {
        String s = CL.stringFor_errorCode(status);
        return s == null || s.startsWith("INVALID") ? "error " + status : s;
    }

    static String deviceString(cl_device_id device, int param) {
        long[] size = new long[1];
        check("clGetDeviceInfo", CL.clGetDeviceInfo(device, param, 0, null, size));
        byte[] bytes = new byte[(int) size[0]];
        check("clGetDeviceInfo", CL.clGetDeviceInfo(device, param, bytes.length, Pointer.to(bytes), null));
        return cString(bytes);
    }

    static long deviceLong(cl_device_id device, int param) {
        long[] v = new long[1];
        check("clGetDeviceInfo", CL.clGetDeviceInfo(device, param, Sizeof.cl_ulong, Pointer.to(v), null));
        return v[0];
    }

    static int deviceInt(cl_device_id device, int param) {
        int[] v = new int[1];
        check("clGetDeviceInfo", CL.clGetDeviceInfo(device, param, Sizeof.cl_uint, Pointer.to(v), null));
        return v[0];
    }

    static long deviceSize(cl_device_id device, int param) {
        long[] v = new long[1];
        check("clGetDeviceInfo", CL.clGetDeviceInfo(device, param, Sizeof.size_t, Pointer.to(v), null));
        return v[0];
    }

    static String platformString(cl_platform_id platform, int param) {
        long[] size = new long[1];
        check("clGetPlatformInfo", CL.clGetPlatformInfo(platform, param, 0, null, size));
        byte[] bytes = new byte[(int) size[0]];
        check("clGetPlatformInfo", CL.clGetPlatformInfo(platform, param, bytes.length, Pointer.to(bytes), null));
        return cString(bytes);
    }

    private static String cString(byte[] bytes) {
        int n = 0;
        while (n < bytes.length && bytes[n] != 0) {
            n++;
        }
        return new String(bytes, 0, n, StandardCharsets.UTF_8).trim();
    }
}
