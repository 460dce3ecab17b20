package dev.nabla.backend;

/**
 * Counter-based Philox-4x32-10 generator (Salmon et al., "Parallel random numbers: as easy as
 * 1, 2, 3", SC 2011), the one random source of device kernels. Being a pure function of
 * (key, counter), every backend computes the same stream in any order, in parallel, without state.
 *
 * <p>Element {@code i} of a stream with 64-bit {@code seed}: key = (low, high 32 bits of seed),
 * counter = (low, high 32 bits of {@code i >>> 2}, 0, 0), and the value is output word
 * {@code i & 3}. GPU kernels implement exactly this; the contract tests compare them with it.
 */
public final class Philox {
    private static final int M0 = 0xD2511F53;
    private static final int M1 = 0xCD9E8D57;
    private static final int W0 = 0x9E3779B9;
    private static final int W1 = 0xBB67AE85;

    private Philox() {
    }

    /** The four output words of Philox-4x32-10 for the given counter and key. */
    public static int[] block(int c0, int c1, int c2, int c3, int k0, int k1) {
        for (int round = 0; round < 10; round++) {
            long p0 = (M0 & 0xFFFFFFFFL) * (c0 & 0xFFFFFFFFL);
            long p1 = (M1 & 0xFFFFFFFFL) * (c2 & 0xFFFFFFFFL);
            int hi0 = (int) (p0 >>> 32), lo0 = (int) p0;
            int hi1 = (int) (p1 >>> 32), lo1 = (int) p1;
            c0 = hi1 ^ c1 ^ k0;
            c1 = lo1;
            c2 = hi0 ^ c3 ^ k1;
            c3 = lo0;
            k0 += W0;
            k1 += W1;
        }
        return new int[] {c0, c1, c2, c3};
    }

    /** Raw 32-bit word {@code index} of the stream for {@code seed}. */
    public static int bits(long seed, long index) {
        long block = index >>> 2;
        int[] out = block((int) block, (int) (block >>> 32), 0, 0, (int) seed, (int) (seed >>> 32));
        return out[(int) (index & 3)];
    }

    /** Uniform float in [0, 1) with 24 random bits: {@code (bits >>> 8) · 2^-24}. */
    public static float uniform(long seed, long index) {
        return (bits(seed, index) >>> 8) * 0x1.0p-24f;
    }
}
