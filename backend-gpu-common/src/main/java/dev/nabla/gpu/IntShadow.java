package dev.nabla.gpu;

/**
 * What the host knows of an INT32 buffer's contents: the values of one contiguous range of
 * elements, as last copied from or to the host. {@link RowOps#softmaxCrossEntropy} validates labels
 * against it instead of reading them back (a stream synchronisation per training step); labels
 * from a DataLoader are uploaded with {@code copyFromHost}, so the range is known in the common case.
 *
 * <p>The rules that keep it true, enforced by {@link GpuBuffer}: a host write or read of a range
 * records those values; any write on the device (copy, cast, fill, binary, argMax, ... into the
 * buffer) forgets everything; a closed buffer is never used again, and a buffer made on reused
 * memory starts with no shadow. Buffers larger than {@link #MAX_ELEMENTS} get none (the labels
 * are then read back).
 */
final class IntShadow {
    /** The largest buffer that gets a shadow: 4 Mi elements, 16 MiB of heap. */
    static final long MAX_ELEMENTS = 1L << 22;

    private final int[] values;
    /** The known range is [lo, hi); empty when lo == hi. */
    private int lo;
    private int hi;

    IntShadow(int size) {
        values = new int[size];
    }

    /** Records {@code count} values of {@code src} from {@code srcOffset} as elements {@code at...}. */
    void record(int[] src, int srcOffset, long at, int count) {
        if (count == 0) {
            return;
        }
        int start = (int) at;
        int end = start + count;
        System.arraycopy(src, srcOffset, values, start, count);
        if (lo < hi && start <= hi && end >= lo) {
            lo = Math.min(lo, start);
            hi = Math.max(hi, end);
        } else {
            // Disjoint from what was known: keep the newer range only (forgetting is always safe).
            lo = start;
            hi = end;
        }
    }

    /** Whether elements {@code [offset, offset + count)} are all known. */
    boolean covers(long offset, long count) {
        return count == 0 || offset >= lo && offset + count <= hi;
    }

    /** Element {@code i}; only meaningful inside a range {@link #covers} confirmed. */
    int get(long i) {
        return values[(int) i];
    }
}
