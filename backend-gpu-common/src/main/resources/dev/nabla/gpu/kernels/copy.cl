/*
 * Dtype-agnostic data movement: fill and strided copy on 32-bit and 64-bit words, so one build
 * serves FLOAT32, INT32 (u32) and FLOAT64 (u64, bit patterns only: no fp64 needed).
 *
 * Strided kernels: see NB_DECOMPOSE in common.h.
 */

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
                             NB_DIMS_ARGS, NB_STRIDE_ARGS(ss), NB_STRIDE_ARGS(ds)) { \
    for (i64 i = GLOBAL_ID(0); i < count; i += GLOBAL_SIZE(0)) { \
        i64 rem = i, oa = srcOffset, ob = dstOffset; \
        NB_DECOMPOSE(ss, ds) \
        dst[ob] = src[oa]; \
    } \
}

FILL_KERNEL(u32)
FILL_KERNEL(u64)
COPY_KERNEL(u32)
COPY_KERNEL(u64)

/*
 * out[o, j, i] = x[o, index[o, j, i], i] over an [outer, extent, inner] block, on words like the
 * copies; the host has checked every index before the launch.
 */
#define GATHER_KERNEL(T) \
KERNEL void gather_##T(GLOBAL const T* RESTRICT x, i64 xOffset, int outer, int extent, int inner, \
                       GLOBAL const int* RESTRICT index, i64 indexOffset, i64 so, i64 sj, i64 si, int count, \
                       GLOBAL T* RESTRICT out, i64 outOffset) { \
    i64 total = (i64) outer * count * inner; \
    for (i64 t = GLOBAL_ID(0); t < total; t += GLOBAL_SIZE(0)) { \
        i64 i = t % inner; \
        i64 rest = t / inner; \
        i64 j = rest % count; \
        i64 o = rest / count; \
        i64 e = index[indexOffset + o * so + j * sj + i * si]; \
        out[outOffset + t] = x[xOffset + (o * extent + e) * inner + i]; \
    } \
}

GATHER_KERNEL(u32)
GATHER_KERNEL(u64)
