/*
 * Elementwise kernels on REAL (float or double): unary ops and their gradients, binary ops with
 * broadcasting strides, casts, dropout and the fused optimizer updates. Every loop is a
 * grid-stride loop, so any global size works and counts above 2^31 are fine.
 *
 * Op codes match dev.nabla.gpu.OpCodes; each expression transcribes the scalar reference of
 * dev.nabla.backend.UnaryOp / BinaryOp.
 */

#define U_NEG 0
#define U_EXP 1
#define U_LOG 2
#define U_SQRT 3
#define U_ABS 4
#define U_RELU 5
#define U_LEAKY_RELU 6
#define U_SIGMOID 7
#define U_TANH 8
#define U_POW 9
#define U_SCALE 10
#define U_ADD_SCALAR 11
#define U_RECIPROCAL 12
#define U_SQUARE 13
#define U_SIGN 14

#define B_ADD 0
#define B_SUB 1
#define B_MUL 2
#define B_DIV 3
#define B_MAX 4
#define B_MIN 5
#define B_POW 6
#define B_EQ 7
#define B_NE 8
#define B_LT 9
#define B_LE 10
#define B_GT 11
#define B_GE 12

#define ONE ((REAL) 1)
#define ZERO ((REAL) 0)

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

INLINE REAL unary_apply(int op, REAL x, REAL p) {
    switch (op) {
        case U_NEG: return -x;
        case U_EXP: return exp(x);
        case U_LOG: return log(x);
        case U_SQRT: return sqrt(x);
        case U_ABS: return fabs(x);
        case U_RELU: return x > 0 ? x : ZERO;
        case U_LEAKY_RELU: return x > 0 ? x : p * x;
        case U_SIGMOID: return ONE / (ONE + exp(-x));
        case U_TANH: return tanh(x);
        case U_POW: return pow(x, p);
        case U_SCALE: return x * p;
        case U_ADD_SCALAR: return x + p;
        case U_RECIPROCAL: return ONE / x;
        case U_SQUARE: return x * x;
        case U_SIGN: return x > 0 ? ONE : x < 0 ? -ONE : ZERO;
        default: return NAN;
    }
}

/* dy/dx given input x and output y (UnaryOp.derivative). */
INLINE REAL unary_derivative(int op, REAL x, REAL y, REAL p) {
    switch (op) {
        case U_NEG: return -ONE;
        case U_EXP: return y;
        case U_LOG: return ONE / x;
        case U_SQRT: return (REAL) 0.5f / y;
        case U_ABS: return x > 0 ? ONE : x < 0 ? -ONE : ZERO;
        case U_RELU: return x > 0 ? ONE : ZERO;
        case U_LEAKY_RELU: return x > 0 ? ONE : p;
        case U_SIGMOID: return y * (ONE - y);
        case U_TANH: return ONE - y * y;
        case U_POW: return p == 0 ? ZERO : p * pow(x, p - ONE);
        case U_SCALE: return p;
        case U_ADD_SCALAR: return ONE;
        case U_RECIPROCAL: return -y * y;
        case U_SQUARE: return (REAL) 2 * x;
        case U_SIGN: return ZERO;
        default: return NAN;
    }
}

INLINE REAL binary_apply(int op, REAL a, REAL b) {
    switch (op) {
        case B_ADD: return a + b;
        case B_SUB: return a - b;
        case B_MUL: return a * b;
        case B_DIV: return a / b;
        case B_MAX: return nb_max(a, b);
        case B_MIN: return nb_min(a, b);
        case B_POW: return pow(a, b);
        case B_EQ: return a == b ? ONE : ZERO;
        case B_NE: return a != b ? ONE : ZERO;
        case B_LT: return a < b ? ONE : ZERO;
        case B_LE: return a <= b ? ONE : ZERO;
        case B_GT: return a > b ? ONE : ZERO;
        case B_GE: return a >= b ? ONE : ZERO;
        default: return NAN;
    }
}

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
