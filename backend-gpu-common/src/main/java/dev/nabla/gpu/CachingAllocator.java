package dev.nabla.gpu;

import dev.nabla.backend.MemoryStats;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Caching allocator over {@link GpuDevice#allocate}/{@link GpuDevice#free}, shared by the GPU
 * backends. Freed blocks go to a free list per size class and are handed out again, last freed
 * first, so a training loop that allocates the same sizes every step gets the same addresses every
 * step (the condition for capturing a step as a CUDA graph) and stops calling the device.
 *
 * <p>Size classes: requests up to 1 MiB round up to a multiple of 512 bytes; larger ones to a
 * quarter of their power of two (at most 25% slack, four classes per octave). On
 * {@link DeviceOutOfMemoryException} the cache is freed and the allocation tried once more; a
 * second failure is an {@link IllegalStateException} that suggests a smaller batch.
 *
 * <p>Not thread-safe, except {@link #releaseLater}: the owning backend calls everything else under
 * its lock, and calls {@link #drainReleases()} at the start of each operation so that buffers
 * closed by other threads (a {@code Cleaner}) are returned without touching the device from them.
 */
public final class CachingAllocator {

    static final long SMALL_LIMIT = 1L << 20;
    static final long SMALL_QUANTUM = 512;

    /** A block of device memory of one size class, owned by a buffer or by the cache. */
    public static final class Block {
        private final GpuDevice.Memory memory;
        private final long bytes;

        Block(GpuDevice.Memory memory, long bytes) {
            this.memory = memory;
            this.bytes = bytes;
        }

        /** The device allocation. */
        public GpuDevice.Memory memory() {
            return memory;
        }

        /** Size of the block: the size class of the request. */
        public long bytes() {
            return bytes;
        }
    }

    private final GpuDevice device;
    private final TreeMap<Long, ArrayDeque<Block>> free = new TreeMap<>();
    private final ConcurrentLinkedQueue<Block> pendingReleases = new ConcurrentLinkedQueue<>();
    private long liveBytes;
    private long liveBlocks;
    private long cachedBytes;
    private long peakBytes;
    private long deviceAllocations;

    public CachingAllocator(GpuDevice device) {
        this.device = device;
    }

    /** The size class of a request of {@code bytes} (at least 1). */
    public static long sizeClass(long bytes) {
        long b = Math.max(1, bytes);
        if (b <= SMALL_LIMIT) {
            return (b + SMALL_QUANTUM - 1) / SMALL_QUANTUM * SMALL_QUANTUM;
        }
        long quarter = Long.highestOneBit(b - 1) / 4;
        return (b + quarter - 1) / quarter * quarter;
    }

    /** A block of at least {@code bytes}, from the cache when one of the same class is there. */
    public Block allocate(long bytes) {
        drainReleases();
        long size = sizeClass(bytes);
        ArrayDeque<Block> list = free.get(size);
        Block block;
        if (list != null && !list.isEmpty()) {
            block = list.pop();
            cachedBytes -= size;
        } else {
            block = new Block(allocateFromDevice(size), size);
        }
        liveBytes += size;
        liveBlocks++;
        peakBytes = Math.max(peakBytes, liveBytes);
        return block;
    }

    private GpuDevice.Memory allocateFromDevice(long size) {
        try {
            GpuDevice.Memory m = device.allocate(size);
            deviceAllocations++;
            return m;
        } catch (DeviceOutOfMemoryException first) {
            long freed = cachedBytes;
            emptyCache();
            try {
                GpuDevice.Memory m = device.allocate(size);
                deviceAllocations++;
                return m;
            } catch (DeviceOutOfMemoryException second) {
                throw new IllegalStateException(String.format(
                        "out of device memory on %s allocating %s (%s in use, %s of cache freed and retried): "
                                + "use a smaller batch or model",
                        device.info().name(), mib(size), mib(liveBytes), mib(freed)), second);
            }
        }
    }

    /** Returns a block to the cache; call on the owning thread. */
    public void release(Block block) {
        liveBytes -= block.bytes;
        liveBlocks--;
        cachedBytes += block.bytes;
        free.computeIfAbsent(block.bytes, k -> new ArrayDeque<>()).push(block);
    }

    /** Queues a block for {@link #release}; safe from any thread and never touches the device. */
    public void releaseLater(Block block) {
        pendingReleases.add(block);
    }

    /** Releases the blocks queued by {@link #releaseLater}. */
    public void drainReleases() {
        Block b;
        while ((b = pendingReleases.poll()) != null) {
            release(b);
        }
    }

    /** Frees every cached block on the device. */
    public void emptyCache() {
        for (Map.Entry<Long, ArrayDeque<Block>> e : free.entrySet()) {
            for (Block b : e.getValue()) {
                device.free(b.memory);
            }
        }
        free.clear();
        cachedBytes = 0;
    }

    /** Live, cached and peak bytes, after returning blocks queued by other threads. */
    public MemoryStats stats() {
        drainReleases();
        return new MemoryStats(liveBytes, cachedBytes, peakBytes, liveBlocks);
    }

    /** How many times the device was asked for memory (for tests of reuse). */
    public long deviceAllocations() {
        return deviceAllocations;
    }

    private static String mib(long bytes) {
        return String.format("%.1f MiB", bytes / 1048576.0);
    }
}
