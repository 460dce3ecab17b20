package dev.nabla.opencl;

import static org.jocl.CL.*;

import dev.nabla.gpu.GpuDeviceInfo;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jocl.cl_device_id;
import org.jocl.cl_platform_id;

/** One OpenCL device found by the probe, with the facts the backend and the report need. */
record ClDeviceEntry(cl_platform_id platform, cl_device_id device, boolean gpu, GpuDeviceInfo info) {

    static ClDeviceEntry describe(cl_platform_id platform, cl_device_id device) {
        long type = Cl.deviceLong(device, CL_DEVICE_TYPE);
        boolean gpu = (type & CL_DEVICE_TYPE_GPU) != 0;
        String extensions = Cl.deviceString(device, CL_DEVICE_EXTENSIONS);
        boolean fp64 = (" " + extensions + " ").contains(" cl_khr_fp64 ");
        Map<String, String> props = new LinkedHashMap<>();
        props.put("platform", Cl.platformString(platform, CL_PLATFORM_NAME) + " (" + Cl.platformString(platform, CL_PLATFORM_VERSION) + ")");
        props.put("type", gpu ? "GPU" : (type & CL_DEVICE_TYPE_CPU) != 0 ? "CPU" : "accelerator");
        props.put("vendor", Cl.deviceString(device, CL_DEVICE_VENDOR));
        props.put("OpenCL version", Cl.deviceString(device, CL_DEVICE_VERSION));
        props.put("OpenCL C version", Cl.deviceString(device, CL_DEVICE_OPENCL_C_VERSION));
        GpuDeviceInfo info = new GpuDeviceInfo(
                Cl.deviceString(device, CL_DEVICE_NAME),
                Cl.deviceString(device, CL_DRIVER_VERSION),
                Cl.deviceLong(device, CL_DEVICE_GLOBAL_MEM_SIZE),
                Cl.deviceLong(device, CL_DEVICE_MAX_MEM_ALLOC_SIZE),
                fp64,
                Cl.deviceInt(device, CL_DEVICE_MAX_COMPUTE_UNITS),
                (int) Math.min(Integer.MAX_VALUE, Cl.deviceSize(device, CL_DEVICE_MAX_WORK_GROUP_SIZE)),
                Cl.deviceLong(device, CL_DEVICE_LOCAL_MEM_SIZE),
                props);
        return new ClDeviceEntry(platform, device, gpu, info);
    }
}
