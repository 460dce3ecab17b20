/*
 * Binary ops on INT32 with Java's semantics: ADD, SUB and MUL wrap around (computed on u32, where
 * overflow is defined), MAX, MIN and comparisons (1 or 0). DIV and POW are refused by the host.
 * int_apply and the op codes come from the generated optable.h (dev.nabla.gpu.OpTable). Built
 * without defines.
 */

KERNEL void binary_int_contiguous(int op, GLOBAL const int* a, i64 aOffset, GLOBAL const int* b, i64 bOffset,
                                  GLOBAL int* out, i64 outOffset, i64 count) {
    for (i64 i = GLOBAL_ID(0); i < count; i += GLOBAL_SIZE(0)) {
        out[outOffset + i] = int_apply(op, a[aOffset + i], b[bOffset + i]);
    }
}

KERNEL void binary_int_strided(int op, GLOBAL const int* a, i64 aOffset, GLOBAL const int* b, i64 bOffset,
                               GLOBAL int* out, i64 outOffset, i64 count,
                               NB_DIMS_ARGS, NB_STRIDE_ARGS(sa), NB_STRIDE_ARGS(sb)) {
    for (i64 i = GLOBAL_ID(0); i < count; i += GLOBAL_SIZE(0)) {
        i64 rem = i, oa = aOffset, ob = bOffset;
        NB_DECOMPOSE(sa, sb)
        out[outOffset + i] = int_apply(op, a[oa], b[ob]);
    }
}
