package dev.nabla.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Float32 GEMM for shapes the packed kernel ({@link GemmF32}) wastes work on: fewer columns than
 * its {@code nr = 32} (the 10 logits of a classifier, the 3 classes of iris), fewer rows than its
 * {@code mr = 12}, a short k, or so little work that packing costs more than the product. Measured on the
 * 4-256-3 network's products: 120x256x3 took 22 µs packed (edge tiles compute 32 columns for 3),
 * 256x120x3 (transposed A) 30 µs.
 *
 * <p>Two unpacked kernels on the Vector API, each element of C summed over k in one order:
 * <ul>
 *   <li><b>rows</b>: {@code C[i, j..j+64) = Σ_p A(i,p)·B[p, j..j+64)} with B's rows contiguous,
 *       four accumulators in registers. Used as is when B is not transposed (or is small enough to
 *       transpose), and on the transposed problem {@code Cᵀ = op(B)ᵀ·op(A)ᵀ} when A is transposed
 *       and C has few columns: then {@code op(A)ᵀ}'s rows are A's stored rows. Its output goes
 *       through a scratch tile and is transposed into C.</li>
 *   <li><b>dots</b>: {@code C[i, j] = A(i,:)·B(:,j)} with both contiguous along k (A or Bᵀ
 *       copied into scratch first when not), for few columns and a not-transposed A.</li>
 * </ul>
 * Loaded only through {@link VectorMath}, after the module check.
 */
final class SmallGemm {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Products up to this many multiply-adds go here whatever their shape: packing would dominate. */
    static final long SMALL_WORK = 48L * 48 * 48;
    /** Per-thread scratch: packed operands and transposed results. */
    private static final ThreadLocal<float[]> SCRATCH = ThreadLocal.withInitial(() -> new float[4096]);

    private SmallGemm() {
    }

    /**
     * Whether this shape goes here rather than to the packed kernel of {@code mr x nr}: a partial
     * tile in every row or column, a short k (the packed kernel loads and stores its C tile for
     * every k panel), or little work.
     */
    static boolean suits(int m, int n, int k, int mr, int nr) {
        return n < nr || m < mr || k < 16 || (long) m * n * k <= SMALL_WORK;
    }

    /** {@code C = alpha·op(A)·op(B) + beta·C} (row-major; beta == 0 does not read C). */
    static void gemm(boolean ta, boolean tb, int m, int n, int k, float alpha, float[] a, int aOff, int lda,
                     float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0 || alpha == 0) {
            GemmF32.scale(beta, m, n, c, cOff, ldc);
            return;
        }
        // A(i, p) = a[aOff + i·ars + p·acs]
        int ars = ta ? 1 : lda;
        int acs = ta ? lda : 1;
        if (n >= L && (!tb || (long) k * n <= 1 << 16)) {
            if (tb) {
                float[] bp = scratch((long) k * n);
                transpose(b, bOff, ldb, k, n, bp);
                rows(m, n, k, alpha, a, aOff, ars, acs, bp, 0, n, beta, c, cOff, ldc);
            } else {
                rows(m, n, k, alpha, a, aOff, ars, acs, b, bOff, ldb, beta, c, cOff, ldc);
            }
        } else if (ta && m >= L) {
            // Cᵀ (n x m) = op(B)ᵀ · op(A)ᵀ, where op(A)ᵀ is A as stored (k x m, rows contiguous).
            float[] t = scratch((long) n * m);
            rows(n, m, k, 1f, b, bOff, tb ? ldb : 1, tb ? 1 : ldb, a, aOff, lda, 0f, t, 0, m);
            for (int i = 0; i < m; i++) {
                int row = cOff + i * ldc;
                for (int j = 0; j < n; j++) {
                    float v = alpha * t[j * m + i];
                    c[row + j] = beta == 0 ? v : v + beta * c[row + j];
                }
            }
        } else {
            // dots need A's rows and B's columns contiguous along k: copy what is not.
            long need = (ta ? (long) m * k : 0) + (tb ? 0 : (long) n * k);
            float[] s = scratch(need);
            float[] ap = a;
            int ao = aOff;
            int al = lda;
            int used = 0;
            if (ta) {
                transpose(a, aOff, lda, m, k, s);
                ap = s;
                ao = 0;
                al = k;
                used = m * k;
            }
            float[] bt = b;
            int bo = bOff;
            int bl = ldb;
            if (!tb) {
                transpose(b, bOff, ldb, n, k, s, used);
                bt = s;
                bo = used;
                bl = k;
            }
            dots(m, n, k, alpha, ap, ao, al, bt, bo, bl, beta, c, cOff, ldc);
        }
    }

    private static float[] scratch(long n) {
        float[] s = SCRATCH.get();
        if (s.length < n) {
            s = new float[(int) Math.max(n, 2L * s.length)];
            SCRATCH.set(s);
        }
        return s;
    }

    private static void transpose(float[] src, int off, int ld, int cols, int rows, float[] dst) {
        transpose(src, off, ld, cols, rows, dst, 0);
    }

    /** {@code dst[d + j·rows + p] = src[off + p·ld + j]} for a stored {@code rows x cols} matrix. */
    private static void transpose(float[] src, int off, int ld, int cols, int rows, float[] dst, int d) {
        for (int p = 0; p < rows; p++) {
            int s = off + p * ld;
            for (int j = 0; j < cols; j++) {
                dst[d + j * rows + p] = src[s + j];
            }
        }
    }

    /** O = alpha·A'·B + beta·O for A'(i,p) = a[aOff + i·ars + p·acs] (m x k) and B (k x n) with rows of stride ldb. */
    private static void rows(int m, int n, int k, float alpha, float[] a, int aOff, int ars, int acs, float[] b,
                             int bOff, int ldb, float beta, float[] o, int oOff, int ldo) {
        int j = 0;
        for (; j + 4 * L <= n; j += 4 * L) {
            for (int i = 0; i < m; i++) {
                FloatVector c0 = FloatVector.zero(S);
                FloatVector c1 = c0;
                FloatVector c2 = c0;
                FloatVector c3 = c0;
                int ap = aOff + i * ars;
                int bp = bOff + j;
                for (int p = 0; p < k; p++) {
                    FloatVector av = FloatVector.broadcast(S, a[ap]);
                    c0 = av.fma(FloatVector.fromArray(S, b, bp), c0);
                    c1 = av.fma(FloatVector.fromArray(S, b, bp + L), c1);
                    c2 = av.fma(FloatVector.fromArray(S, b, bp + 2 * L), c2);
                    c3 = av.fma(FloatVector.fromArray(S, b, bp + 3 * L), c3);
                    ap += acs;
                    bp += ldb;
                }
                int oo = oOff + i * ldo + j;
                store(c0, alpha, beta, o, oo);
                store(c1, alpha, beta, o, oo + L);
                store(c2, alpha, beta, o, oo + 2 * L);
                store(c3, alpha, beta, o, oo + 3 * L);
            }
        }
        for (; j + L <= n; j += L) {
            for (int i = 0; i < m; i++) {
                FloatVector c0 = FloatVector.zero(S);
                int ap = aOff + i * ars;
                int bp = bOff + j;
                for (int p = 0; p < k; p++) {
                    c0 = FloatVector.broadcast(S, a[ap]).fma(FloatVector.fromArray(S, b, bp), c0);
                    ap += acs;
                    bp += ldb;
                }
                store(c0, alpha, beta, o, oOff + i * ldo + j);
            }
        }
        for (; j < n; j++) {
            for (int i = 0; i < m; i++) {
                float acc = 0;
                int ap = aOff + i * ars;
                int bp = bOff + j;
                for (int p = 0; p < k; p++) {
                    acc = Math.fma(a[ap], b[bp], acc);
                    ap += acs;
                    bp += ldb;
                }
                int oo = oOff + i * ldo + j;
                o[oo] = beta == 0 ? alpha * acc : alpha * acc + beta * o[oo];
            }
        }
    }

    private static void store(FloatVector acc, float alpha, float beta, float[] o, int oo) {
        FloatVector v = acc.mul(alpha);
        if (beta != 0) {
            v = FloatVector.fromArray(S, o, oo).fma(FloatVector.broadcast(S, beta), v);
        }
        v.intoArray(o, oo);
    }

    /** C = alpha·A·Bᵀ' + beta·C where A (m x k) rows and Bt (n x k) rows are contiguous along k. */
    private static void dots(int m, int n, int k, float alpha, float[] a, int aOff, int lda, float[] bt, int btOff,
                             int ldbt, float beta, float[] c, int cOff, int ldc) {
        int bound = S.loopBound(k);
        float[] lanes = new float[L];
        for (int i = 0; i < m; i++) {
            int ar = aOff + i * lda;
            int j = 0;
            for (; j + 4 <= n; j += 4) {
                int b0 = btOff + j * ldbt;
                int b1 = b0 + ldbt;
                int b2 = b1 + ldbt;
                int b3 = b2 + ldbt;
                FloatVector s0 = FloatVector.zero(S);
                FloatVector s1 = s0;
                FloatVector s2 = s0;
                FloatVector s3 = s0;
                int p = 0;
                for (; p < bound; p += L) {
                    FloatVector av = FloatVector.fromArray(S, a, ar + p);
                    s0 = av.fma(FloatVector.fromArray(S, bt, b0 + p), s0);
                    s1 = av.fma(FloatVector.fromArray(S, bt, b1 + p), s1);
                    s2 = av.fma(FloatVector.fromArray(S, bt, b2 + p), s2);
                    s3 = av.fma(FloatVector.fromArray(S, bt, b3 + p), s3);
                }
                int row = cOff + i * ldc + j;
                put(c, row, alpha, beta, finish(s0, lanes, a, ar, bt, b0, p, k));
                put(c, row + 1, alpha, beta, finish(s1, lanes, a, ar, bt, b1, p, k));
                put(c, row + 2, alpha, beta, finish(s2, lanes, a, ar, bt, b2, p, k));
                put(c, row + 3, alpha, beta, finish(s3, lanes, a, ar, bt, b3, p, k));
            }
            for (; j < n; j++) {
                int b0 = btOff + j * ldbt;
                FloatVector s0 = FloatVector.zero(S);
                int p = 0;
                for (; p < bound; p += L) {
                    s0 = FloatVector.fromArray(S, a, ar + p).fma(FloatVector.fromArray(S, bt, b0 + p), s0);
                }
                put(c, cOff + i * ldc + j, alpha, beta, finish(s0, lanes, a, ar, bt, b0, p, k));
            }
        }
    }

    /** The lanes of {@code s} added in order, then the products of the tail {@code [p, k)}. */
    private static float finish(FloatVector s, float[] lanes, float[] a, int ar, float[] bt, int br, int p, int k) {
        s.intoArray(lanes, 0);
        float acc = 0;
        for (float lane : lanes) {
            acc += lane;
        }
        for (; p < k; p++) {
            acc = Math.fma(a[ar + p], bt[br + p], acc);
        }
        return acc;
    }

    private static void put(float[] c, int index, float alpha, float beta, float value) {
        c[index] = beta == 0 ? alpha * value : alpha * value + beta * c[index];
    }
}
