package dev.nabla.backend;

/**
 * Device memory accounting of one backend.
 *
 * @param liveBytes   bytes held by buffers not yet closed
 * @param cachedBytes bytes freed by the user but kept by a caching allocator for reuse
 * @param peakBytes   highest {@code liveBytes} seen since the backend opened
 * @param liveBuffers number of buffers not yet closed
 */
public record MemoryStats(long liveBytes, long cachedBytes, long peakBytes, long liveBuffers) {

    /** Sum of two stats (used to total several backends); the peak is the larger of the two. */
    public MemoryStats plus(MemoryStats other) {
        return new MemoryStats(liveBytes + other.liveBytes, cachedBytes + other.cachedBytes,
                Math.max(peakBytes, other.peakBytes), liveBuffers + other.liveBuffers);
    }
}
