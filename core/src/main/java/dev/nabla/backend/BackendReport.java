package dev.nabla.backend;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What one {@link BackendProvider} found on this machine: whether it can run, the devices it
 * sees, and, when it cannot run, why (e.g. {@code "libcuda.so.1 not found"}).
 *
 * @param backend   provider name: {@code cpu}, {@code opencl}, {@code cuda}
 * @param available whether at least one device can be opened
 * @param reason    why it is unavailable, or a note on how it runs when available (never null,
 *                  may be empty)
 * @param devices   devices found (possibly empty)
 * @param details   library and driver versions and other facts worth printing, in order
 */
public record BackendReport(String backend, boolean available, String reason, List<DeviceInfo> devices,
                            Map<String, String> details) {

    public BackendReport {
        Objects.requireNonNull(backend, "backend");
        reason = reason == null ? "" : reason;
        devices = List.copyOf(devices);
        details = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(details));
    }

    /** A report for a provider that cannot run, with the reason. */
    public static BackendReport unavailable(String backend, String reason) {
        return new BackendReport(backend, false, reason, List.of(), Map.of());
    }

    /**
     * One device a provider found.
     *
     * @param index       index used in device names ({@code cuda:1})
     * @param name        human-readable device name
     * @param memoryBytes global memory in bytes (0 if unknown)
     * @param properties  further facts (compute capability, OpenCL version, fp64, GEMM kernel...)
     */
    public record DeviceInfo(int index, String name, long memoryBytes, Map<String, String> properties) {
        public DeviceInfo {
            properties = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(properties));
        }
    }

    /** One-line summary, e.g. {@code cpu: available, 2 threads} or {@code cuda: unavailable (libcuda.so.1 not found)}. */
    public String summary() {
        if (!available) {
            return backend + ": unavailable (" + reason + ")";
        }
        StringBuilder sb = new StringBuilder(backend).append(": available");
        for (DeviceInfo d : devices) {
            sb.append(", [").append(d.index()).append("] ").append(d.name());
        }
        if (!reason.isEmpty()) {
            sb.append(" (").append(reason).append(')');
        }
        return sb.toString();
    }
}
