/*
 * Helpers shared by the kernel files, written against the prelude's names. Included after the
 * prelude in both compilers (OpenCL: prepended by the host; CUDA: a second -include).
 * REAL is the floating type a module is built for (-D REAL=float or -D REAL=double).
 */

#ifdef REAL
/* Java's Math.max: NaN if either is NaN, +0 above -0. */
INLINE REAL nb_max(REAL a, REAL b) {
    if (isnan(a)) return a;
    if (a == 0 && b == 0 && signbit(a)) return b;
    return a >= b ? a : b;
}

/* Java's Math.min: NaN if either is NaN, -0 below +0. */
INLINE REAL nb_min(REAL a, REAL b) {
    if (isnan(a)) return a;
    if (a == 0 && b == 0 && signbit(b)) return b;
    return a <= b ? a : b;
}

/* Java's (int) cast: truncation toward zero, NaN to 0, saturating at the int range. */
INLINE int nb_to_int(REAL v) {
    if (isnan(v)) return 0;
    if (v >= (REAL) 2147483648.0f) return 2147483647;
    if (v <= (REAL) -2147483648.0f) return (int) 0x80000000u;
    return (int) v;
}
#endif

/*
 * Philox-4x32-10 (dev.nabla.backend.Philox): the four output words for counter (c0, c1, c2, c3)
 * and key (k0, k1), written to out[0..3].
 */
INLINE void nb_philox(u32 c0, u32 c1, u32 c2, u32 c3, u32 k0, u32 k1, u32* out) {
    for (int round = 0; round < 10; round++) {
        u64 p0 = (u64) 0xD2511F53u * c0;
        u64 p1 = (u64) 0xCD9E8D57u * c2;
        u32 hi0 = (u32) (p0 >> 32), lo0 = (u32) p0;
        u32 hi1 = (u32) (p1 >> 32), lo1 = (u32) p1;
        c0 = hi1 ^ c1 ^ k0;
        c1 = lo1;
        c2 = hi0 ^ c3 ^ k1;
        c3 = lo0;
        k0 += 0x9E3779B9u;
        k1 += 0xBB67AE85u;
    }
    out[0] = c0;
    out[1] = c1;
    out[2] = c2;
    out[3] = c3;
}
