package dev.nabla.gpu;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Facts about one device that {@link KernelBackend} uses for launch geometry, dtype support,
 * autotune caching and the report.
 *
 * @param name               device name, e.g. {@code NVIDIA H100 80GB HBM3}
 * @param driverVersion      driver version; with {@code name} it keys the GEMM autotune cache
 * @param globalMemoryBytes  global memory size
 * @param maxAllocationBytes largest single allocation
 * @param fp64               whether double precision kernels can be built
 * @param computeUnits       compute units (SMs, cores), used to size grid-stride launches
 * @param maxWorkGroupSize   most work-items in one work-group (threads per block)
 * @param localMemoryBytes   local (shared) memory per work-group
 * @param properties         further facts for the report, in order (platform, API version...)
 */
public record GpuDeviceInfo(String name, String driverVersion, long globalMemoryBytes, long maxAllocationBytes,
                            boolean fp64, int computeUnits, int maxWorkGroupSize, long localMemoryBytes,
                            Map<String, String> properties) {

    public GpuDeviceInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(driverVersion, "driverVersion");
        properties = Collections.unmodifiableMap(new LinkedHashMap<>(properties));
    }
}
