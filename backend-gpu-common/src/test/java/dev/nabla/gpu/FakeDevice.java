package dev.nabla.gpu;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A pure-Java {@link GpuDevice} for tests that need no GPU: memory is host byte buffers (made on
 * first write, so large "allocations" cost nothing), a capacity makes it run out like a device,
 * and launches are recorded; of the kernels only the 32-bit fill and contiguous copy also run (so
 * tests can change an INT32 buffer "on the device").
 */
final class FakeDevice implements GpuDevice {

    static final class FakeMemory implements Memory {
        final long bytes;
        ByteBuffer data;
        boolean freed;

        FakeMemory(long bytes) {
            this.bytes = bytes;
        }

        @Override
        public long bytes() {
            return bytes;
        }

        ByteBuffer data() {
            if (data == null) {
                data = ByteBuffer.allocate((int) bytes).order(ByteOrder.LITTLE_ENDIAN);
            }
            return data;
        }
    }

    record Launch(String kernel, Map<String, String> defines, long[] global, long[] local, Object[] args) {
    }

    private record FakeModule(String file, Map<String, String> defines) implements Module {
    }

    private record FakeKernel(String name, FakeModule module) implements Kernel {
    }

    final List<Launch> launches = new ArrayList<>();
    final List<KernelSources.Build> loaded = new ArrayList<>();
    long capacity = Long.MAX_VALUE;
    int reads;
    long allocated;
    int allocateCalls;
    int freeCalls;
    Thread owner;
    boolean closed;
    private final GpuDeviceInfo info;

    FakeDevice(boolean fp64) {
        info = new GpuDeviceInfo("fake device", "1.0", 1L << 40, 1L << 40, fp64, 4, 1024, 48 * 1024,
                Map.of("kind", "fake"));
    }

    /** Fails the test if a method is called from another thread than the first caller's. */
    private void onOwnerThread() {
        if (owner == null) {
            owner = Thread.currentThread();
        } else if (owner != Thread.currentThread()) {
            throw new AssertionError("device called from " + Thread.currentThread().getName());
        }
    }

    @Override
    public GpuDeviceInfo info() {
        return info;
    }

    @Override
    public Memory allocate(long bytes) {
        onOwnerThread();
        allocateCalls++;
        if (allocated + bytes > capacity) {
            throw new DeviceOutOfMemoryException("fake: " + bytes + " bytes do not fit");
        }
        allocated += bytes;
        return new FakeMemory(bytes);
    }

    @Override
    public void free(Memory memory) {
        onOwnerThread();
        FakeMemory m = (FakeMemory) memory;
        if (m.freed) {
            throw new AssertionError("double free");
        }
        m.freed = true;
        freeCalls++;
        allocated -= m.bytes;
    }

    @Override
    public void write(Memory dst, long off, float[] src, int srcOffset, int count) {
        ByteBuffer b = ((FakeMemory) dst).data();
        for (int i = 0; i < count; i++) {
            b.putFloat((int) off + 4 * i, src[srcOffset + i]);
        }
    }

    @Override
    public void write(Memory dst, long off, double[] src, int srcOffset, int count) {
        ByteBuffer b = ((FakeMemory) dst).data();
        for (int i = 0; i < count; i++) {
            b.putDouble((int) off + 8 * i, src[srcOffset + i]);
        }
    }

    @Override
    public void write(Memory dst, long off, int[] src, int srcOffset, int count) {
        ByteBuffer b = ((FakeMemory) dst).data();
        for (int i = 0; i < count; i++) {
            b.putInt((int) off + 4 * i, src[srcOffset + i]);
        }
    }

    @Override
    public void read(Memory src, long off, float[] dst, int dstOffset, int count) {
        reads++;
        ByteBuffer b = ((FakeMemory) src).data();
        for (int i = 0; i < count; i++) {
            dst[dstOffset + i] = b.getFloat((int) off + 4 * i);
        }
    }

    @Override
    public void read(Memory src, long off, double[] dst, int dstOffset, int count) {
        reads++;
        ByteBuffer b = ((FakeMemory) src).data();
        for (int i = 0; i < count; i++) {
            dst[dstOffset + i] = b.getDouble((int) off + 8 * i);
        }
    }

    @Override
    public void read(Memory src, long off, int[] dst, int dstOffset, int count) {
        reads++;
        ByteBuffer b = ((FakeMemory) src).data();
        for (int i = 0; i < count; i++) {
            dst[dstOffset + i] = b.getInt((int) off + 4 * i);
        }
    }

    @Override
    public Module load(String file, Map<String, String> defines) {
        loaded.add(new KernelSources.Build(file, defines));
        return new FakeModule(file, defines);
    }

    @Override
    public Kernel kernel(Module module, String name) {
        return new FakeKernel(name, (FakeModule) module);
    }

    @Override
    public void launch(Kernel kernel, long[] globalSize, long[] localSize, Object... args) {
        onOwnerThread();
        FakeKernel k = (FakeKernel) kernel;
        launches.add(new Launch(k.name(), k.module().defines(), globalSize.clone(), localSize.clone(), args.clone()));
        if (k.name().equals("fill_u32")) {
            ByteBuffer dst = ((FakeMemory) args[0]).data();
            long offset = (Long) args[1], count = (Long) args[2];
            for (long i = 0; i < count; i++) {
                dst.putInt((int) (4 * (offset + i)), (Integer) args[3]);
            }
        } else if (k.name().equals("copy_contiguous_u32")) {
            ByteBuffer src = ((FakeMemory) args[0]).data();
            ByteBuffer dst = ((FakeMemory) args[2]).data();
            long srcOffset = (Long) args[1], dstOffset = (Long) args[3], count = (Long) args[4];
            for (long i = 0; i < count; i++) {
                dst.putInt((int) (4 * (dstOffset + i)), src.getInt((int) (4 * (srcOffset + i))));
            }
        }
    }

    @Override
    public void synchronize() {
    }

    @Override
    public void close() {
        closed = true;
    }

    /** A backend over this device. */
    KernelBackend backend() {
        return new KernelBackend("fake", 0, this) {
        };
    }
}
