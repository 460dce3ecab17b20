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
