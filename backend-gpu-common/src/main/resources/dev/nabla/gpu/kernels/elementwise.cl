/*
 * Elementwise kernels on REAL (float or double): unary ops and their gradients, binary ops with
 * broadcasting strides, casts, dropout and the fused optimizer updates. Every loop is a
 * grid-stride loop, so any global size works and counts above 2^31 are fine.
 *
 * The op codes and the unary_apply, unary_derivative and binary_apply switches come from the
 * generated optable.h (dev.nabla.gpu.OpTable), i.e. from the op tables of dev.nabla.backend.
 */

/*
 * Float builds move contiguous operands in 16-byte vectors (LOAD_FLOAT4 / STORE_FLOAT4) when every
 * operand's offset is a multiple of 4 elements (allocations are at least 256-byte aligned): four
 * elements per work-item and iteration, then the last count % 4 one by one in the scalar loop.
 * NB_VECTORS is 1 when REAL is float: NB_IS_FLOAT_ ## REAL names a macro only for float.
 */
#define NB_IS_FLOAT_float 1
#define NB_PASTE2(a, b) a##b
#define NB_PASTE(a, b) NB_PASTE2(a, b)
#if NB_PASTE(NB_IS_FLOAT_, REAL)
#define NB_VECTORS 1
#else
#define NB_VECTORS 0
#endif

KERNEL void unary(int op, REAL p, GLOBAL const REAL* x, i64 xOffset, GLOBAL REAL* y, i64 yOffset, i64 count) {
    i64 step = GLOBAL_SIZE(0);
    i64 done = 0;
#if NB_VECTORS
    if (((xOffset | yOffset) & 3) == 0) {
        GLOBAL const float* xv = x + xOffset;
        GLOBAL float* yv = y + yOffset;
        for (i64 v = GLOBAL_ID(0); v < count / 4; v += step) {
            float4 a = LOAD_FLOAT4(xv + 4 * v);
            a.x = unary_apply(op, a.x, p);
            a.y = unary_apply(op, a.y, p);
            a.z = unary_apply(op, a.z, p);
            a.w = unary_apply(op, a.w, p);
            STORE_FLOAT4(yv + 4 * v, a);
        }
        done = count / 4 * 4;
    }
#endif
    for (i64 i = done + GLOBAL_ID(0); i < count; i += step) {
        y[yOffset + i] = unary_apply(op, x[xOffset + i], p);
    }
}

KERNEL void unary_grad(int op, REAL p, GLOBAL const REAL* x, i64 xOffset, GLOBAL const REAL* y, i64 yOffset,
                       GLOBAL const REAL* dy, i64 dyOffset, GLOBAL REAL* dx, i64 dxOffset, i64 count) {
    i64 step = GLOBAL_SIZE(0);
    i64 done = 0;
#if NB_VECTORS
    if (((xOffset | yOffset | dyOffset | dxOffset) & 3) == 0) {
        for (i64 v = GLOBAL_ID(0); v < count / 4; v += step) {
            float4 xs = LOAD_FLOAT4(x + xOffset + 4 * v);
            float4 ys = LOAD_FLOAT4(y + yOffset + 4 * v);
            float4 g = LOAD_FLOAT4(dy + dyOffset + 4 * v);
            g.x *= unary_derivative(op, xs.x, ys.x, p);
            g.y *= unary_derivative(op, xs.y, ys.y, p);
            g.z *= unary_derivative(op, xs.z, ys.z, p);
            g.w *= unary_derivative(op, xs.w, ys.w, p);
            STORE_FLOAT4(dx + dxOffset + 4 * v, g);
        }
        done = count / 4 * 4;
    }
#endif
    for (i64 i = done + GLOBAL_ID(0); i < count; i += step) {
        dx[dxOffset + i] = dy[dyOffset + i] * unary_derivative(op, x[xOffset + i], y[yOffset + i], p);
    }
}

/* Both operands laid out like the contiguous output. */
KERNEL void binary_contiguous(int op, GLOBAL const REAL* a, i64 aOffset, GLOBAL const REAL* b, i64 bOffset,
                              GLOBAL REAL* out, i64 outOffset, i64 count) {
    i64 step = GLOBAL_SIZE(0);
    i64 done = 0;
#if NB_VECTORS
    if (((aOffset | bOffset | outOffset) & 3) == 0) {
        for (i64 v = GLOBAL_ID(0); v < count / 4; v += step) {
            float4 l = LOAD_FLOAT4(a + aOffset + 4 * v);
            float4 r = LOAD_FLOAT4(b + bOffset + 4 * v);
            l.x = binary_apply(op, l.x, r.x);
            l.y = binary_apply(op, l.y, r.y);
            l.z = binary_apply(op, l.z, r.z);
            l.w = binary_apply(op, l.w, r.w);
            STORE_FLOAT4(out + outOffset + 4 * v, l);
        }
        done = count / 4 * 4;
    }
#endif
    for (i64 i = done + GLOBAL_ID(0); i < count; i += step) {
        out[outOffset + i] = binary_apply(op, a[aOffset + i], b[bOffset + i]);
    }
}

/* Up to 8 axes (NB_DECOMPOSE in common.h); a stride of 0 broadcasts. */
KERNEL void binary_strided(int op, GLOBAL const REAL* a, i64 aOffset, GLOBAL const REAL* b, i64 bOffset,
                           GLOBAL REAL* out, i64 outOffset, i64 count,
                           NB_DIMS_ARGS, NB_STRIDE_ARGS(sa), NB_STRIDE_ARGS(sb)) {
    for (i64 i = GLOBAL_ID(0); i < count; i += GLOBAL_SIZE(0)) {
        i64 rem = i, oa = aOffset, ob = bOffset;
        NB_DECOMPOSE(sa, sb)
        out[outOffset + i] = binary_apply(op, a[oa], b[ob]);
    }
}

KERNEL void cast_real_to_int(GLOBAL const REAL* src, i64 srcOffset, GLOBAL int* dst, i64 dstOffset, i64 count) {
    for (i64 i = GLOBAL_ID(0); i < count; i += GLOBAL_SIZE(0)) {
        dst[dstOffset + i] = nb_to_int(src[srcOffset + i]);
    }
}

KERNEL void cast_int_to_real(GLOBAL const int* src, i64 srcOffset, GLOBAL REAL* dst, i64 dstOffset, i64 count) {
    for (i64 i = GLOBAL_ID(0); i < count; i += GLOBAL_SIZE(0)) {
        dst[dstOffset + i] = (REAL) src[srcOffset + i];
    }
}

/* float <-> REAL: in the double module these are the float32/float64 conversions. */
KERNEL void cast_float_to_real(GLOBAL const float* src, i64 srcOffset, GLOBAL REAL* dst, i64 dstOffset, i64 count) {
    for (i64 i = GLOBAL_ID(0); i < count; i += GLOBAL_SIZE(0)) {
        dst[dstOffset + i] = (REAL) src[srcOffset + i];
    }
}

KERNEL void cast_real_to_float(GLOBAL const REAL* src, i64 srcOffset, GLOBAL float* dst, i64 dstOffset, i64 count) {
    for (i64 i = GLOBAL_ID(0); i < count; i += GLOBAL_SIZE(0)) {
        dst[dstOffset + i] = (float) src[srcOffset + i];
    }
}

/*
 * Inverted dropout with Philox-4x32-10: work-item t draws the block for counter t (elements 4t..4t+3).
 * Element i is kept when its 24-bit uniform (bits >> 8) is >= threshold = ceil(p * 2^24), which
 * is exactly Philox.uniform(seed, i) >= p.
 */
KERNEL void dropout(u32 threshold, u32 k0, u32 k1, REAL scale, GLOBAL const REAL* x, i64 xOffset,
                    GLOBAL REAL* y, i64 yOffset, GLOBAL REAL* mask, i64 maskOffset, i64 count) {
    i64 blocks = (count + 3) / 4;
    for (i64 block = GLOBAL_ID(0); block < blocks; block += GLOBAL_SIZE(0)) {
        u32 bits[4];
        nb_philox((u32) block, (u32) ((u64) block >> 32), 0u, 0u, k0, k1, bits);
        for (int j = 0; j < 4; j++) {
            i64 i = block * 4 + j;
            if (i < count) {
                int keep = (bits[j] >> 8) >= threshold;
                mask[maskOffset + i] = keep ? scale : ZERO;
                y[yOffset + i] = keep ? x[xOffset + i] * scale : ZERO;
            }
        }
    }
}

/* SGD with PyTorch semantics; v is only touched when momentum != 0. */
KERNEL void sgd_step(GLOBAL REAL* param, i64 pOffset, GLOBAL const REAL* grad, i64 gOffset,
                     GLOBAL REAL* velocity, i64 vOffset, i64 count, REAL lr, REAL momentum,
                     REAL dampening, REAL weightDecay, int nesterov, int firstStep) {
    for (i64 i = GLOBAL_ID(0); i < count; i += GLOBAL_SIZE(0)) {
        REAL p = param[pOffset + i];
        REAL g = grad[gOffset + i];
        if (weightDecay != 0) g += weightDecay * p;
        if (momentum != 0) {
            REAL v = firstStep ? g : momentum * velocity[vOffset + i] + (ONE - dampening) * g;
            velocity[vOffset + i] = v;
            g = nesterov ? g + momentum * v : v;
        }
        param[pOffset + i] = p - lr * g;
    }
}

/* Adam / AdamW; biasCorrection1 = 1 - beta1^step and biasCorrection2 = 1 - beta2^step from the host. */
KERNEL void adam_step(GLOBAL REAL* param, i64 pOffset, GLOBAL const REAL* grad, i64 gOffset,
                      GLOBAL REAL* m, i64 mOffset, GLOBAL REAL* v, i64 vOffset, i64 count,
                      REAL lr, REAL beta1, REAL beta2, REAL eps, REAL weightDecay, int decoupled,
                      REAL biasCorrection1, REAL biasCorrection2) {
    for (i64 i = GLOBAL_ID(0); i < count; i += GLOBAL_SIZE(0)) {
        REAL p = param[pOffset + i];
        REAL g = grad[gOffset + i];
        if (weightDecay != 0) {
            if (decoupled) p *= ONE - lr * weightDecay;
            else g += weightDecay * p;
        }
        REAL mi = beta1 * m[mOffset + i] + (ONE - beta1) * g;
        REAL vi = beta2 * v[vOffset + i] + (ONE - beta2) * g * g;
        m[mOffset + i] = mi;
        v[vOffset + i] = vi;
        param[pOffset + i] = p - lr * (mi / biasCorrection1) / (sqrt(vi / biasCorrection2) + eps);
    }
}

/*
 * out[o, index[o, j, i], i] += src[o, j, i]: one work-item per (o, i) column, adding its j in
 * order, so the sums do not depend on scheduling and no atomics are needed.
 */
KERNEL void scatter_add(GLOBAL const REAL* src, i64 srcOffset, int outer, int count, int inner,
                        GLOBAL const int* index, i64 indexOffset, i64 so, i64 sj, i64 si,
                        GLOBAL REAL* out, i64 outOffset, int extent) {
    i64 columns = (i64) outer * inner;
    for (i64 t = GLOBAL_ID(0); t < columns; t += GLOBAL_SIZE(0)) {
        i64 o = t / inner;
        i64 i = t - o * inner;
        for (int j = 0; j < count; j++) {
            i64 e = index[indexOffset + o * so + j * sj + i * si];
            out[outOffset + (o * extent + e) * inner + i] += src[srcOffset + (o * count + j) * inner + i];
        }
    }
}
