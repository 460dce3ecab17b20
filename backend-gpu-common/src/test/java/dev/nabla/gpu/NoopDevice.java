package dev.nabla.gpu;

import java.util.Map;

/**
 * A {@link GpuDevice} that does nothing and costs (almost) nothing: memory is an empty handle,
 * transfers and launches only count. With it, the time {@link KernelBackend} and core spend per
 * op is all that is left to measure ({@link StepOverhead}). Reads leave the host array as it is.
 */
final class NoopDevice implements GpuDevice {
    private record NoopMemory(long bytes) implements Memory {
    }

    private record NoopModule(String file) implements Module {
    }

    private record NoopKernel(String name) implements Kernel {
    }

    private final GpuDeviceInfo info;
    long launches;
    long reads;
    long writes;
    long allocations;

    /** An H100-like device: 132 compute units, 1024 work-items per group, 48 KiB local memory. */
    NoopDevice() {
        info = new GpuDeviceInfo("no-op device", "0", 80L << 30, 80L << 30, true, 132, 1024, 48 * 1024,
                Map.of("kind", "no-op"));
    }

    @Override
    public GpuDeviceInfo info() {
        return info;
    }

    @Override
    public Memory allocate(long bytes) {
        allocations++;
        return new NoopMemory(bytes);
    }

    @Override
    public void free(Memory memory) {
    }

    @Override
    public void write(Memory dst, long dstByteOffset, float[] src, int srcOffset, int count) {
        writes++;
    }

    @Override
    public void write(Memory dst, long dstByteOffset, double[] src, int srcOffset, int count) {
        writes++;
    }

    @Override
    public void write(Memory dst, long dstByteOffset, int[] src, int srcOffset, int count) {
        writes++;
    }

    @Override
    public void read(Memory src, long srcByteOffset, float[] dst, int dstOffset, int count) {
        reads++;
    }

    @Override
    public void read(Memory src, long srcByteOffset, double[] dst, int dstOffset, int count) {
        reads++;
    }

    @Override
    public void read(Memory src, long srcByteOffset, int[] dst, int dstOffset, int count) {
        reads++;
    }

    @Override
    public Module load(String file, Map<String, String> defines) {
        return new NoopModule(file);
    }

    @Override
    public Kernel kernel(Module module, String name) {
        return new NoopKernel(name);
    }

    @Override
    public void launch(Kernel kernel, long[] globalSize, long[] localSize, Object... args) {
        launches++;
    }

    @Override
    public void synchronize() {
    }

    @Override
    public void close() {
    }

    KernelBackend backend() {
        return new KernelBackend("noop", 0, this) {
        };
    }
}
