package dev.nabla.backend.contract;

import static dev.nabla.backend.contract.CheckSupport.assertClose;
import static dev.nabla.backend.contract.CheckSupport.tol;

import dev.nabla.DType;
import dev.nabla.backend.Backend;
import dev.nabla.backend.BinaryOp;
import dev.nabla.backend.Buffer;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Labels of softmaxCrossEntropy that change after their upload. GPU backends validate labels
 * against a host copy of what was uploaded (no read-back per step); this proves they notice every
 * write made on the device since (fill, copy, cast, binary, argMax into the labels) and partial
 * uploads: a bad label is still an IllegalArgumentException naming its row, and nothing is written.
 */
final class LabelChecks {
    private static final int ROWS = 5;
    private static final int CLASSES = 4;
    private static final double[] VALID = {0, 3, 1, 2, 3};

    private LabelChecks() {
    }

    static List<ContractCheck> all() {
        return List.of(new ContractCheck("softmaxCrossEntropy: labels changed on the device after their upload"
                + " are validated", LabelChecks::changedOnTheDevice));
    }

    /** A write into the labels buffer {@code lb}, made with the scope's other buffers. */
    private interface Write {
        void into(Backend backend, CheckBuffers s, Buffer lb);
    }

    private static void changedOnTheDevice(Backend backend) {
        SplittableRandom r = CheckSupport.random("labels changed on the device");
        DType t = DType.FLOAT32;
        try (CheckBuffers s = new CheckBuffers(backend)) {
            Buffer xb = s.upload(t, CheckSupport.uniform(r, t, ROWS * CLASSES, -2, 2));
            Buffer lb = s.upload(DType.INT32, VALID);
            Buffer lossb = s.upload(t, CheckSupport.sentinels(ROWS));
            Buffer gradb = s.upload(t, CheckSupport.sentinels(ROWS * CLASSES));
            CheckSupport.provided(backend.softmaxCrossEntropy(xb, 0, lb, 0, ROWS, CLASSES, lossb, 0, gradb, 0), backend, "softmaxCrossEntropy");
            double[] validLosses = s.read(lossb);

            expectBadLabel(backend, s, "fill", 3, 9, xb, lb, (b, sc, l) -> b.fill(l, 3, 1, 9));
            expectBadLabel(backend, s, "copy", 1, -1, xb, lb, (b, sc, l) ->
                    b.copy(sc.upload(DType.INT32, new double[] {-1}), 0, new long[] {1}, l, 1, new long[] {1},
                            new int[] {1}));
            expectBadLabel(backend, s, "cast", 4, 7, xb, lb, (b, sc, l) ->
                    b.cast(sc.upload(DType.FLOAT32, new double[] {7}), 0, l, 4, 1));
            expectBadLabel(backend, s, "argMax", 2, 5, xb, lb, (b, sc, l) -> {
                double[] x = new double[ROWS * 6];
                x[2 * 6 + 5] = 1;
                b.argMax(sc.upload(DType.FLOAT32, x), 0, ROWS, 6, 1, l, 0);
            });
            expectBadLabel(backend, s, "partial copyFromHost", 2, -7, xb, lb,
                    (b, sc, l) -> sc.write(l, 2, new double[] {-7}));
            boolean intAdd = true;
            try {
                Buffer ones = s.upload(DType.INT32, new double[] {1, 1, 1, 1, 1});
                backend.binary(BinaryOp.ADD, lb, 0, new long[] {1}, ones, 0, new long[] {1}, lb, 0, new int[] {ROWS});
            } catch (UnsupportedOperationException e) {
                intAdd = false; // INT32 binary ops are optional in the SPI
            }
            if (intAdd) {
                expectBadLabel(backend, s, "binary ADD in place", 1, 4, xb, lb, null);
            }

            // The labels made valid again by a partial upload: the losses of the first call.
            s.write(lb, 0, VALID);
            s.write(lb, 2, new double[] {VALID[2]});
            Buffer again = s.upload(t, CheckSupport.sentinels(ROWS));
            backend.softmaxCrossEntropy(xb, 0, lb, 0, ROWS, CLASSES, again, 0, null, 0);
            assertClose("softmaxCrossEntropy after the labels were restored", validLosses, s.read(again), tol(t));
        }
    }

    /**
     * Restores valid labels, applies {@code write} (null: already applied), then expects
     * softmaxCrossEntropy to reject label {@code label} of row {@code row} and to write nothing.
     */
    private static void expectBadLabel(Backend backend, CheckBuffers s, String how, int row, int label, Buffer xb, Buffer lb,
                                       Write write) {
        if (write != null) {
            s.write(lb, 0, VALID);
            write.into(backend, s, lb);
        }
        Buffer lossb = s.upload(DType.FLOAT32, CheckSupport.sentinels(ROWS));
        Buffer gradb = s.upload(DType.FLOAT32, CheckSupport.sentinels(ROWS * CLASSES));
        String what = "softmaxCrossEntropy after " + how + " put label " + label + " in row " + row;
        IllegalArgumentException e = CheckSupport.expectThrowsIfProvided(IllegalArgumentException.class, what,
                backend, "softmaxCrossEntropy", () -> backend.softmaxCrossEntropy(xb, 0, lb, 0, ROWS, CLASSES, lossb, 0, gradb, 0));
        CheckSupport.assertMentions(what, e.getMessage(), "row " + row, "label " + label);
        assertClose(what + ": losses written", CheckSupport.sentinels(ROWS), s.read(lossb), 0);
        assertClose(what + ": grad written", CheckSupport.sentinels(ROWS * CLASSES), s.read(gradb), 0);
    }
}
