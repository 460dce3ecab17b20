package dev.nabla.backend.contract;

import static dev.nabla.backend.contract.CheckSupport.assertClose;

import dev.nabla.DType;
import dev.nabla.backend.Backend;
import dev.nabla.backend.Buffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** gemm and gemmBatched against a double reference: shapes, transposes, leading dimensions, alpha/beta. */
final class GemmChecks {
    /** (m, n, k): 1, odd, prime, non-square, skinny both ways, and a few past typical block sizes. */
    private static final int[][] SHAPES = {
        {1, 1, 1}, {2, 3, 5}, {5, 3, 2}, {7, 17, 33}, {33, 65, 17}, {127, 1, 257}, {1, 257, 127},
        {65, 64, 63}, {17, 129, 7}, {130, 97, 96}, {257, 300, 129},
    };
    /** (alpha, beta) pairs cycled over the shapes; beta == 0 runs with NaN in C. */
    private static final double[][] SCALARS = {{1, 0}, {0.5, 2}, {-1.5, 1}, {2, -0.5}, {1, 1}, {0.75, 0}};

    private GemmChecks() {
    }

    static List<ContractCheck> all() {
        List<ContractCheck> list = new ArrayList<>();
        for (DType t : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            for (boolean ta : new boolean[] {false, true}) {
                for (boolean tb : new boolean[] {false, true}) {
                    list.add(new ContractCheck("gemm " + t.shortName() + " transA=" + ta + " transB=" + tb
                            + ": odd shapes, padded lda/ldb/ldc, offsets, alpha/beta",
                            b -> shapes(b, t, ta, tb)));
                }
            }
            list.add(new ContractCheck("gemm " + t.shortName() + ": beta=0 does not read C (NaN in C)",
                    b -> betaZeroIgnoresNaN(b, t)));
            list.add(new ContractCheck("gemm " + t.shortName() + ": k=0 gives beta*C, alpha=0 keeps beta*C",
                    b -> degenerate(b, t)));
            list.add(new ContractCheck("gemmBatched " + t.shortName() + ": strides, shared B (stride 0), padding",
                    b -> batched(b, t)));
        }
        return list;
    }

    /** One problem: everything {@link Backend#gemmBatched} takes, with the host data. */
    private static final class Problem {
        boolean ta;
        boolean tb;
        int m;
        int n;
        int k;
        int lda;
        int ldb;
        int ldc;
        int batch = 1;
        long aOff;
        long bOff;
        long cOff;
        long strideA;
        long strideB;
        long strideC;
        double alpha;
        double beta;
        double[] a;
        double[] b;
        double[] c;

        /** Builds padded host arrays: NaN where A and B are not part of a matrix, sentinels in C's padding. */
        Problem(SplittableRandom r, DType t, boolean ta, boolean tb, int m, int n, int k, int pad, int batch,
                boolean sharedB) {
            this.ta = ta;
            this.tb = tb;
            this.m = m;
            this.n = n;
            this.k = k;
            this.batch = batch;
            int aRows = ta ? k : m;
            int aCols = ta ? m : k;
            int bRows = tb ? n : k;
            int bCols = tb ? k : n;
            lda = Math.max(1, aCols + pad);
            ldb = Math.max(1, bCols + pad);
            ldc = Math.max(1, n + pad);
            aOff = 3;
            bOff = 1;
            cOff = 2;
            strideA = (long) aRows * lda + 5;
            strideB = sharedB ? 0 : (long) bRows * ldb + 2;
            strideC = (long) m * ldc + 4;
            a = matrixArea(r, t, aOff, strideA, batch, aRows, aCols, lda);
            b = matrixArea(r, t, bOff, strideB, sharedB ? 1 : batch, bRows, bCols, ldb);
            c = CheckSupport.sentinels((int) (cOff + strideC * batch + 3));
            for (int i = 0; i < batch; i++) {
                for (int row = 0; row < m; row++) {
                    for (int col = 0; col < n; col++) {
                        c[(int) (cOff + i * strideC + (long) row * ldc + col)] = CheckSupport.round(t, 2 * r.nextDouble() - 1);
                    }
                }
            }
        }

        private static double[] matrixArea(SplittableRandom r, DType t, long off, long stride, int count, int rows,
                                           int cols, int ld) {
            long size = off + stride * Math.max(0, count - 1) + (long) rows * ld + 3;
            double[] v = new double[(int) size];
            java.util.Arrays.fill(v, Double.NaN);
            for (int i = 0; i < count; i++) {
                for (int row = 0; row < rows; row++) {
                    for (int col = 0; col < cols; col++) {
                        v[(int) (off + i * stride + (long) row * ld + col)] = CheckSupport.round(t, 2 * r.nextDouble() - 1);
                    }
                }
            }
            return v;
        }

        /** Sets C's matrix elements to NaN, for beta == 0 (which must not read C). */
        void poisonC() {
            for (int i = 0; i < batch; i++) {
                for (int row = 0; row < m; row++) {
                    for (int col = 0; col < n; col++) {
                        c[(int) (cOff + i * strideC + (long) row * ldc + col)] = Double.NaN;
                    }
                }
            }
        }

        boolean[] written() {
            boolean[] w = new boolean[c.length];
            for (int i = 0; i < batch; i++) {
                for (int row = 0; row < m; row++) {
                    for (int col = 0; col < n; col++) {
                        w[(int) (cOff + i * strideC + (long) row * ldc + col)] = true;
                    }
                }
            }
            return w;
        }

        double[] reference() {
            double[] out = c.clone();
            for (int i = 0; i < batch; i++) {
                for (int row = 0; row < m; row++) {
                    for (int col = 0; col < n; col++) {
                        double sum = 0;
                        for (int p = 0; p < k; p++) {
                            long ai = aOff + i * strideA + (ta ? (long) p * lda + row : (long) row * lda + p);
                            long bi = bOff + i * strideB + (tb ? (long) col * ldb + p : (long) p * ldb + col);
                            sum += a[(int) ai] * b[(int) bi];
                        }
                        int ci = (int) (cOff + i * strideC + (long) row * ldc + col);
                        out[ci] = alpha * sum + (beta == 0 ? 0 : beta * c[ci]);
                    }
                }
            }
            return out;
        }

        double[] run(Backend backend, DType t, boolean viaGemm) {
            try (CheckBuffers s = new CheckBuffers(backend)) {
                Buffer ab = s.upload(t, a);
                Buffer bb = s.upload(t, b);
                Buffer cb = s.upload(t, c);
                if (viaGemm) {
                    backend.gemm(ta, tb, m, n, k, alpha, ab, aOff, lda, bb, bOff, ldb, beta, cb, cOff, ldc);
                } else {
                    backend.gemmBatched(ta, tb, m, n, k, alpha, ab, aOff, lda, strideA, bb, bOff, ldb, strideB,
                            beta, cb, cOff, ldc, strideC, batch);
                }
                return s.read(cb);
            }
        }

        void verify(Backend backend, DType t, boolean viaGemm, String what) {
            double[] actual = run(backend, t, viaGemm);
            double tol = (t == DType.FLOAT32 ? 1e-6 : 1e-14) * (k + 16);
            String desc = String.format("%s %s m=%d n=%d k=%d transA=%b transB=%b lda=%d ldb=%d ldc=%d alpha=%s beta=%s"
                    + " batch=%d", what, t.shortName(), m, n, k, ta, tb, lda, ldb, ldc, alpha, beta, batch);
            assertClose(desc, reference(), actual, written(), tol);
        }
    }

    private static void shapes(Backend backend, DType t, boolean ta, boolean tb) {
        CheckSupport.requireSupport(backend, t);
        SplittableRandom r = CheckSupport.random("gemm" + t + ta + tb);
        for (int i = 0; i < SHAPES.length; i++) {
            int[] s = SHAPES[i];
            Problem p = new Problem(r, t, ta, tb, s[0], s[1], s[2], i % 3 == 0 ? 0 : 1 + i % 4, 1, false);
            p.alpha = SCALARS[i % SCALARS.length][0];
            p.beta = SCALARS[i % SCALARS.length][1];
            if (p.beta == 0) {
                p.poisonC();
            }
            p.verify(backend, t, i % 2 == 0, i % 2 == 0 ? "gemm" : "gemmBatched(batch=1)");
        }
    }

    private static void betaZeroIgnoresNaN(Backend backend, DType t) {
        CheckSupport.requireSupport(backend, t);
        SplittableRandom r = CheckSupport.random("gemmNaN" + t);
        for (int[] s : new int[][] {{1, 1, 1}, {9, 33, 5}, {70, 40, 65}}) {
            Problem p = new Problem(r, t, false, false, s[0], s[1], s[2], 2, 1, false);
            p.alpha = 1;
            p.beta = 0;
            p.poisonC();
            p.verify(backend, t, true, "gemm beta=0 over NaN");
        }
    }

    private static void degenerate(Backend backend, DType t) {
        CheckSupport.requireSupport(backend, t);
        SplittableRandom r = CheckSupport.random("gemmK0" + t);
        Problem p = new Problem(r, t, false, true, 5, 7, 0, 1, 1, false);
        p.alpha = 1;
        p.beta = 0.5;
        p.verify(backend, t, true, "gemm k=0");
        p = new Problem(r, t, true, false, 5, 7, 0, 0, 2, false);
        p.alpha = 2;
        p.beta = 0;
        p.poisonC();
        p.verify(backend, t, false, "gemm k=0 beta=0 over NaN");
        p = new Problem(r, t, false, false, 6, 9, 4, 1, 1, false);
        p.alpha = 0;
        p.beta = -2;
        p.verify(backend, t, true, "gemm alpha=0");
        p = new Problem(r, t, false, false, 0, 5, 3, 1, 1, false);
        p.alpha = 1;
        p.beta = 0;
        p.verify(backend, t, true, "gemm m=0");
    }

    private static void batched(Backend backend, DType t) {
        CheckSupport.requireSupport(backend, t);
        SplittableRandom r = CheckSupport.random("gemmBatched" + t);
        int[][] shapes = {{3, 5, 7}, {17, 9, 33}, {1, 65, 2}, {40, 33, 70}};
        for (int i = 0; i < shapes.length; i++) {
            int[] s = shapes[i];
            boolean ta = (i & 1) != 0;
            boolean tb = (i & 2) != 0;
            for (boolean shared : new boolean[] {false, true}) {
                Problem p = new Problem(r, t, ta, tb, s[0], s[1], s[2], i % 2, 2 + i, shared);
                p.alpha = shared ? 1.25 : 1;
                p.beta = shared ? 0 : 0.5;
                if (p.beta == 0) {
                    p.poisonC();
                }
                p.verify(backend, t, false, "gemmBatched" + (shared ? " shared B" : ""));
            }
        }
    }
}
