package dev.nabla.gpu;

import dev.nabla.DType;
import dev.nabla.backend.Backend;
import dev.nabla.backend.Buffer;
import java.util.concurrent.atomic.AtomicBoolean;

/** A buffer of a {@link KernelBackend}: one block of its caching allocator. */
final class GpuBuffer implements Buffer {
    private final KernelBackend owner;
    private final DType dtype;
    private final long size;
    private final CachingAllocator.Block block;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Host copy of known INT32 contents; touched only under the backend's lock. */
    private IntShadow shadow;

    GpuBuffer(KernelBackend owner, DType dtype, long size, CachingAllocator.Block block) {
        this.owner = owner;
        this.dtype = dtype;
        this.size = size;
        this.block = block;
    }

    @Override
    public Backend backend() {
        return owner;
    }

    @Override
    public DType dtype() {
        return dtype;
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public boolean isClosed() {
        return closed.get() || owner.isClosed();
    }

    KernelBackend owner() {
        return owner;
    }

    GpuDevice.Memory memory() {
        return block.memory();
    }

    /**
     * Records values that went between the host and elements {@code [at, at + count)}: after a
     * {@code copyFromHost} or a {@code copyToHost} of an INT32 buffer the host knows them.
     */
    void hostKnows(int[] values, int valuesOffset, long at, int count) {
        if (dtype != DType.INT32 || size > IntShadow.MAX_ELEMENTS) {
            return;
        }
        if (shadow == null) {
            shadow = new IntShadow((int) size);
        }
        shadow.record(values, valuesOffset, at, count);
    }

    /** The device is about to write this buffer: whatever the host knew of it is forgotten. */
    void deviceWrites() {
        shadow = null;
    }

    /** The host copy of elements {@code [offset, offset + count)} when all are known, else null. */
    IntShadow known(long offset, long count) {
        IntShadow s = shadow;
        return s != null && s.covers(offset, count) ? s : null;
    }

    /** Queues the block for the allocator: may run on any thread, so it never touches the device. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            owner.released(block);
        }
    }

    @Override
    public String toString() {
        return owner.name() + " buffer " + dtype.shortName() + "[" + size + "]" + (isClosed() ? " (closed)" : "");
    }
}
