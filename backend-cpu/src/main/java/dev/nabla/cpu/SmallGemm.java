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
            for (int j = 0; j < n; j++) {
                int from = j * m;
                for (int i = 0; i < m; i++) {
                    int ci = cOff + i * ldc + j;
                    float v = alpha * t[from + i];
                    c[ci] = beta == 0 ? v : v + beta * c[ci];
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

    /**
     * The lanes of {@code v} added as a fixed tree (lane i + L/2 onto lane i, then i + L/4...):
     * the same bits in every JIT tier, which {@code reduceLanes(ADD)} does not promise.
     */
    private static float treeSum(FloatVector v, float[] lanes) {
        v.intoArray(lanes, 0);
        if (L == 16) {
            float u0 = lanes[0] + lanes[8];
            float u1 = lanes[1] + lanes[9];
            float u2 = lanes[2] + lanes[10];
            float u3 = lanes[3] + lanes[11];
            float u4 = lanes[4] + lanes[12];
            float u5 = lanes[5] + lanes[13];
            float u6 = lanes[6] + lanes[14];
            float u7 = lanes[7] + lanes[15];
            float v0 = u0 + u4;
            float v1 = u1 + u5;
            float v2 = u2 + u6;
            float v3 = u3 + u7;
            return (v0 + v2) + (v1 + v3);
        }
        for (int w = L / 2; w >= 1; w /= 2) {
            for (int q = 0; q < w; q++) {
                lanes[q] += lanes[q + w];
            }
        }
        return lanes[0];
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

    /**
     * {@code dst[d + j·rows + p] = src[off + p·ld + j]} for a stored {@code rows x cols} matrix;
     * the longer dimension is the inner loop (3 columns as the inner loop cost more than the copy).
     */
    private static void transpose(float[] src, int off, int ld, int cols, int rows, float[] dst, int d) {
        if (cols >= rows) {
            for (int p = 0; p < rows; p++) {
                int s = off + p * ld;
                for (int j = 0; j < cols; j++) {
                    dst[d + j * rows + p] = src[s + j];
                }
            }
        } else {
            for (int j = 0; j < cols; j++) {
                int t = d + j * rows;
                for (int p = 0; p < rows; p++) {
                    dst[t + p] = src[off + p * ld + j];
                }
            }
        }
    }

    /**
     * O = alpha·A'·B + beta·O for A'(i,p) = a[aOff + i·ars + p·acs] (m x k) and B (k x n) with rows
     * of stride ldb. Blocks of 4 rows x 2 vectors (eight independent accumulators, enough to keep
     * both FMA pipes busy through their latency), the rows left over in pairs of 2 x 4 vectors and
     * alone 1 x 4, then single vectors and scalar columns.
     */
    private static void rows(int m, int n, int k, float alpha, float[] a, int aOff, int ars, int acs, float[] b,
                             int bOff, int ldb, float beta, float[] o, int oOff, int ldo) {
        int i = 0;
        for (; i + 4 <= m; i += 4) {
            int j = 0;
            for (; j + 2 * L <= n; j += 2 * L) {
                FloatVector c00 = FloatVector.zero(S);
                FloatVector c01 = c00;
                FloatVector c10 = c00;
                FloatVector c11 = c00;
                FloatVector c20 = c00;
                FloatVector c21 = c00;
                FloatVector c30 = c00;
                FloatVector c31 = c00;
                int ap = aOff + i * ars;
                int bp = bOff + j;
                for (int p = 0; p < k; p++) {
                    FloatVector b0 = FloatVector.fromArray(S, b, bp);
                    FloatVector b1 = FloatVector.fromArray(S, b, bp + L);
                    FloatVector a0 = FloatVector.broadcast(S, a[ap]);
                    c00 = a0.fma(b0, c00);
                    c01 = a0.fma(b1, c01);
                    FloatVector a1 = FloatVector.broadcast(S, a[ap + ars]);
                    c10 = a1.fma(b0, c10);
                    c11 = a1.fma(b1, c11);
                    FloatVector a2 = FloatVector.broadcast(S, a[ap + 2 * ars]);
                    c20 = a2.fma(b0, c20);
                    c21 = a2.fma(b1, c21);
                    FloatVector a3 = FloatVector.broadcast(S, a[ap + 3 * ars]);
                    c30 = a3.fma(b0, c30);
                    c31 = a3.fma(b1, c31);
                    ap += acs;
                    bp += ldb;
                }
                int oo = oOff + i * ldo + j;
                store(c00, alpha, beta, o, oo);
                store(c01, alpha, beta, o, oo + L);
                store(c10, alpha, beta, o, oo + ldo);
                store(c11, alpha, beta, o, oo + ldo + L);
                store(c20, alpha, beta, o, oo + 2 * ldo);
                store(c21, alpha, beta, o, oo + 2 * ldo + L);
                store(c30, alpha, beta, o, oo + 3 * ldo);
                store(c31, alpha, beta, o, oo + 3 * ldo + L);
            }
            rowsNarrow(i, i + 4, j, n, k, alpha, a, aOff, ars, acs, b, bOff, ldb, beta, o, oOff, ldo);
        }
        for (; i + 2 <= m; i += 2) {
            int j = 0;
            for (; j + 4 * L <= n; j += 4 * L) {
                FloatVector c00 = FloatVector.zero(S);
                FloatVector c01 = c00;
                FloatVector c02 = c00;
                FloatVector c03 = c00;
                FloatVector c10 = c00;
                FloatVector c11 = c00;
                FloatVector c12 = c00;
                FloatVector c13 = c00;
                int ap = aOff + i * ars;
                int bp = bOff + j;
                for (int p = 0; p < k; p++) {
                    FloatVector b0 = FloatVector.fromArray(S, b, bp);
                    FloatVector b1 = FloatVector.fromArray(S, b, bp + L);
                    FloatVector b2 = FloatVector.fromArray(S, b, bp + 2 * L);
                    FloatVector b3 = FloatVector.fromArray(S, b, bp + 3 * L);
                    FloatVector a0 = FloatVector.broadcast(S, a[ap]);
                    FloatVector a1 = FloatVector.broadcast(S, a[ap + ars]);
                    c00 = a0.fma(b0, c00);
                    c01 = a0.fma(b1, c01);
                    c02 = a0.fma(b2, c02);
                    c03 = a0.fma(b3, c03);
                    c10 = a1.fma(b0, c10);
                    c11 = a1.fma(b1, c11);
                    c12 = a1.fma(b2, c12);
                    c13 = a1.fma(b3, c13);
                    ap += acs;
                    bp += ldb;
                }
                int oo = oOff + i * ldo + j;
                store(c00, alpha, beta, o, oo);
                store(c01, alpha, beta, o, oo + L);
                store(c02, alpha, beta, o, oo + 2 * L);
                store(c03, alpha, beta, o, oo + 3 * L);
                store(c10, alpha, beta, o, oo + ldo);
                store(c11, alpha, beta, o, oo + ldo + L);
                store(c12, alpha, beta, o, oo + ldo + 2 * L);
                store(c13, alpha, beta, o, oo + ldo + 3 * L);
            }
            rowsNarrow(i, i + 2, j, n, k, alpha, a, aOff, ars, acs, b, bOff, ldb, beta, o, oOff, ldo);
        }
        for (; i < m; i++) {
            int j = 0;
            for (; j + 4 * L <= n; j += 4 * L) {
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
            rowsNarrow(i, i + 1, j, n, k, alpha, a, aOff, ars, acs, b, bOff, ldb, beta, o, oOff, ldo);
        }
    }

    /** Columns {@code [j0, n)} of rows {@code [i0, i1)}: single vectors, then scalars. */
    private static void rowsNarrow(int i0, int i1, int j0, int n, int k, float alpha, float[] a, int aOff, int ars,
                                   int acs, float[] b, int bOff, int ldb, float beta, float[] o, int oOff, int ldo) {
        int j = j0;
        for (; j + L <= n; j += L) {
            for (int i = i0; i < i1; i++) {
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
            for (int i = i0; i < i1; i++) {
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

    /**
     * C = alpha·A·Btᵀ + beta·C where A (m x k) rows and Bt (n x k) rows are contiguous along k.
     * Two rows of A against four rows of Bt at a time (eight accumulators); a missing fourth column
     * or second row repeats a real one and is not stored. Each dot's lanes are added as a fixed
     * tree, then the k tail in order: the same bits on every call.
     */
    private static void dots(int m, int n, int k, float alpha, float[] a, int aOff, int lda, float[] bt, int btOff,
                             int ldbt, float beta, float[] c, int cOff, int ldc) {
        int bound = S.loopBound(k);
        float[] lanes = new float[L];
        for (int i = 0; i < m; i += 2) {
            int r0 = aOff + i * lda;
            int r1 = i + 1 < m ? r0 + lda : r0;
            for (int j = 0; j < n; j += 4) {
                int b0 = btOff + j * ldbt;
                int b1 = j + 1 < n ? b0 + ldbt : b0;
                int b2 = j + 2 < n ? b0 + 2 * ldbt : b0;
                int b3 = j + 3 < n ? b0 + 3 * ldbt : b0;
                FloatVector s00 = FloatVector.zero(S);
                FloatVector s01 = s00;
                FloatVector s02 = s00;
                FloatVector s03 = s00;
                FloatVector s10 = s00;
                FloatVector s11 = s00;
                FloatVector s12 = s00;
                FloatVector s13 = s00;
                for (int p = 0; p < bound; p += L) {
                    FloatVector a0 = FloatVector.fromArray(S, a, r0 + p);
                    FloatVector a1 = FloatVector.fromArray(S, a, r1 + p);
                    FloatVector v0 = FloatVector.fromArray(S, bt, b0 + p);
                    FloatVector v1 = FloatVector.fromArray(S, bt, b1 + p);
                    FloatVector v2 = FloatVector.fromArray(S, bt, b2 + p);
                    FloatVector v3 = FloatVector.fromArray(S, bt, b3 + p);
                    s00 = a0.fma(v0, s00);
                    s01 = a0.fma(v1, s01);
                    s02 = a0.fma(v2, s02);
                    s03 = a0.fma(v3, s03);
                    s10 = a1.fma(v0, s10);
                    s11 = a1.fma(v1, s11);
                    s12 = a1.fma(v2, s12);
                    s13 = a1.fma(v3, s13);
                }
                int row1 = i + 1 < m ? i + 1 : -1;
                dot(c, cOff + i * ldc, j, n, alpha, beta, treeSum(s00, lanes), treeSum(s01, lanes), treeSum(s02, lanes),
                        treeSum(s03, lanes),
                        a, r0, bt, b0, b1, b2, b3, bound, k);
                if (row1 >= 0) {
                    dot(c, cOff + row1 * ldc, j, n, alpha, beta, treeSum(s10, lanes), treeSum(s11, lanes),
                            treeSum(s12, lanes), treeSum(s13, lanes), a, r1, bt, b0, b1, b2, b3, bound, k);
                }
            }
        }
    }

    /** Finishes up to four dots of one row of C: the k tail in order, then alpha and beta. */
    private static void dot(float[] c, int row, int j, int n, float alpha, float beta, float d0, float d1, float d2,
                            float d3, float[] a, int ar, float[] bt, int b0, int b1, int b2, int b3, int p0, int k) {
        for (int p = p0; p < k; p++) {
            float x = a[ar + p];
            d0 = Math.fma(x, bt[b0 + p], d0);
            d1 = Math.fma(x, bt[b1 + p], d1);
            d2 = Math.fma(x, bt[b2 + p], d2);
            d3 = Math.fma(x, bt[b3 + p], d3);
        }
        put(c, row + j, alpha, beta, d0);
        if (j + 1 < n) {
            put(c, row + j + 1, alpha, beta, d1);
        }
        if (j + 2 < n) {
            put(c, row + j + 2, alpha, beta, d2);
        }
        if (j + 3 < n) {
            put(c, row + j + 3, alpha, beta, d3);
        }
    }

    private static void put(float[] c, int index, float alpha, float beta, float value) {
        c[index] = beta == 0 ? alpha * value : alpha * value + beta * c[index];
    }
}
