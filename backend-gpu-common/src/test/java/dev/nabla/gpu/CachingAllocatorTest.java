package dev.nabla.gpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nabla.DType;
import dev.nabla.backend.Backend;
import dev.nabla.backend.Buffer;
import dev.nabla.backend.MemoryStats;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CachingAllocatorTest {

    @Test
    void sizeClassesRoundUpWithBoundedSlack() {
        assertThat(CachingAllocator.sizeClass(0)).isEqualTo(512);
        assertThat(CachingAllocator.sizeClass(1)).isEqualTo(512);
        assertThat(CachingAllocator.sizeClass(512)).isEqualTo(512);
        assertThat(CachingAllocator.sizeClass(513)).isEqualTo(1024);
        assertThat(CachingAllocator.sizeClass(1 << 20)).isEqualTo(1 << 20);
        assertThat(CachingAllocator.sizeClass((1 << 20) + 1)).isEqualTo((1 << 20) + (1 << 18));
        assertThat(CachingAllocator.sizeClass(3_000_000)).isEqualTo(3L << 20);
        for (long b = 1; b < 1L << 34; b = b * 3 + 7) {
            long c = CachingAllocator.sizeClass(b);
            assertThat(c).isGreaterThanOrEqualTo(b);
            assertThat(c - b).isLessThanOrEqualTo(Math.max(511, b / 4));
            assertThat(CachingAllocator.sizeClass(c)).as("a class is its own class").isEqualTo(c);
        }
    }

    @Test
    void freedBlocksAreReusedLastFreedFirstSoAddressesAreStableStepToStep() {
        FakeDevice device = new FakeDevice(true);
        CachingAllocator alloc = new CachingAllocator(device);
        List<GpuDevice.Memory> firstStep = new ArrayList<>();
        List<CachingAllocator.Block> blocks = new ArrayList<>();
        for (int step = 0; step < 5; step++) {
            for (long size : new long[] {4000, 100, 4000, 1 << 22}) {
                blocks.add(alloc.allocate(size));
            }
            if (step == 0) {
                blocks.forEach(b -> firstStep.add(b.memory()));
            } else {
                assertThat(blocks).extracting(CachingAllocator.Block::memory).containsExactlyElementsOf(firstStep);
            }
            for (int i = blocks.size() - 1; i >= 0; i--) {
                alloc.release(blocks.get(i));
            }
            blocks.clear();
        }
        assertThat(device.allocateCalls).isEqualTo(4);
        assertThat(alloc.deviceAllocations()).isEqualTo(4);
    }

    @Test
    void statsReportLiveCachedAndPeak() {
        CachingAllocator alloc = new CachingAllocator(new FakeDevice(true));
        CachingAllocator.Block a = alloc.allocate(1000);
        CachingAllocator.Block b = alloc.allocate(3000);
        assertThat(alloc.stats()).isEqualTo(new MemoryStats(1024 + 3072, 0, 4096, 2));
        alloc.release(a);
        assertThat(alloc.stats()).isEqualTo(new MemoryStats(3072, 1024, 4096, 1));
        CachingAllocator.Block c = alloc.allocate(600);
        assertThat(c.memory()).isSameAs(a.memory());
        assertThat(alloc.stats()).isEqualTo(new MemoryStats(4096, 0, 4096, 2));
        alloc.release(b);
        alloc.release(c);
        alloc.emptyCache();
        assertThat(alloc.stats()).isEqualTo(new MemoryStats(0, 0, 4096, 0));
    }

    @Test
    void outOfMemoryFreesTheCacheAndRetriesOnce() {
        FakeDevice device = new FakeDevice(true);
        device.capacity = 10 * 1024;
        CachingAllocator alloc = new CachingAllocator(device);
        CachingAllocator.Block small = alloc.allocate(8 * 1024);
        alloc.release(small);
        // 8 KiB cached + 4 KiB more does not fit; clearing the cache makes room.
        CachingAllocator.Block other = alloc.allocate(4 * 1024);
        assertThat(device.freeCalls).isEqualTo(1);
        assertThat(alloc.stats().cachedBytes()).isZero();
        assertThat(alloc.stats().liveBytes()).isEqualTo(4096);
        assertThatThrownBy(() -> alloc.allocate(8 * 1024))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("out of device memory on fake device")
                .hasMessageContaining("smaller batch")
                .hasCauseInstanceOf(DeviceOutOfMemoryException.class);
        assertThat(device.allocateCalls).as("two successes, then a failure and its one retry, twice").isEqualTo(5);
        alloc.release(other);
    }

    @Test
    void buffersClosedOnAnotherThreadAreReturnedOnTheNextCallWithoutTouchingTheDevice() throws Exception {
        FakeDevice device = new FakeDevice(true);
        Backend backend = device.backend();
        Buffer a = backend.allocate(DType.FLOAT32, 1000);
        GpuDevice.Memory memory = ((GpuBuffer) a).memory();
        Thread cleaner = new Thread(a::close, "cleaner");
        cleaner.start();
        cleaner.join();
        assertThat(a.isClosed()).isTrue();
        // The device saw no call from the cleaner thread (FakeDevice asserts its single owner thread).
        MemoryStats stats = backend.memoryStats();
        assertThat(stats.liveBytes()).isZero();
        assertThat(stats.cachedBytes()).isEqualTo(4096);
        Buffer b = backend.allocate(DType.INT32, 1000);
        assertThat(((GpuBuffer) b).memory()).isSameAs(memory);
        assertThat(device.allocateCalls).isEqualTo(1);
        a.close();
        assertThat(backend.memoryStats().liveBuffers()).as("closing twice returns once").isEqualTo(1);
        backend.close();
        assertThat(device.closed).isTrue();
    }

    @Test
    void manyThreadsClosingConcurrentlyLoseNoBlock() throws Exception {
        FakeDevice device = new FakeDevice(true);
        Backend backend = device.backend();
        List<Buffer> buffers = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            buffers.add(backend.allocate(DType.FLOAT32, 10 + i % 7));
        }
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int from = t;
            threads.add(new Thread(() -> {
                for (int i = from; i < buffers.size(); i += 4) {
                    buffers.get(i).close();
                }
            }));
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join();
        }
        MemoryStats s = backend.memoryStats();
        assertThat(s.liveBuffers()).isZero();
        assertThat(s.liveBytes()).isZero();
        assertThat(s.cachedBytes()).isEqualTo(400 * 512);
        backend.close();
    }
}
