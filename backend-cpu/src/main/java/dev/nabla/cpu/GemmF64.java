// Generated from GemmF32.java by backend-cpu/tools/generate.sh: edit GemmF32.java, not this file.
package dev.nabla.cpu;

/**
 * Float64 GEMM, BLIS style: {@code C = alpha·op(A)·op(B) + beta·C}, row-major. B is packed in
 * {@code KB x NC} chunks of {@code KC x nr} micro-panels, A in {@code MC x KC} blocks of
 * {@code mr}-row micro-panels (alpha folded in); the micro-kernel multiplies one pair of
 * micro-panels into an {@code mr x nr} tile of C held in registers. Transposes are handled by the
 * packing, never materialised. Threads take independent slices of C (columns or rows, whichever
 * repeats the cheaper packing), each with its own packing buffers, so they never wait for each
 * other.
 */
final class GemmF64 {
    private static final ThreadLocal<double[][]> WORKSPACE = new ThreadLocal<>();

    private GemmF64() {
    }

    static void gemm(MicroKernel.F64 kernel, Parallel par, boolean ta, boolean tb, int m, int n, int k, double alpha,
                     double[] a, int aOff, int lda, double[] b, int bOff, int ldb, double beta, double[] c, int cOff,
                     int ldc) {
        if (m == 0 || n == 0) {
            return;
        }
        long flops = 2L * m * n * k + (long) m * n;
        // Each thread packs all of the operand that is not split: split the dimension whose
        // packing is dearer to repeat. Packing a non-transposed A (or a transposed B) is a
        // transpose, about three times the cost of the row copies of the other case.
        long repeatA = (long) m * (ta ? 1 : 3);
        long repeatB = (long) n * (tb ? 3 : 1);
        boolean splitN = m < 2 * kernel.mr || (n >= 2 * kernel.nr && repeatA <= repeatB);
        if (splitN) {
            int align = kernel.nr;
            par.forRange(n, align, flops, GemmBlocking.PARALLEL_FLOPS, (j0, j1) -> serial(kernel, ta, tb, m, j1 - j0,
                    k, alpha, a, aOff, lda, b, bOff + (tb ? j0 * ldb : j0), ldb, beta, c, cOff + j0, ldc));
        } else {
            int align = kernel.mr;
            par.forRange(m, align, flops, GemmBlocking.PARALLEL_FLOPS, (i0, i1) -> serial(kernel, ta, tb, i1 - i0, n,
                    k, alpha, a, aOff + (ta ? i0 : i0 * lda), lda, b, bOff, ldb, beta, c, cOff + i0 * ldc, ldc));
        }
    }

    /**
     * One thread's whole problem. Loop order jc, kb, ic, pc, jr, ir: a {@code KB x NC} chunk of B is
     * packed once, then for each block of {@code MC} rows of A (by default a single micro-panel,
     * which stays in L1) the B micro-panels stream past it from L2/L3 while the
     * {@code MC x NC} strip of C stays in cache across the KC steps of the chunk. Measured on the
     * Zen 5 this ran at ~195 GFLOP/s against ~160 for the textbook BLIS order that keeps a B
     * micro-panel in L1 (with C streamed once per KC step it was ~150).
     */
    static void serial(MicroKernel.F64 kernel, boolean ta, boolean tb, int m, int n, int k, double alpha,
                       double[] a, int aOff, int lda, double[] b, int bOff, int ldb, double beta, double[] c, int cOff,
                       int ldc) {
        scale(beta, m, n, c, cOff, ldc);
        if (k == 0 || alpha == 0) {
            return;
        }
        int mr = kernel.mr;
        int nr = kernel.nr;
        int kcMax = GemmBlocking.kc(Double.BYTES);
        int mcMax = GemmBlocking.mc(mr);
        int ncMax = GemmBlocking.nc(nr, Double.BYTES);
        int kbMax = GemmBlocking.kb(kcMax);
        int ncPadMax = (Math.min(n, ncMax) + nr - 1) / nr * nr;
        double[][] ws = workspace(mcMax * kcMax, Math.min(k, kbMax) * ncPadMax, mr * nr);
        double[] ap = ws[0];
        double[] bp = ws[1];
        double[] tile = ws[2];
        for (int jc = 0; jc < n; jc += ncMax) {
            int nc = Math.min(ncMax, n - jc);
            int ncPad = (nc + nr - 1) / nr * nr;
            for (int kb = 0; kb < k; kb += kbMax) {
                int kbLen = Math.min(kbMax, k - kb);
                for (int pc = 0; pc < kbLen; pc += kcMax) {
                    packB(tb, b, bOff, ldb, kb + pc, jc, Math.min(kcMax, kbLen - pc), nc, nr, bp, pc * ncPad);
                }
                for (int ic = 0; ic < m; ic += mcMax) {
                    int mc = Math.min(mcMax, m - ic);
                    for (int pc = 0; pc < kbLen; pc += kcMax) {
                        int kc = Math.min(kcMax, kbLen - pc);
                        packA(ta, a, aOff, lda, ic, kb + pc, mc, kc, mr, alpha, ap);
                        for (int jr = 0; jr < nc; jr += nr) {
                            int nrr = Math.min(nr, nc - jr);
                            int bo = pc * ncPad + jr * kc;
                            for (int ir = 0; ir < mc; ir += mr) {
                                int mrr = Math.min(mr, mc - ir);
                                int ao = ir * kc;
                                int co = cOff + (ic + ir) * ldc + jc + jr;
                                if (mrr == mr && nrr == nr) {
                                    kernel.run(kc, ap, ao, bp, bo, c, co, ldc);
                                } else {
                                    edge(kernel, kc, ap, ao, bp, bo, tile, c, co, ldc, mrr, nrr);
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /** A partial tile: the kernel runs on a zeroed {@code mr x nr} scratch tile, then the valid part is added to C. */
    private static void edge(MicroKernel.F64 kernel, int kc, double[] ap, int ao, double[] bp, int bo, double[] tile,
                             double[] c, int co, int ldc, int rows, int cols) {
        int nr = kernel.nr;
        java.util.Arrays.fill(tile, 0, kernel.mr * nr, 0d);
        kernel.run(kc, ap, ao, bp, bo, tile, 0, nr);
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                c[co + i * ldc + j] += tile[i * nr + j];
            }
        }
    }

    /** {@code C = beta·C}; beta == 0 writes zeros without reading C (NaN there does not propagate). */
    static void scale(double beta, int m, int n, double[] c, int cOff, int ldc) {
        if (beta == 1) {
            return;
        }
        for (int i = 0; i < m; i++) {
            int row = cOff + i * ldc;
            if (beta == 0) {
                java.util.Arrays.fill(c, row, row + n, 0d);
            } else {
                for (int j = 0; j < n; j++) {
                    c[row + j] *= beta;
                }
            }
        }
    }

    private static double[][] workspace(int aSize, int bSize, int tileSize) {
        double[][] ws = WORKSPACE.get();
        if (ws == null || ws[0].length < aSize || ws[1].length < bSize || ws[2].length < tileSize) {
            ws = new double[][] {new double[aSize], new double[bSize], new double[tileSize]};
            WORKSPACE.set(ws);
        }
        return ws;
    }

    /**
     * Packs {@code op(B)[pc..pc+kc, jc..jc+nc]} from {@code bp[base]} on into micro-panels of
     * {@code nr} columns, each k-major ({@code bp[base + panel·kc·nr + p·nr + j]}), zero-padded to a
     * whole panel.
     */
    static void packB(boolean tb, double[] b, int bOff, int ldb, int pc, int jc, int kc, int nc, int nr, double[] bp,
                      int base) {
        for (int jr = 0; jr < nc; jr += nr) {
            int w = Math.min(nr, nc - jr);
            int dst = base + jr * kc;
            if (!tb) {
                int src = bOff + pc * ldb + jc + jr;
                for (int p = 0; p < kc; p++) {
                    System.arraycopy(b, src, bp, dst, w);
                    if (w < nr) {
                        java.util.Arrays.fill(bp, dst + w, dst + nr, 0d);
                    }
                    src += ldb;
                    dst += nr;
                }
            } else {
                for (int j = 0; j < w; j++) {
                    int src = bOff + (jc + jr + j) * ldb + pc;
                    for (int p = 0; p < kc; p++) {
                        bp[dst + p * nr + j] = b[src + p];
                    }
                }
                for (int j = w; j < nr; j++) {
                    for (int p = 0; p < kc; p++) {
                        bp[dst + p * nr + j] = 0d;
                    }
                }
            }
        }
    }

    /**
     * Packs {@code alpha·op(A)[ic..ic+mc, pc..pc+kc]} into micro-panels of {@code mr} rows, each
     * k-major ({@code ap[panel·kc·mr + p·mr + i]}), zero-padded to a whole panel.
     */
    static void packA(boolean ta, double[] a, int aOff, int lda, int ic, int pc, int mc, int kc, int mr, double alpha,
                      double[] ap) {
        for (int ir = 0; ir < mc; ir += mr) {
            int h = Math.min(mr, mc - ir);
            int dst = ir * kc;
            if (ta) {
                int src = aOff + pc * lda + ic + ir;
                for (int p = 0; p < kc; p++) {
                    int d = dst + p * mr;
                    for (int i = 0; i < h; i++) {
                        ap[d + i] = alpha * a[src + i];
                    }
                    for (int i = h; i < mr; i++) {
                        ap[d + i] = 0d;
                    }
                    src += lda;
                }
            } else if (h == 12 && mr == 12) {
                packRows12(a, aOff + (ic + ir) * lda + pc, lda, kc, alpha, ap, dst);
            } else {
                for (int i = 0; i < h; i++) {
                    int src = aOff + (ic + ir + i) * lda + pc;
                    for (int p = 0; p < kc; p++) {
                        ap[dst + p * mr + i] = alpha * a[src + p];
                    }
                }
                for (int i = h; i < mr; i++) {
                    for (int p = 0; p < kc; p++) {
                        ap[dst + p * mr + i] = 0d;
                    }
                }
            }
        }
    }

    /** The 12-row transpose of {@link #packA}, written out: ~1.5x faster than the loop over rows. */
    private static void packRows12(double[] a, int s0, int lda, int kc, double alpha, double[] ap, int dst) {
        for (int p = 0; p < kc; p++) {
            int d = dst + p * 12;
            int s = s0 + p;
            ap[d] = alpha * a[s];
            ap[d + 1] = alpha * a[s + lda];
            ap[d + 2] = alpha * a[s + 2 * lda];
            ap[d + 3] = alpha * a[s + 3 * lda];
            ap[d + 4] = alpha * a[s + 4 * lda];
            ap[d + 5] = alpha * a[s + 5 * lda];
            ap[d + 6] = alpha * a[s + 6 * lda];
            ap[d + 7] = alpha * a[s + 7 * lda];
            ap[d + 8] = alpha * a[s + 8 * lda];
            ap[d + 9] = alpha * a[s + 9 * lda];
            ap[d + 10] = alpha * a[s + 10 * lda];
            ap[d + 11] = alpha * a[s + 11 * lda];
        }
    }
}
