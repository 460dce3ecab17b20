package dev.nabla.gpu;

import dev.nabla.DType;
import dev.nabla.backend.Buffer;
import dev.nabla.backend.ReduceOp;

/**
 * Reductions over the middle axis, argMax, softmax and softmax cross-entropy of
 * {@link KernelBackend}. Called with the backend's lock held, after its checks of state.
 */
final class RowOps {
    private static final String[] REDUCE = ElementwiseOps.names("reduce ", ReduceOp.values());

    private final KernelBackend backend;
    private final GpuArguments checks;
    private final Launcher launcher;
    private final DataMovement data;

    RowOps(KernelBackend backend, GpuArguments checks, Launcher launcher, DataMovement data) {
        this.backend = backend;
        this.checks = checks;
        this.launcher = launcher;
        this.data = data;
    }

    void reduce(ReduceOp op, Buffer x, long xOffset, int outer, int extent, int inner, Buffer out,
            long outOffset) {
        checks.notNull("reduce", "op", op);
        String o = REDUCE[op.ordinal()];
        long outputs = blockShape(o, outer, extent, inner);
        GpuBuffer gx = checks.range(o, "x", x, xOffset, outputs * extent);
        GpuBuffer gout = checks.output(o, "out", out, outOffset, outputs);
        DType t = checks.floating(o, gx, gout);
        if (outputs == 0) {
            return;
        }
        boolean groups = launcher.groupPerOutput(outputs, extent, inner);
        GpuDevice.Kernel k = launcher.kernel(KernelSources.real(KernelSources.REDUCE, Launcher.realName(t)),
                groups ? "reduce_groups" : "reduce_items");
        Object[] args = {op.ordinal(), gx.memory(), xOffset, outer, extent, inner, gout.memory(), outOffset};
        if (groups) {
            launcher.groups(k, outputs, args);
        } else {
            launcher.items(k, outputs, args);
        }
    }

    void argMax(Buffer x, long xOffset, int outer, int extent, int inner, Buffer out, long outOffset) {
        long outputs = blockShape("argMax", outer, extent, inner);
        GpuBuffer gx = checks.range("argMax", "x", x, xOffset, outputs * extent);
        GpuBuffer gout = checks.output("argMax", "out", out, outOffset, outputs);
        DType t = checks.floating("argMax", gx);
        checks.dtype("argMax", "out", gout, DType.INT32);
        if (outputs == 0) {
            return;
        }
        if (extent == 0) {
            // As on the CPU: an empty axis has no index of its largest value.
            throw new IllegalArgumentException(backend.name() + ": argMax: block [" + outer + ", 0, " + inner
                    + "]: no index of the largest value along an empty axis");
        }
        boolean groups = launcher.groupPerOutput(outputs, extent, inner);
        GpuDevice.Kernel k = launcher.kernel(KernelSources.real(KernelSources.REDUCE, Launcher.realName(t)),
                groups ? "argmax_groups" : "argmax_items");
        Object[] args = {gx.memory(), xOffset, outer, extent, inner, gout.memory(), outOffset};
        if (groups) {
            launcher.groups(k, outputs, args);
        } else {
            launcher.items(k, outputs, args);
        }
    }

    private long blockShape(String op, int outer, int extent, int inner) {
        checks.nonNegative(op, "outer", outer);
        checks.nonNegative(op, "extent", extent);
        checks.nonNegative(op, "inner", inner);
        long outputs = (long) outer * inner;
        checks.multiply(op, "block size", outputs, extent);
        return outputs;
    }

    boolean softmax(boolean log, Buffer x, long xOffset, int rows, int cols, Buffer y, long yOffset) {
        String o = log ? "logSoftmax" : "softmax";
        checks.nonNegative(o, "rows", rows);
        checks.nonNegative(o, "cols", cols);
        long count = (long) rows * cols;
        GpuBuffer gx = checks.range(o, "x", x, xOffset, count);
        GpuBuffer gy = checks.output(o, "y", y, yOffset, count);
        DType t = checks.floating(o, gx, gy);
        if (count > 0) {
            launcher.groups(launcher.reduce(t, "softmax_rows"), rows, log ? 1 : 0, gx.memory(), xOffset, rows, cols,
                    gy.memory(), yOffset);
        }
        return true;
    }

    boolean softmaxCrossEntropy(Buffer logits, long logitsOffset, Buffer labels, long labelsOffset,
            int rows, int classes, Buffer losses, long lossesOffset, Buffer grad,
            long gradOffset) {
        String o = "softmaxCrossEntropy";
        checks.nonNegative(o, "rows", rows);
        checks.nonNegative(o, "classes", classes);
        long count = (long) rows * classes;
        GpuBuffer gl = checks.range(o, "logits", logits, logitsOffset, count);
        GpuBuffer glab = checks.range(o, "labels", labels, labelsOffset, rows);
        checks.dtype(o, "labels", glab, DType.INT32);
        GpuBuffer gloss = checks.output(o, "losses", losses, lossesOffset, rows);
        GpuBuffer gg = grad == null ? null : checks.output(o, "grad", grad, gradOffset, count);
        DType t = checks.floating(o, gl, gloss, gg);
        if (rows == 0) {
            return true;
        }
        // Validated on the host before anything is launched: a bad label never reaches a kernel. The
        // host copy of the labels (IntShadow, kept from copyFromHost) spares the read-back and the
        // stream synchronisation it implies; labels written on the device since are read back.
        int[] labelValues = data.hostValues(glab, labelsOffset, rows);
        for (int r = 0; r < rows; r++) {
            int label = labelValues[r];
            if (label < 0 || label >= classes) {
                throw new IllegalArgumentException(backend.name() + ": " + o + ": label " + label + " of row " + r
                        + " is outside [0, " + classes + ")");
            }
        }
        launcher.groups(launcher.reduce(t, "softmax_cross_entropy"), rows, gl.memory(), logitsOffset, glab.memory(),
                labelsOffset, rows, classes, gloss.memory(), lossesOffset, gg == null ? gl.memory() : gg.memory(),
                gg == null ? 0L : gradOffset, gg == null ? 0 : 1);
        return true;
    }
}
