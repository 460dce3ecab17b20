/*
 * Helpers shared by the kernel files, written against the prelude's names. Included after the
 * prelude in both compilers (OpenCL: prepended by the host; CUDA: a second -include).
 * REAL is the floating type a module is built for (-D REAL=float or -D REAL=double).
 */

/*
 * Strided kernels take up to 8 axes, innermost first (n0 is the last axis): the host collapses
 * mergeable axes, pads unused ones with extent 1 and stride 0, and passes the rank so that the
 * decomposition of a linear index stops early. NB_DECOMPOSE(sa, sb) peels the axes off `rem`,
 * adding each coordinate times the strides sa<d> and sb<d> to the offsets oa and ob.
 */
#define NB_DIMS_ARGS int rank, int n0, int n1, int n2, int n3, int n4, int n5, int n6, int n7
#define NB_STRIDE_ARGS(p) i64 p##0, i64 p##1, i64 p##2, i64 p##3, i64 p##4, i64 p##5, i64 p##6, i64 p##7
/* 32-bit division while the index fits: 64-bit division is emulated, several times slower, on GPUs. */
#define NB_PEEL(d, sa, sb) if (rank > d) { \
        i64 q = rem <= (i64) 0xffffffffu ? (i64) ((u32) rem / (u32) n##d) : rem / n##d; \
        i64 c = rem - q * n##d; oa += c * sa##d; ob += c * sb##d; rem = q; }
#define NB_DECOMPOSE(sa, sb) \
        NB_PEEL(0, sa, sb) NB_PEEL(1, sa, sb) NB_PEEL(2, sa, sb) NB_PEEL(3, sa, sb) \
        NB_PEEL(4, sa, sb) NB_PEEL(5, sa, sb) NB_PEEL(6, sa, sb) NB_PEEL(7, sa, sb)

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
