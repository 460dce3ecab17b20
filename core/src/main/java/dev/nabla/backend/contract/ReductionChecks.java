package dev.nabla.backend.contract;

import static dev.nabla.backend.contract.CheckSupport.assertClose;
import static dev.nabla.backend.contract.CheckSupport.check;
import static dev.nabla.backend.contract.CheckSupport.tol;

import dev.nabla.DType;
import dev.nabla.backend.Backend;
import dev.nabla.backend.Buffer;
import dev.nabla.backend.ReduceOp;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** reduce, argMax, softmax / logSoftmax and the fused softmax cross-entropy. */
final class ReductionChecks {
    /** (outer, extent, inner): each 1 and larger, extent 0. */
    private static final int[][] BLOCKS = {
        {1, 1, 1}, {1, 1031, 1}, {3, 17, 1}, {1, 5, 7}, {4, 33, 5}, {7, 1, 9}, {5, 257, 3}, {64, 3, 2},
        {2, 0, 3}, {1, 0, 1}, {2, 100, 65},
    };
    /** (rows, cols) of softmax-like problems. */
    private static final int[][] ROWS = {{1, 1}, {1, 2}, {3, 7}, {17, 3}, {2, 33}, {5, 1031}, {64, 10}};

    private ReductionChecks() {
    }

    static List<ContractCheck> all() {
        List<ContractCheck> list = new ArrayList<>();
        for (DType t : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            for (ReduceOp op : ReduceOp.values()) {
                list.add(new ContractCheck("reduce " + op + " " + t.shortName() + ": outer/extent/inner 1, odd, 0",
                        b -> reduce(b, t, op)));
            }
            list.add(new ContractCheck("reduce " + t.shortName() + ": NaN propagates (SUM, MAX, MIN)",
                    b -> reduceNaN(b, t)));
            list.add(new ContractCheck("argMax " + t.shortName() + ": first index on ties, NaN largest",
                    b -> argMax(b, t)));
            for (boolean log : new boolean[] {false, true}) {
                list.add(new ContractCheck((log ? "logSoftmax " : "softmax ") + t.shortName()
                        + ": shapes, stable at logits ±1000", b -> softmax(b, t, log)));
            }
            list.add(new ContractCheck("softmaxCrossEntropy " + t.shortName() + ": losses and grad, grad == null",
                    b -> crossEntropy(b, t)));
            list.add(new ContractCheck("softmaxCrossEntropy " + t.shortName()
                    + ": bad labels are IllegalArgumentException, nothing written", b -> badLabels(b, t)));
            list.add(new ContractCheck("softmax, logSoftmax, softmaxCrossEntropy " + t.shortName()
                    + ": -inf logits (masked classes) add nothing", b -> maskedLogits(b, t)));
        }
        return list;
    }

    private static double[] reduceReference(ReduceOp op, double[] x, int xOff, int outer, int extent, int inner) {
        double[] out = new double[outer * inner];
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                out[o * inner + i] = op.reference(x, xOff + o * extent * inner + i, extent, inner);
            }
        }
        return out;
    }

    private static void reduce(Backend backend, DType t, ReduceOp op) {
        CheckSupport.requireSupport(backend, t);
        SplittableRandom r = CheckSupport.random("reduce" + op + t);
        try (CheckBuffers s = new CheckBuffers(backend)) {
            for (int[] blk : BLOCKS) {
                runReduce(backend, s, t, op, blk, CheckSupport.uniform(r, t, blk[0] * blk[1] * blk[2] + 2, -1, 1));
            }
        }
    }

    private static void runReduce(Backend backend, CheckBuffers s, DType t, ReduceOp op, int[] blk, double[] x) {
        int outer = blk[0];
        int extent = blk[1];
        int inner = blk[2];
        double[] ref = reduceReference(op, x, 2, outer, extent, inner);
        for (int i = 0; i < ref.length; i++) {
            ref[i] = CheckSupport.round(t, ref[i]);
        }
        Buffer xb = s.upload(t, x);
        Buffer out = s.upload(t, CheckSupport.sentinels(outer * inner + 2));
        backend.reduce(op, xb, 2, outer, extent, inner, out, 1);
        double[] expected = CheckSupport.sentinels(outer * inner + 2);
        System.arraycopy(ref, 0, expected, 1, ref.length);
        boolean[] written = new boolean[expected.length];
        java.util.Arrays.fill(written, 1, 1 + ref.length, true);
        double tol = tol(t) * Math.max(1, extent / 64.0);
        assertClose(String.format("reduce %s %s outer=%d extent=%d inner=%d", op, t.shortName(), outer, extent, inner),
                expected, s.read(out), written, tol);
    }

    private static void reduceNaN(Backend backend, DType t) {
        CheckSupport.requireSupport(backend, t);
        SplittableRandom r = CheckSupport.random("reduceNaN" + t);
        try (CheckBuffers s = new CheckBuffers(backend)) {
            for (ReduceOp op : new ReduceOp[] {ReduceOp.SUM, ReduceOp.MAX, ReduceOp.MIN}) {
                for (int[] blk : new int[][] {{3, 40, 1}, {2, 9, 5}, {1, 1031, 1}}) {
                    double[] x = CheckSupport.uniform(r, t, blk[0] * blk[1] * blk[2] + 2, -1, 1);
                    for (int i = 2; i < x.length; i += 7) {
                        x[i] = Double.NaN; // some outputs see one NaN, some several, some none
                    }
                    x[x.length - 1] = Double.NaN;
                    runReduce(backend, s, t, op, blk, x);
                }
            }
        }
    }

    private static void argMax(Backend backend, DType t) {
        CheckSupport.requireSupport(backend, t);
        SplittableRandom r = CheckSupport.random("argMax" + t);
        try (CheckBuffers s = new CheckBuffers(backend)) {
            for (int[] blk : BLOCKS) {
                int outer = blk[0];
                int extent = blk[1];
                int inner = blk[2];
                if (extent == 0) {
                    continue; // the SPI does not define argMax of an empty axis
                }
                double[] x = new double[outer * extent * inner + 3];
                for (int i = 0; i < x.length; i++) {
                    x[i] = r.nextInt(4) - 1.5; // few distinct values: ties everywhere
                }
                if (extent > 2) {
                    x[3 + inner] = Double.NaN; // first output column: NaN at position 1 beats everything
                    x[3 + 2 * inner] = Double.NaN; // and the first NaN wins
                }
                Buffer xb = s.upload(t, x);
                Buffer out = s.upload(DType.INT32, CheckSupport.sentinels(outer * inner + 1));
                backend.argMax(xb, 3, outer, extent, inner, out, 1);
                double[] expected = CheckSupport.sentinels(outer * inner + 1);
                for (int o = 0; o < outer; o++) {
                    for (int i = 0; i < inner; i++) {
                        int best = 0;
                        int base = 3 + o * extent * inner + i;
                        for (int e = 1; e < extent; e++) {
                            double v = x[base + e * inner];
                            double b = x[base + best * inner];
                            if (!Double.isNaN(b) && (Double.isNaN(v) || v > b)) {
                                best = e;
                            }
                        }
                        expected[1 + o * inner + i] = best;
                    }
                }
                assertClose(String.format("argMax %s outer=%d extent=%d inner=%d", t.shortName(), outer, extent,
                        inner), expected, s.read(out), 0);
            }
        }
    }

    /** Logits with rows shifted by +1000 / -1000 and one row spread over ±1000. */
    private static double[] logits(SplittableRandom r, DType t, int rows, int cols) {
        double[] x = CheckSupport.uniform(r, t, rows * cols, -5, 5);
        for (int row = 0; row < rows; row++) {
            double shift = row % 3 == 1 ? 1000 : row % 3 == 2 ? -1000 : 0;
            for (int c = 0; c < cols; c++) {
                x[row * cols + c] = CheckSupport.round(t, x[row * cols + c] + shift);
            }
        }
        if (rows > 3 && cols > 1) {
            x[3 * cols] = 1000;
            x[3 * cols + 1] = -1000;
        }
        return x;
    }

    private static double logSumExp(double[] x, int from, int n) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            max = Math.max(max, x[from + i]);
        }
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += Math.exp(x[from + i] - max);
        }
        return max + Math.log(sum);
    }

    private static void softmax(Backend backend, DType t, boolean log) {
        CheckSupport.requireSupport(backend, t);
        SplittableRandom r = CheckSupport.random("softmax" + log + t);
        try (CheckBuffers s = new CheckBuffers(backend)) {
            for (int[] rc : ROWS) {
                int rows = rc[0];
                int cols = rc[1];
                double[] x = logits(r, t, rows, cols);
                double[] ref = new double[rows * cols];
                for (int row = 0; row < rows; row++) {
                    double lse = logSumExp(x, row * cols, cols);
                    for (int c = 0; c < cols; c++) {
                        double lp = x[row * cols + c] - lse;
                        ref[row * cols + c] = CheckSupport.round(t, log ? lp : Math.exp(lp));
                    }
                }
                Buffer xb = s.upload(t, ElementwiseChecks.pad(x, 1));
                Buffer yb = s.upload(t, CheckSupport.sentinels(rows * cols + 3));
                CheckSupport.provided(backend.softmax(log, xb, 1, rows, cols, yb, 2), backend, "softmax");
                double[] expected = CheckSupport.sentinels(rows * cols + 3);
                System.arraycopy(ref, 0, expected, 2, ref.length);
                boolean[] written = new boolean[expected.length];
                java.util.Arrays.fill(written, 2, 2 + ref.length, true);
                // logSoftmax's largest magnitudes come from the ±1000 row; compare row by row scale.
                String what = String.format("%s %s rows=%d cols=%d", log ? "logSoftmax" : "softmax", t.shortName(),
                        rows, cols);
                double[] actual = s.read(yb);
                if (log) {
                    assertRowwise(what, expected, actual, written, 2, rows, cols, t);
                } else {
                    assertClose(what, expected, actual, written, tol(t));
                }
                // In place: y aliases x exactly.
                backend.softmax(log, xb, 1, rows, cols, xb, 1);
                double[] inPlace = s.read(xb, 1, rows * cols);
                double[] refCopy = ref.clone();
                if (log) {
                    assertRowwise(what + " in place", refCopy, inPlace, null, 0, rows, cols, t);
                } else {
                    assertClose(what + " in place", refCopy, inPlace, tol(t));
                }
            }
        }
    }

    /** Rows with -inf logits, first and last in the row: their probabilities are 0, the rest finite. */
    private static void maskedLogits(Backend backend, DType t) {
        CheckSupport.requireSupport(backend, t);
        double inf = Double.POSITIVE_INFINITY;
        double[] x = {-inf, 0, 1, -inf, 2, -inf, -inf, 3};
        int rows = 2;
        int cols = 4;
        double[] p = new double[x.length];
        double[] lse = new double[rows];
        for (int row = 0; row < rows; row++) {
            lse[row] = logSumExp(x, row * cols, cols);
            for (int c = 0; c < cols; c++) {
                p[row * cols + c] = Math.exp(x[row * cols + c] - lse[row]);
            }
        }
        try (CheckBuffers s = new CheckBuffers(backend)) {
            Buffer xb = s.upload(t, x);
            Buffer yb = s.alloc(t, x.length);
            CheckSupport.provided(backend.softmax(false, xb, 0, rows, cols, yb, 0), backend, "softmax");
            assertClose("softmax " + t.shortName() + " with -inf logits", round(t, p), s.read(yb), tol(t));
            backend.softmax(true, xb, 0, rows, cols, yb, 0);
            double[] logP = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                logP[i] = x[i] - lse[i / cols];
            }
            assertClose("logSoftmax " + t.shortName() + " with -inf logits", round(t, logP), s.read(yb), tol(t));
            Buffer lb = s.upload(DType.INT32, new double[] {2, 3});
            Buffer losses = s.alloc(t, rows);
            Buffer grad = s.alloc(t, x.length);
            CheckSupport.provided(backend.softmaxCrossEntropy(xb, 0, lb, 0, rows, cols, losses, 0, grad, 0), backend, "softmaxCrossEntropy");
            double[] loss = {lse[0] - x[2], lse[1] - x[7]};
            assertClose("softmaxCrossEntropy " + t.shortName() + " losses with -inf logits", round(t, loss),
                    s.read(losses), 4 * tol(t));
            double[] g = p.clone();
            g[2] -= 1;
            g[7] -= 1;
            assertClose("softmaxCrossEntropy " + t.shortName() + " grad with -inf logits", round(t, g), s.read(grad),
                    tol(t));
        }
    }

    private static double[] round(DType t, double[] v) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = CheckSupport.round(t, v[i]);
        }
        return out;
    }

    /** Relative error per row (the -2000 of a ±1000 row would otherwise hide errors in other rows). */
    private static void assertRowwise(String what, double[] expected, double[] actual, boolean[] written, int off,
                                      int rows, int cols, DType t) {
        if (written != null) {
            assertClose(what + " (padding)", expected, actual, written, Double.MAX_VALUE);
        }
        for (int row = 0; row < rows; row++) {
            int from = off + row * cols;
            double[] e = java.util.Arrays.copyOfRange(expected, from, from + cols);
            double[] a = java.util.Arrays.copyOfRange(actual, from, from + cols);
            assertClose(what + " row " + row, e, a, tol(t));
        }
    }

    private static void crossEntropy(Backend backend, DType t) {
        CheckSupport.requireSupport(backend, t);
        SplittableRandom r = CheckSupport.random("sce" + t);
        try (CheckBuffers s = new CheckBuffers(backend)) {
            for (int[] rc : ROWS) {
                int rows = rc[0];
                int classes = rc[1];
                double[] x = logits(r, t, rows, classes);
                double[] labels = new double[rows + 2];
                for (int row = 0; row < rows; row++) {
                    labels[2 + row] = r.nextInt(classes);
                }
                labels[0] = -5; // outside the range read: must not be validated
                labels[1] = classes;
                double[] loss = new double[rows];
                double[] grad = new double[rows * classes];
                for (int row = 0; row < rows; row++) {
                    double lse = logSumExp(x, row * classes, classes);
                    int label = (int) labels[2 + row];
                    loss[row] = CheckSupport.round(t, lse - x[row * classes + label]);
                    for (int c = 0; c < classes; c++) {
                        grad[row * classes + c] = CheckSupport.round(t, Math.exp(x[row * classes + c] - lse)
                                - (c == label ? 1 : 0));
                    }
                }
                Buffer xb = s.upload(t, ElementwiseChecks.pad(x, 3));
                Buffer lb = s.upload(DType.INT32, labels);
                Buffer lossb = s.upload(t, CheckSupport.sentinels(rows + 2));
                Buffer gradb = s.upload(t, CheckSupport.sentinels(rows * classes + 2));
                String what = String.format("softmaxCrossEntropy %s rows=%d classes=%d", t.shortName(), rows, classes);
                CheckSupport.provided(backend.softmaxCrossEntropy(xb, 3, lb, 2, rows, classes, lossb, 1, gradb, 1), backend, "softmaxCrossEntropy");
                double[] lossExpected = CheckSupport.sentinels(rows + 2);
                System.arraycopy(loss, 0, lossExpected, 1, rows);
                boolean[] lossWritten = new boolean[rows + 2];
                java.util.Arrays.fill(lossWritten, 1, rows + 1, true);
                double[] lossActual = s.read(lossb);
                // lse - logit loses a few ulps of 1000 in float32 when logits are shifted by 1000.
                double lossTol = 4 * tol(t);
                assertClose(what + " losses", lossExpected, lossActual, lossWritten, lossTol);
                double[] gradExpected = CheckSupport.sentinels(rows * classes + 2);
                System.arraycopy(grad, 0, gradExpected, 1, grad.length);
                boolean[] gradWritten = new boolean[gradExpected.length];
                java.util.Arrays.fill(gradWritten, 1, 1 + grad.length, true);
                assertClose(what + " grad", gradExpected, s.read(gradb), gradWritten, tol(t));
                // Without grad: the losses alone, into fresh sentinels.
                Buffer loss2 = s.upload(t, CheckSupport.sentinels(rows + 2));
                backend.softmaxCrossEntropy(xb, 3, lb, 2, rows, classes, loss2, 1, null, 0);
                assertClose(what + " losses (grad == null)", lossExpected, s.read(loss2), lossWritten, lossTol);
            }
        }
    }

    private static void badLabels(Backend backend, DType t) {
        CheckSupport.requireSupport(backend, t);
        int rows = 6;
        int classes = 7;
        SplittableRandom r = CheckSupport.random("badLabels" + t);
        int[][] cases = {{2, -1}, {4, classes}, {0, -2147483648}, {5, 1000}};
        try (CheckBuffers s = new CheckBuffers(backend)) {
            for (int[] c : cases) {
                int badRow = c[0];
                int badLabel = c[1];
                double[] labels = new double[rows];
                for (int row = 0; row < rows; row++) {
                    labels[row] = row == badRow ? badLabel : r.nextInt(classes);
                }
                Buffer xb = s.upload(t, CheckSupport.uniform(r, t, rows * classes, -3, 3));
                Buffer lb = s.upload(DType.INT32, labels);
                Buffer lossb = s.upload(t, CheckSupport.sentinels(rows));
                Buffer gradb = s.upload(t, CheckSupport.sentinels(rows * classes));
                String what = "softmaxCrossEntropy label " + badLabel + " at row " + badRow;
                IllegalArgumentException e = CheckSupport.expectThrowsIfProvided(IllegalArgumentException.class, what,
                        backend, "softmaxCrossEntropy", () -> backend.softmaxCrossEntropy(xb, 0, lb, 0, rows, classes, lossb, 0, gradb, 0));
                CheckSupport.assertMentions(what, e.getMessage(), "row", String.valueOf(badRow), String.valueOf(badLabel),
                        String.valueOf(classes));
                assertClose(what + ": losses written", CheckSupport.sentinels(rows), s.read(lossb), 0);
                assertClose(what + ": grad written", CheckSupport.sentinels(rows * classes), s.read(gradb), 0);
                check(!xb.isClosed(), "%s: closed the logits", what);
            }
        }
    }
}
