package dev.nabla.cuda;

import static jcuda.driver.CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR;
import static jcuda.driver.CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR;
import static jcuda.driver.CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MAX_SHARED_MEMORY_PER_BLOCK;
import static jcuda.driver.CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MAX_THREADS_PER_BLOCK;
import static jcuda.driver.CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT;

import dev.nabla.backend.Backend;
import dev.nabla.backend.BackendProvider;
import dev.nabla.backend.BackendReport;
import dev.nabla.gpu.GpuDeviceInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jcuda.driver.CUdevice;
import jcuda.driver.CUresult;
import jcuda.driver.JCudaDriver;

/**
 * Finds CUDA devices through JCuda's driver API. The probe runs once: it loads JCuda's native
 * library (which needs {@code libcuda.so.1}, i.e. an NVIDIA driver) and calls {@code cuInit} inside
 * a catch of {@link LinkageError}, so a machine without a driver gets the one-line reason
 * ({@code libcuda.so.1 not found}) and nothing touches JCuda again. When devices exist it opens
 * device 0 at once — that checks that the driver JITs our PTX and picks the GEMM engine, so the
 * report says what will run — and hands that backend to the first {@link #open(int) open(0)}.
 */
public final class CudaProvider implements BackendProvider {
    static final String NAME = "cuda";
    static final String LIBRARY = "JCuda 12.6.0 (driver API)";
    /** Our PTX targets compute_80. */
    static final int MIN_COMPUTE_CAPABILITY = 80;

    private BackendReport report;
    private final List<GpuDeviceInfo> infos = new ArrayList<>();
    private final Map<String, String> facts = new LinkedHashMap<>();
    private int driverCuda;
    private CudaBackend opened;

    @Override
    public String name() {
        return NAME;
    }

    /**
     * 300: CUDA is preferred over OpenCL (200) and the CPU (100). It stays 300 when unavailable, so
     * that {@code Device.auto()} passes over it visibly, logging the reason.
     */
    @Override
    public int priority() {
        return 300;
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
            throw new IllegalStateException("cuda is unavailable: " + r.reason());
        }
        if (index < 0 || index >= infos.size()) {
            throw new IllegalArgumentException("cuda: no device " + index + " (" + infos.size() + " found)");
        }
        if (index == 0 && opened != null) {
            CudaBackend b = opened;
            opened = null;
            return b;
        }
        return newBackend(index);
    }

    private CudaBackend newBackend(int index) {
        GpuDeviceInfo info = infos.get(index);
        int cc = computeCapability(info);
        if (cc < MIN_COMPUTE_CAPABILITY) {
            throw new IllegalStateException("cuda:" + index + ": " + info.name() + " has compute capability "
                    + cc / 10 + "." + cc % 10 + "; our PTX (" + Ptx.ARCH + ") needs 8.0 or newer");
        }
        CudaDevice device = new CudaDevice(index, info, driverCuda);
        try {
            return new CudaBackend(index, device, facts);
        } catch (RuntimeException e) {
            device.close();
            throw e;
        }
    }

    private BackendReport probe() {
        String failure = loadNatives();
        if (failure != null) {
            return BackendReport.unavailable(NAME, failure);
        }
        try {
            int status = JCudaDriver.cuInit(0);
            if (status != CUresult.CUDA_SUCCESS) {
                return BackendReport.unavailable(NAME, "cuInit: " + CudaException.describe(status));
            }
            int[] version = new int[1];
            CudaException.check("cuDriverGetVersion", JCudaDriver.cuDriverGetVersion(version));
            driverCuda = version[0];
            int[] count = new int[1];
            CudaException.check("cuDeviceGetCount", JCudaDriver.cuDeviceGetCount(count));
            if (count[0] == 0) {
                return BackendReport.unavailable(NAME, "no CUDA device (driver for CUDA " + Ptx.cudaName(driverCuda) + ")");
            }
            String driver = driverVersion() + " (CUDA " + Ptx.cudaName(driverCuda) + ")";
            for (int i = 0; i < count[0]; i++) {
                infos.add(describe(i, driver));
            }
            facts.put("library", LIBRARY);
            facts.put("driver", driver);
            facts.put("ptx", Ptx.summary());
            int highest = Ptx.highestIsa();
            if (Ptx.minimumCuda(highest) > driverCuda) {
                return BackendReport.unavailable(NAME, Ptx.requirement(highest) + "; this driver supports CUDA "
                        + Ptx.cudaName(driverCuda) + ": update the NVIDIA driver");
            }
        } catch (LinkageError | RuntimeException e) {
            return BackendReport.unavailable(NAME, e instanceof LinkageError ? LinkFailure.reason(e) : e.getMessage());
        }
        try {
            opened = newBackend(0);
        } catch (RuntimeException e) {
            return BackendReport.unavailable(NAME, "device 0 (" + infos.get(0).name() + "): " + e.getMessage());
        }
        // Driver, PTX and GEMM facts once, as the provider's details; each device with its own facts.
        Map<String, String> details = new LinkedHashMap<>(facts);
        opened.report().details().forEach((k, v) -> {
            if (k.startsWith("gemm") || k.equals("ptx jit") || k.equals("kernel arguments") || k.equals("tf32")
                    || k.equals("allocator")) {
                details.put(k, v);
            }
        });
        List<BackendReport.DeviceInfo> devices = new ArrayList<>();
        for (int i = 0; i < infos.size(); i++) {
            GpuDeviceInfo info = infos.get(i);
            devices.add(new BackendReport.DeviceInfo(i, info.name(), info.globalMemoryBytes(), info.properties()));
        }
        return new BackendReport(NAME, true, "", devices, details);
    }

    /**
     * Loads JCuda's driver library once per JVM; null when it loaded, else the reason. Remembered,
     * because a class whose initialisation failed answers every later touch with a bare
     * "Could not initialize class" that no longer names the missing library.
     */
    static synchronized String loadNatives() {
        if (nativeFailure == null) {
            try {
                JCudaDriver.setExceptionsEnabled(false);
                nativeFailure = "";
            } catch (LinkageError e) {
                String reason = LinkFailure.reason(e);
                nativeFailure = reason + (reason.startsWith("libcuda") ? " (no NVIDIA driver)" : "");
            } catch (RuntimeException e) {
                nativeFailure = "JCuda failed to load: " + e;
            }
        }
        return nativeFailure.isEmpty() ? null : nativeFailure;
    }

    private static String nativeFailure;

    private static GpuDeviceInfo describe(int ordinal, String driver) {
        CUdevice d = new CUdevice();
        CudaException.check("cuDeviceGet(" + ordinal + ")", JCudaDriver.cuDeviceGet(d, ordinal));
        byte[] name = new byte[256];
        CudaException.check("cuDeviceGetName", JCudaDriver.cuDeviceGetName(name, name.length, d));
        long[] memory = new long[1];
        CudaException.check("cuDeviceTotalMem", JCudaDriver.cuDeviceTotalMem(memory, d));
        int major = attribute(d, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR);
        int minor = attribute(d, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR);
        int sms = attribute(d, CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT);
        Map<String, String> props = new LinkedHashMap<>();
        props.put("compute capability", major + "." + minor);
        props.put("multiprocessors", Integer.toString(sms));
        props.put("memory", String.format(Locale.ROOT, "%.1f GiB", memory[0] / (double) (1L << 30)));
        return new GpuDeviceInfo(cString(name), driver, memory[0], memory[0], true, sms,
                attribute(d, CU_DEVICE_ATTRIBUTE_MAX_THREADS_PER_BLOCK),
                attribute(d, CU_DEVICE_ATTRIBUTE_MAX_SHARED_MEMORY_PER_BLOCK), props);
    }

    private static int attribute(CUdevice d, int attribute) {
        int[] v = new int[1];
        CudaException.check("cuDeviceGetAttribute(" + attribute + ")", JCudaDriver.cuDeviceGetAttribute(v, attribute, d));
        return v[0];
    }

    static int computeCapability(GpuDeviceInfo info) {
        String[] cc = info.properties().getOrDefault("compute capability", "0.0").split("\\.");
        return Integer.parseInt(cc[0]) * 10 + Integer.parseInt(cc[1]);
    }

    /** The kernel module's version from {@code /proc/driver/nvidia/version}, e.g. {@code 580.159.04}. */
    static String driverVersion() {
        try {
            String text = Files.readString(Path.of("/proc/driver/nvidia/version"));
            Matcher m = Pattern.compile("Kernel Module\\s+(?:for \\S+\\s+)?([0-9][0-9.]+)").matcher(text);
            if (m.find()) {
                return m.group(1);
            }
        } catch (IOException | RuntimeException e) {
            // Not Linux, or a container without /proc/driver: the CUDA version alone then.
        }
        return "NVIDIA driver";
    }

    private static String cString(byte[] bytes) {
        int n = 0;
        while (n < bytes.length && bytes[n] != 0) {
            n++;
        }
        return new String(bytes, 0, n, java.nio.charset.StandardCharsets.UTF_8).trim();
    }
}
