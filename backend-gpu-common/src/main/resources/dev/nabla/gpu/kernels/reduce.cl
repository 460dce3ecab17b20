/*
 * Reductions on REAL over the middle axis of a contiguous [outer, extent, inner] block, argMax,
 * row softmax / log-softmax and the fused softmax cross-entropy.
 *
 * Two shapes of launch:
 *  - "_groups" kernels: one work-group of WG work-items per output (group-stride loop over outputs);
 *    each work-item folds a strided share of the extent, then a tree in local memory.
 *    Used when outputs are few or rows are long. Launched with local size exactly WG.
 *  - "_items" kernels: one work-item per output, folding the extent serially; reads are
 *    coalesced across neighbouring outputs when inner > 1.
 * Op codes and the reduce_identity, reduce_combine and reduce_finish switches come from the
 * generated optable.h (dev.nabla.gpu.OpTable).
 */

#ifndef WG
#define WG 256
#endif

/* Whether (vb, ib) beats (va, ia) for argMax: larger value, NaN largest, first index on ties. */
INLINE int argmax_beats(REAL vb, int ib, REAL va, int ia) {
    if (isnan(vb)) return !isnan(va) || ib < ia;
    if (isnan(va)) return 0;
    return vb > va || (vb == va && ib < ia);
}

KERNEL void reduce_groups(int op, GLOBAL const REAL* x, i64 xOffset, int outer, int extent, int inner,
                          GLOBAL REAL* out, i64 outOffset) {
    LOCAL REAL partial[WG];
    int lid = LOCAL_ID(0);
    i64 outputs = (i64) outer * inner;
    for (i64 o = GROUP_ID(0); o < outputs; o += NUM_GROUPS(0)) {
        i64 base = xOffset + (o / inner) * ((i64) extent * inner) + o % inner;
        REAL acc = reduce_identity(op);
        for (int e = lid; e < extent; e += WG) {
            acc = reduce_combine(op, acc, x[base + (i64) e * inner]);
        }
        partial[lid] = acc;
        BARRIER();
        for (int s = WG / 2; s > 0; s >>= 1) {
            if (lid < s) partial[lid] = reduce_combine(op, partial[lid], partial[lid + s]);
            BARRIER();
        }
        if (lid == 0) out[outOffset + o] = reduce_finish(op, partial[0], extent);
        BARRIER();
    }
}

KERNEL void reduce_items(int op, GLOBAL const REAL* x, i64 xOffset, int outer, int extent, int inner,
                         GLOBAL REAL* out, i64 outOffset) {
    i64 outputs = (i64) outer * inner;
    for (i64 o = GLOBAL_ID(0); o < outputs; o += GLOBAL_SIZE(0)) {
        i64 base = xOffset + (o / inner) * ((i64) extent * inner) + o % inner;
        REAL acc = reduce_identity(op);
        for (int e = 0; e < extent; e++) {
            acc = reduce_combine(op, acc, x[base + (i64) e * inner]);
        }
        out[outOffset + o] = reduce_finish(op, acc, extent);
    }
}

KERNEL void argmax_groups(GLOBAL const REAL* x, i64 xOffset, int outer, int extent, int inner,
                          GLOBAL int* out, i64 outOffset) {
    LOCAL REAL bestValue[WG];
    LOCAL int bestIndex[WG];
    int lid = LOCAL_ID(0);
    i64 outputs = (i64) outer * inner;
    for (i64 o = GROUP_ID(0); o < outputs; o += NUM_GROUPS(0)) {
        i64 base = xOffset + (o / inner) * ((i64) extent * inner) + o % inner;
        REAL v = -INFINITY;
        int idx = 0x7fffffff;
        for (int e = lid; e < extent; e += WG) {
            REAL c = x[base + (i64) e * inner];
            if (argmax_beats(c, e, v, idx)) { v = c; idx = e; }
        }
        bestValue[lid] = v;
        bestIndex[lid] = idx;
        BARRIER();
        for (int s = WG / 2; s > 0; s >>= 1) {
            if (lid < s && argmax_beats(bestValue[lid + s], bestIndex[lid + s], bestValue[lid], bestIndex[lid])) {
                bestValue[lid] = bestValue[lid + s];
                bestIndex[lid] = bestIndex[lid + s];
            }
            BARRIER();
        }
        if (lid == 0) out[outOffset + o] = bestIndex[0] == 0x7fffffff ? 0 : bestIndex[0];
        BARRIER();
    }
}

KERNEL void argmax_items(GLOBAL const REAL* x, i64 xOffset, int outer, int extent, int inner,
                         GLOBAL int* out, i64 outOffset) {
    i64 outputs = (i64) outer * inner;
    for (i64 o = GLOBAL_ID(0); o < outputs; o += GLOBAL_SIZE(0)) {
        i64 base = xOffset + (o / inner) * ((i64) extent * inner) + o % inner;
        REAL v = -INFINITY;
        int idx = 0;
        for (int e = 0; e < extent; e++) {
            REAL c = x[base + (i64) e * inner];
            if (e == 0 || argmax_beats(c, e, v, idx)) { v = c; idx = e; }
        }
        out[outOffset + o] = idx;
    }
}

/*
 * Row maximum m and s = sum of exp(x - m) in one pass over the row ("online" softmax): each
 * work-item folds its elements, rescaling its sum whenever its maximum grows, then one tree over
 * (m, s) pairs merges them. One read of the row and one reduction instead of two of each.
 * exp(-inf - -inf) is never formed: -inf elements add nothing, so rows with -inf logits stay
 * finite; NaN and +inf propagate as with a separate max pass.
 */
INLINE void lse_add(REAL* m, REAL* s, REAL x) {
    if (x > *m) {
        *s = *s * exp(*m - x) + (REAL) 1;
        *m = x;
    } else if (x != -INFINITY) {
        *s += exp(x - *m);
    }
}

INLINE void lse_merge(REAL* m, REAL* s, REAL m2, REAL s2) {
    REAL mm = nb_max(*m, m2);
    REAL a = *m == mm ? *s : *s * exp(*m - mm);
    REAL b = m2 == mm ? s2 : s2 * exp(m2 - mm);
    *m = mm;
    *s = a + b;
}

INLINE void row_max_sum(LOCAL_PTR REAL* maxes, LOCAL_PTR REAL* sums, int lid, GLOBAL const REAL* row, int cols,
                        REAL* maxOut, REAL* sumOut) {
    REAL m = -INFINITY;
    REAL s = 0;
    for (int c = lid; c < cols; c += WG) lse_add(&m, &s, row[c]);
    maxes[lid] = m;
    sums[lid] = s;
    BARRIER();
    for (int width = WG / 2; width > 0; width >>= 1) {
        if (lid < width) {
            REAL mi = maxes[lid], si = sums[lid];
            lse_merge(&mi, &si, maxes[lid + width], sums[lid + width]);
            maxes[lid] = mi;
            sums[lid] = si;
        }
        BARRIER();
    }
    *maxOut = maxes[0];
    *sumOut = sums[0];
    BARRIER();
}

KERNEL void softmax_rows(int logOutput, GLOBAL const REAL* x, i64 xOffset, int rows, int cols,
                         GLOBAL REAL* y, i64 yOffset) {
    LOCAL REAL maxes[WG];
    LOCAL REAL sums[WG];
    int lid = LOCAL_ID(0);
    for (i64 r = GROUP_ID(0); r < rows; r += NUM_GROUPS(0)) {
        GLOBAL const REAL* row = x + xOffset + r * cols;
        GLOBAL REAL* out = y + yOffset + r * cols;
        REAL m, s;
        row_max_sum(maxes, sums, lid, row, cols, &m, &s);
        if (logOutput) {
            REAL logSum = log(s);
            for (int c = lid; c < cols; c += WG) out[c] = row[c] - m - logSum;
        } else {
            for (int c = lid; c < cols; c += WG) out[c] = exp(row[c] - m) / s;
        }
    }
}

/*
 * Labels were validated by the host. grad may alias nothing else; hasGrad == 0 skips it. One
 * work-group per row: one pass for (max, sum of exp), a second that writes the loss and the grad.
 */
KERNEL void softmax_cross_entropy(GLOBAL const REAL* logits, i64 logitsOffset, GLOBAL const int* labels,
                                  i64 labelsOffset, int rows, int classes, GLOBAL REAL* losses, i64 lossesOffset,
                                  GLOBAL REAL* grad, i64 gradOffset, int hasGrad) {
    LOCAL REAL maxes[WG];
    LOCAL REAL sums[WG];
    int lid = LOCAL_ID(0);
    for (i64 r = GROUP_ID(0); r < rows; r += NUM_GROUPS(0)) {
        GLOBAL const REAL* row = logits + logitsOffset + r * classes;
        int label = labels[labelsOffset + r];
        REAL m, s;
        row_max_sum(maxes, sums, lid, row, classes, &m, &s);
        if (lid == 0) losses[lossesOffset + r] = (m - row[label]) + log(s);
        if (hasGrad) {
            GLOBAL REAL* g = grad + gradOffset + r * classes;
            for (int c = lid; c < classes; c += WG) g[c] = exp(row[c] - m) / s - (c == label ? (REAL) 1 : (REAL) 0);
        }
    }
}
