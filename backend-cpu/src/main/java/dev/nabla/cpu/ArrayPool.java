package dev.nabla.cpu;

import dev.nabla.DType;
import java.util.ArrayDeque;

/**
 * The arrays of closed buffers, kept for the next allocation of the same size class: a training
 * step allocates the same shapes every time, and a fresh Java array is zeroed by the JVM and
 * collected later (a 120 KB float array cost ~4 µs, as much as the kernel that fills it).
 *
 * <p>Size classes are four per power of two (an array is at most 25% longer than asked for);
 * arrays under {@link #MIN_LENGTH} elements, which the JVM allocates faster than this bookkeeping
 * costs, and over {@link #MAX_LENGTH} are not pooled. The pool holds at most {@code capacityBytes}
 * (system property {@code nabla.cpu.pool.mb}, default a quarter of the maximum heap; 0 turns it
 * off), and is emptied when an allocation runs out of heap.
 *
 * <p>An array comes back only when its buffer is closed explicitly, on the thread that allocated it
 * ({@link CpuBuffer#close()}): a buffer freed by the {@link java.lang.ref.Cleaner} safety net, or by
 * another thread, leaves its array to the garbage collector, so an array can never be handed out
 * while a kernel on some other thread may still hold it.
 */
final class ArrayPool {
    static final int MIN_LENGTH = 256;
    static final int MAX_LENGTH = 1 << 28;
    private static final int CLASSES = 4 * 29;

    private final long capacityBytes;
    private final ArrayDeque<Object>[][] free;
    private long pooledBytes;

    @SuppressWarnings("unchecked")
    ArrayPool(long capacityBytes) {
        this.capacityBytes = Math.max(0, capacityBytes);
        this.free = new ArrayDeque[DType.values().length][CLASSES];
    }

    /** The default capacity: {@code nabla.cpu.pool.mb} megabytes, else a quarter of the maximum heap. */
    static long defaultCapacity() {
        long mb = Long.getLong("nabla.cpu.pool.mb", -1);
        return mb >= 0 ? mb << 20 : Runtime.getRuntime().maxMemory() / 4;
    }

    /** Index of the size class holding {@code n} elements ({@code MIN_LENGTH <= n <= MAX_LENGTH}). */
    static int classOf(int n) {
        int hb = 31 - Integer.numberOfLeadingZeros(n - 1); // 2^hb < n <= 2^(hb+1)
        int step = 1 << (hb - 2);
        return hb * 4 + (n - 1 - (1 << hb)) / step;
    }

    /** The array length of size class {@code c}: the largest {@code n} with {@code classOf(n) == c}. */
    static int classLength(int c) {
        int hb = c >> 2;
        return (1 << hb) + ((c & 3) + 1) * (1 << (hb - 2));
    }

    /** Whether arrays of {@code n} elements go through the pool. */
    boolean pools(int n) {
        return capacityBytes > 0 && n >= MIN_LENGTH && n <= MAX_LENGTH;
    }

    /** The length to allocate for {@code n} elements: the size class's, or {@code n} when not pooled. */
    int lengthFor(int n) {
        return pools(n) ? classLength(classOf(n)) : n;
    }

    /** A pooled array of at least {@code n} elements (contents left from its last use), or null. */
    synchronized Object take(DType dtype, int n) {
        if (!pools(n)) {
            return null;
        }
        ArrayDeque<Object> list = free[dtype.ordinal()][classOf(n)];
        Object a = list == null ? null : list.pollLast();
        if (a != null) {
            pooledBytes -= bytes(dtype, a);
        }
        return a;
    }

    /** Keeps {@code array} for reuse if it is pooled and fits under the capacity; else drops it. */
    synchronized void give(DType dtype, Object array) {
        int length = length(array);
        if (!pools(length) || lengthFor(length) != length) {
            return;
        }
        long b = bytes(dtype, array);
        if (pooledBytes + b > capacityBytes) {
            return;
        }
        ArrayDeque<Object>[] lists = free[dtype.ordinal()];
        int c = classOf(length);
        if (lists[c] == null) {
            lists[c] = new ArrayDeque<>();
        }
        lists[c].addLast(array);
        pooledBytes += b;
    }

    /** Drops every pooled array (out of heap, or the backend closed). */
    synchronized void clear() {
        for (ArrayDeque<Object>[] lists : free) {
            for (ArrayDeque<Object> list : lists) {
                if (list != null) {
                    list.clear();
                }
            }
        }
        pooledBytes = 0;
    }

    /** Bytes held for reuse. */
    synchronized long pooledBytes() {
        return pooledBytes;
    }

    private static long bytes(DType dtype, Object array) {
        return (long) length(array) * dtype.byteSize();
    }

    private static int length(Object array) {
        if (array instanceof float[] f) {
            return f.length;
        }
        if (array instanceof double[] d) {
            return d.length;
        }
        return ((int[]) array).length;
    }
}
