package dev.nabla.opencl;

import static org.jocl.CL.CL_DEVICE_TYPE_ALL;
import static org.jocl.CL.CL_SUCCESS;

import dev.nabla.backend.Backend;
import dev.nabla.backend.BackendProvider;
import dev.nabla.backend.BackendReport;
import dev.nabla.gpu.GpuDeviceInfo;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jocl.CL;
import org.jocl.cl_device_id;
import org.jocl.cl_platform_id;

/**
 * Finds OpenCL devices through JOCL. The probe runs once; any failure to load JOCL's native
 * library or the OpenCL loader ({@code libOpenCL.so}), or a machine without a platform, makes the
 * provider unavailable with the reason, and nothing touches JOCL again. Devices are listed GPUs
 * first, so {@code opencl:0} is a GPU when there is one.
 */
public final class OpenClProvider implements BackendProvider {
    static final String NAME = "opencl";
    static final String LIBRARY = "JOCL 2.0.5";

    private BackendReport report;
    private List<ClDeviceEntry> devices = List.of();

    @Override
    public String name() {
        return NAME;
    }

    /** 200 when device 0 is a GPU; 50 for CPU devices (POCL), so they never beat the native CPU backend. */
    @Override
    public int priority() {
        BackendReport r = report();
        return r.available() && !devices.isEmpty() && devices.get(0).gpu() ? 200 : 50;
    }

    @Override
    public synchronized BackendReport report() {
        if (report == null) {
            report = probe();
        }
        return report;
    }

    @Override
    public synchronized Backend open(int index) {
        BackendReport r = report();
        if (!r.available()) {
            throw new IllegalStateException("opencl is unavailable: " + r.reason());
        }
        if (index < 0 || index >= devices.size()) {
            throw new IllegalArgumentException("opencl: no device " + index + " (" + devices.size() + " found)");
        }
        return new OpenClBackend(index, devices.get(index), LIBRARY);
    }

    private BackendReport probe() {
        String unsafe = SignalChaining.refusal();
        if (unsafe != null) {
            return BackendReport.unavailable(NAME, unsafe);
        }
        try {
            List<ClDeviceEntry> found = enumerate();
            if (found.isEmpty()) {
                return BackendReport.unavailable(NAME, "OpenCL platforms found, but no devices");
            }
            devices = found;
            Map<String, String> details = new LinkedHashMap<>();
            details.put("library", LIBRARY);
            details.put("signal chaining", SignalChaining.describe());
            return new BackendReport(NAME, true, "", describe(found), details);
        } catch (LinkageError e) {
            return BackendReport.unavailable(NAME, "libOpenCL.so not found or JOCL native library failed to load ("
                    + e + "): install ocl-icd-opencl-dev and an ICD such as pocl-opencl-icd or a GPU driver");
        } catch (Throwable e) {
            return BackendReport.unavailable(NAME, e.getMessage() == null ? e.toString() : e.getMessage());
        }
    }

    private static List<ClDeviceEntry> enumerate() {
        int[] count = new int[1];
        int status = CL.clGetPlatformIDs(0, null, count);
        if (status != CL_SUCCESS || count[0] == 0) {
            throw new IllegalStateException("no OpenCL platform found (clGetPlatformIDs: "
                    + (status == CL_SUCCESS ? "0 platforms" : Cl.errorName(status))
                    + "): install an ICD such as pocl-opencl-icd, or a GPU driver with its OpenCL ICD");
        }
        cl_platform_id[] platforms = new cl_platform_id[count[0]];
        Cl.check("clGetPlatformIDs", CL.clGetPlatformIDs(platforms.length, platforms, null));
        List<ClDeviceEntry> found = new ArrayList<>();
        for (cl_platform_id platform : platforms) {
            int[] n = new int[1];
            if (CL.clGetDeviceIDs(platform, CL_DEVICE_TYPE_ALL, 0, null, n) != CL_SUCCESS || n[0] == 0) {
                continue;
            }
            cl_device_id[] ids = new cl_device_id[n[0]];
            Cl.check("clGetDeviceIDs", CL.clGetDeviceIDs(platform, CL_DEVICE_TYPE_ALL, ids.length, ids, null));
            for (cl_device_id id : ids) {
                found.add(ClDeviceEntry.describe(platform, id));
            }
        }
        found.sort(Comparator.comparing(e -> !e.gpu()));
        return List.copyOf(found);
    }

    private static List<BackendReport.DeviceInfo> describe(List<ClDeviceEntry> found) {
        List<BackendReport.DeviceInfo> out = new ArrayList<>();
        for (int i = 0; i < found.size(); i++) {
            GpuDeviceInfo info = found.get(i).info();
            Map<String, String> props = new LinkedHashMap<>(info.properties());
            props.put("driver", info.driverVersion());
            props.put("global memory", String.format(Locale.ROOT, "%.0f MiB", info.globalMemoryBytes() / 1048576.0));
            props.put("max allocation", String.format(Locale.ROOT, "%.0f MiB", info.maxAllocationBytes() / 1048576.0));
            props.put("fp64", info.fp64() ? "yes" : "no");
            props.put("compute units", Integer.toString(info.computeUnits()));
            out.add(new BackendReport.DeviceInfo(i, info.name(), info.globalMemoryBytes(), props));
        }
        return out;
    }
}
