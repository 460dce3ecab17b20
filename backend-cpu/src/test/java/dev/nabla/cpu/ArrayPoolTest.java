package dev.nabla.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nabla.DType;
import dev.nabla.backend.Buffer;
import org.junit.jupiter.api.Test;

/** The CPU backend's array pool: size classes, reuse on the allocating thread only, the capacity. */
class ArrayPoolTest {

    @Test
    void sizeClassesAreFourPerOctaveAndCoverEveryLength() {
        int previous = -1;
        for (int n = ArrayPool.MIN_LENGTH; n <= 1 << 20; n++) {
            int c = ArrayPool.classOf(n);
            int length = ArrayPool.classLength(c);
            assertThat(length).as("class length for %d", n).isGreaterThanOrEqualTo(n);
            assertThat((double) length).as("waste for %d", n).isLessThanOrEqualTo(1.25 * n);
            assertThat(c).isGreaterThanOrEqualTo(previous);
            assertThat(ArrayPool.classOf(length)).isEqualTo(c);
            previous = c;
        }
        assertThat(ArrayPool.classOf(ArrayPool.MAX_LENGTH)).isLessThan(4 * 29);
        assertThat(ArrayPool.classLength(ArrayPool.classOf(ArrayPool.MAX_LENGTH))).isEqualTo(ArrayPool.MAX_LENGTH);
    }

    @Test
    void closedBufferArraysAreReusedForTheSameSizeClass() {
        try (CpuBackend cpu = new CpuBackend(1, "auto")) {
            CpuBuffer a = (CpuBuffer) cpu.allocate(DType.FLOAT32, 1000);
            float[] array = a.f;
            assertThat(array.length).isEqualTo(ArrayPool.classLength(ArrayPool.classOf(1000)));
            a.close();
            assertThat(cpu.memoryStats().cachedBytes()).isEqualTo(4L * array.length);
            CpuBuffer b = (CpuBuffer) cpu.allocate(DType.FLOAT32, 990);
            assertThat(b.f).isSameAs(array);
            assertThat(b.size()).isEqualTo(990);
            assertThat(cpu.memoryStats().cachedBytes()).isZero();
            CpuBuffer other = (CpuBuffer) cpu.allocate(DType.INT32, 1000);
            assertThat((Object) other.i).as("another dtype never shares").isNotSameAs(array);
            b.close();
            other.close();
        }
    }

    @Test
    void aBufferClosedByAnotherThreadLeavesItsArrayToTheCollector() throws Exception {
        try (CpuBackend cpu = new CpuBackend(1, "auto")) {
            CpuBuffer a = (CpuBuffer) cpu.allocate(DType.FLOAT32, 5000);
            float[] array = a.f;
            Thread t = new Thread(a::close);
            t.start();
            t.join();
            assertThat(a.isClosed()).isTrue();
            assertThat(cpu.memoryStats().cachedBytes()).isZero();
            CpuBuffer b = (CpuBuffer) cpu.allocate(DType.FLOAT32, 5000);
            assertThat(b.f).isNotSameAs(array);
            b.close();
        }
    }

    @Test
    void smallArraysAndAFullPoolAreNotKept() {
        ArrayPool pool = new ArrayPool(10_000);
        pool.give(DType.FLOAT32, new float[100]);
        assertThat(pool.pooledBytes()).as("under MIN_LENGTH").isZero();
        pool.give(DType.FLOAT32, new float[1000]);
        assertThat(pool.pooledBytes()).as("not a class length").isZero();
        pool.give(DType.FLOAT32, new float[ArrayPool.classLength(ArrayPool.classOf(1500))]);
        assertThat(pool.pooledBytes()).isEqualTo(4L * 1536);
        pool.give(DType.FLOAT32, new float[ArrayPool.classLength(ArrayPool.classOf(1500))]);
        assertThat(pool.pooledBytes()).as("a second one would pass the capacity").isEqualTo(4L * 1536);
        assertThat(pool.take(DType.FLOAT64, 1500)).isNull();
        assertThat(pool.take(DType.FLOAT32, 1400)).isInstanceOf(float[].class);
        assertThat(pool.take(DType.FLOAT32, 1400)).isNull();
        assertThat(new ArrayPool(0).pools(1000)).as("capacity 0 turns pooling off").isFalse();
    }

    @Test
    void buffersClosedAfterTheBackendDoNotRefillItsPool() {
        CpuBackend cpu = new CpuBackend(1, "auto");
        Buffer a = cpu.allocate(DType.FLOAT64, 4096);
        cpu.close();
        a.close();
        assertThat(cpu.memoryStats().cachedBytes()).isZero();
    }
}
