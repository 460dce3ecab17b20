/*
 * Binary ops on INT32 with Java's semantics: ADD, SUB and MUL wrap around (computed on u32, where
 * overflow is defined), MAX, MIN and comparisons (1 or 0). DIV and POW are refused by the host.
 * Op codes are those of elementwise.cl (dev.nabla.gpu.OpCodes). Built without defines.
 */

INLINE int int_apply(int op, int a, int b) {
    switch (op) {
        case 0: return (int) ((u32) a + (u32) b);
        case 1: return (int) ((u32) a - (u32) b);
        case 2: return (int) ((u32) a * (u32) b);
        case 4: return a >= b ? a : b;
        case 5: return a <= b ? a : b;
        case 7: return a == b ? 1 : 0;
        case 8: return a != b ? 1 : 0;
        case 9: return a < b ? 1 : 0;
        case 10: return a <= b ? 1 : 0;
        case 11: return a > b ? 1 : 0;
        case 12: return a >= b ? 1 : 0;
        default: return 0;
    }
}

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
