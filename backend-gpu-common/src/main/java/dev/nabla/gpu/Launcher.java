package dev.nabla.gpu;

import java.util.HashMap;
import java.util.Map;

/**
 * Kernel lookup (one module per {@link KernelSources.Build}, one kernel object per entry point)
 * and the two launch shapes of the elementwise and reduction kernels.
 */
final class Launcher {
    /** Local size of 1-D launches; the reductions' work-group is {@link KernelSources#REDUCE_WORK_GROUP}. */
    static final int LOCAL_1D = 256;
    /** Grid-stride loops need no more groups than keep every compute unit busy. */
    private static final int GROUPS_PER_COMPUTE_UNIT = 16;

    private final GpuDevice device;
    private final long maxGroups;
    /** Kernels by build tag, then entry point: two lookups of cached string hashes, no allocation. */
    private final Map<String, Map<String, GpuDevice.Kernel>> kernels = new HashMap<>();

    Launcher(GpuDevice device, GpuDeviceInfo info) {
        this.device = device;
        this.maxGroups = Math.max(GROUPS_PER_COMPUTE_UNIT, (long) info.computeUnits() * GROUPS_PER_COMPUTE_UNIT);
    }

    GpuDevice device() {
        return device;
    }

    /** Entry point {@code name} of {@code build}, loading the module on first use. */
    GpuDevice.Kernel kernel(KernelSources.Build build, String name) {
        Map<String, GpuDevice.Kernel> module = kernels.get(build.tag());
        GpuDevice.Kernel k = module == null ? null : module.get(name);
        if (k == null) {
            k = device.kernel(device.load(build.file(), build.defines()), name);
            kernels.computeIfAbsent(build.tag(), tag -> new HashMap<>()).put(name, k);
        }
        return k;
    }

    /** A grid-stride kernel over {@code items} work items: 1-D, local size {@link #LOCAL_1D}. */
    void items(GpuDevice.Kernel kernel, long items, Object... args) {
        long groups = Math.max(1, Math.min((items + LOCAL_1D - 1) / LOCAL_1D, maxGroups));
        device.launch(kernel, new long[] {groups * LOCAL_1D}, new long[] {LOCAL_1D}, args);
    }

    /** A group-stride kernel with one work-group per output ({@code outputs} of them). */
    void groups(GpuDevice.Kernel kernel, long outputs, Object... args) {
        int wg = KernelSources.REDUCE_WORK_GROUP;
        long groups = Math.max(1, Math.min(outputs, maxGroups));
        device.launch(kernel, new long[] {groups * wg}, new long[] {wg}, args);
    }

    /** Whether a reduction of {@code outputs} results over {@code extent} elements should use a work-group per output. */
    boolean groupPerOutput(long outputs, int extent, int inner) {
        if (extent < 64) {
            return false;
        }
        return inner == 1 || outputs < maxGroups * 4 && extent >= 1024;
    }

    GpuDevice.Kernel elementwise(dev.nabla.DType t, String kernel) {
        return kernel(KernelSources.real(KernelSources.ELEMENTWISE, realName(t)), kernel);
    }

    GpuDevice.Kernel reduce(dev.nabla.DType t, String kernel) {
        return kernel(KernelSources.real(KernelSources.REDUCE, realName(t)), kernel);
    }

    /** The {@code REAL} of the module for a floating dtype. */
    static String realName(dev.nabla.DType t) {
        return t == dev.nabla.DType.FLOAT64 ? "double" : "float";
    }

    /** A scalar kernel argument of the module's REAL type. */
    static Object real(dev.nabla.DType t, double value) {
        return t == dev.nabla.DType.FLOAT64 ? (Object) value : (Object) (float) value;
    }

    static Object[] concat(Object[] head, Object[] tail) {
        Object[] all = java.util.Arrays.copyOf(head, head.length + tail.length);
        System.arraycopy(tail, 0, all, head.length, tail.length);
        return all;
    }
}
