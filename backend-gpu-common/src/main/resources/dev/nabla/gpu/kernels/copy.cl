/*
 * Dtype-agnostic data movement: fill and strided copy on 32-bit and 64-bit words, so one build
 * serves FLOAT32, INT32 (u32) and FLOAT64 (u64, bit patterns only: no fp64 needed).
 *
 * Strided kernels take up to 8 dimensions, innermost first (n0 is the last axis); the host
 * collapses mergeable axes first, pads unused ones with extent 1, and passes the rank so that
 * the index decomposition stops early.
 */

#define DIMS_ARGS int rank, int n0, int n1, int n2, int n3, int n4, int n5, int n6, int n7
#define STRIDE_ARGS(p) i64 p##0, i64 p##1, i64 p##2, i64 p##3, i64 p##4, i64 p##5, i64 p##6, i64 p##7

/* Peels axis d off the linear index `rem`, adding its coordinate times the strides. */
#define PEEL2(d, sa, sb) if (rank > d) { i64 q = rem / n##d; i64 c = rem - q * n##d; \
        oa += c * sa##d; ob += c * sb##d; rem = q; }
#define DECOMPOSE2(sa, sb) \
        PEEL2(0, sa, sb) PEEL2(1, sa, sb) PEEL2(2, sa, sb) PEEL2(3, sa, sb) \
        PEEL2(4, sa, sb) PEEL2(5, sa, sb) PEEL2(6, sa, sb) PEEL2(7, sa, sb)

#define FILL_KERNEL(T) \
KERNEL void fill_##T(GLOBAL T* RESTRICT dst, i64 offset, i64 count, T value) { \
    for (i64 i = GLOBAL_ID(0); i < count; i += GLOBAL_SIZE(0)) { \
        dst[offset + i] = value; \
    } \
}

#define COPY_KERNEL(T) \
KERNEL void copy_contiguous_##T(GLOBAL const T* RESTRICT src, i64 srcOffset, \
                                GLOBAL T* RESTRICT dst, i64 dstOffset, i64 count) { \
    for (i64 i = GLOBAL_ID(0); i < count; i += GLOBAL_SIZE(0)) { \
        dst[dstOffset + i] = src[srcOffset + i]; \
    } \
} \
KERNEL void copy_strided_##T(GLOBAL const T* RESTRICT src, i64 srcOffset, \
                             GLOBAL T* RESTRICT dst, i64 dstOffset, i64 count, \
                             DIMS_ARGS, STRIDE_ARGS(ss), STRIDE_ARGS(ds)) { \
    for (i64 i = GLOBAL_ID(0); i < count; i += GLOBAL_SIZE(0)) { \
        i64 rem = i, oa = srcOffset, ob = dstOffset; \
        DECOMPOSE2(ss, ds) \
        dst[ob] = src[oa]; \
    } \
}

FILL_KERNEL(u32)
FILL_KERNEL(u64)
COPY_KERNEL(u32)
COPY_KERNEL(u64)
