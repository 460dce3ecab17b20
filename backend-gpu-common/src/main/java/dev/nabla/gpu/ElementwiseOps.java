package dev.nabla.gpu;

import dev.nabla.DType;
import dev.nabla.backend.BinaryOp;
import dev.nabla.backend.Buffer;
import dev.nabla.backend.UnaryOp;

/**
 * Unary, binary, dropout and the fused optimizer steps of {@link KernelBackend}: one grid-stride
 * launch each. Called with the backend's lock held, after its checks of state.
 */
final class ElementwiseOps {
    /** Op names for messages, made once: a launch builds no strings. */
    private static final String[] UNARY = names("unary ", UnaryOp.values());
    private static final String[] UNARY_GRAD = names("unaryGrad ", UnaryOp.values());
    private static final String[] BINARY = names("binary ", BinaryOp.values());

    private final KernelBackend backend;
    private final GpuArguments checks;
    private final Launcher launcher;

    /** {@code prefix + op} for every constant, indexed by ordinal. */
    static String[] names(String prefix, Enum<?>[] ops) {
        String[] names = new String[ops.length];
        for (Enum<?> op : ops) {
            names[op.ordinal()] = prefix + op.name();
        }
        return names;
    }

    ElementwiseOps(KernelBackend backend, GpuArguments checks, Launcher launcher) {
        this.backend = backend;
        this.checks = checks;
        this.launcher = launcher;
    }

    void unary(UnaryOp op, double param, Buffer x, long xOffset, Buffer y, long yOffset, long count) {
        checks.notNull("unary", "op", op);
        GpuBuffer gx = checks.range("unary", "x", x, xOffset, count);
        GpuBuffer gy = checks.output("unary", "y", y, yOffset, count);
        DType t = checks.floating(UNARY[op.ordinal()], gx, gy);
        if (count > 0) {
            launcher.items(launcher.elementwise(t, "unary"), vectorItems(t, count, xOffset | yOffset),
                    op.ordinal(), Launcher.real(t, param),
                    gx.memory(), xOffset, gy.memory(), yOffset, count);
        }
    }

    boolean unaryGrad(UnaryOp op, double param, Buffer x, long xOffset, Buffer y, long yOffset,
            Buffer dy, long dyOffset, Buffer dx, long dxOffset, long count) {
        checks.notNull("unaryGrad", "op", op);
        String o = "unaryGrad";
        GpuBuffer gx = checks.range(o, "x", x, xOffset, count);
        GpuBuffer gy = checks.range(o, "y", y, yOffset, count);
        GpuBuffer gdy = checks.range(o, "dy", dy, dyOffset, count);
        GpuBuffer gdx = checks.output(o, "dx", dx, dxOffset, count);
        DType t = checks.floating(UNARY_GRAD[op.ordinal()], gx, gy, gdy, gdx);
        if (!OpTable.hasDerivative(op)) {
            return false;
        }
        if (count > 0) {
            launcher.items(launcher.elementwise(t, "unary_grad"),
                    vectorItems(t, count, xOffset | yOffset | dyOffset | dxOffset), op.ordinal(),
                    Launcher.real(t, param),
                    gx.memory(), xOffset, gy.memory(), yOffset, gdy.memory(), dyOffset, gdx.memory(), dxOffset, count);
        }
        return true;
    }

    void binary(BinaryOp op, Buffer a, long aOffset, long[] aStrides, Buffer b, long bOffset,
            long[] bStrides, Buffer out, long outOffset, int[] shape) {
        checks.notNull("binary", "op", op);
        String o = BINARY[op.ordinal()];
        long count = checks.shape(o, shape);
        GpuBuffer ga = checks.strided(o, "a", a, aOffset, shape, aStrides);
        GpuBuffer gb = checks.strided(o, "b", b, bOffset, shape, bStrides);
        GpuBuffer gout = checks.output(o, "out", out, outOffset, count);
        boolean ints = ga.dtype() == DType.INT32;
        if (ints) {
            checks.sameDtype(o, ga, gb, gout);
            if (!op.supportsInt()) {
                throw new UnsupportedOperationException(backend.name() + ": " + o + ": no int32 kernel (the op table "
                        + "has no integer form of it)");
            }
        }
        DType t = ints ? DType.INT32 : checks.floating(o, ga, gb, gout);
        if (count == 0) {
            return;
        }
        int code = op.ordinal();
        KernelStrides.Layout layout = null;
        boolean contiguous = KernelStrides.isContiguous(shape, aStrides) && KernelStrides.isContiguous(shape, bStrides);
        if (!contiguous) {
            layout = KernelStrides.collapse(shape, aStrides, bStrides, KernelStrides.contiguous(shape));
            contiguous = layout.rank() == 0
                    || layout.rank() == 1 && layout.strides()[0][0] == 1 && layout.strides()[1][0] == 1;
        }
        if (contiguous) {
            GpuDevice.Kernel k = ints ? launcher.kernel(KernelSources.integer(), "binary_int_contiguous")
                    : launcher.elementwise(t, "binary_contiguous");
            long items = ints ? count : vectorItems(t, count, aOffset | bOffset | outOffset);
            launcher.items(k, items, code, ga.memory(), aOffset, gb.memory(), bOffset, gout.memory(), outOffset, count);
            return;
        }
        GpuDevice.Kernel k = ints ? launcher.kernel(KernelSources.integer(), "binary_int_strided")
                : launcher.elementwise(t, "binary_strided");
        KernelStrides.split(layout, new long[] {aOffset, bOffset, outOffset}, (at, piece) -> {
            long[][] abStrides = {piece.strides()[0], piece.strides()[1]};
            KernelStrides.Layout ab = new KernelStrides.Layout(piece.shape(), abStrides);
            launcher.items(k, piece.count(), Launcher.concat(new Object[] {code, ga.memory(), at[0], gb.memory(), at[1],
                    gout.memory(), at[2], piece.count()}, KernelStrides.kernelArgs(ab)));
        });
    }


    /**
     * Work-items for a contiguous float kernel of elementwise.cl: a quarter when all offsets (OR-ed
     * in {@code offsets}) are multiples of 4, since the kernel then moves four elements at a time.
     */
    private static long vectorItems(DType t, long count, long offsets) {
        return t == DType.FLOAT32 && (offsets & 3) == 0 ? (count + 3) / 4 : count;
    }

    boolean dropout(double p, long seed, Buffer x, long xOffset, Buffer y, long yOffset, Buffer mask,
            long maskOffset, long count) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException(backend.name() + ": dropout: p must be in [0, 1], was " + p);
        }
        GpuBuffer gx = checks.range("dropout", "x", x, xOffset, count);
        GpuBuffer gy = checks.output("dropout", "y", y, yOffset, count);
        GpuBuffer gm = checks.output("dropout", "mask", mask, maskOffset, count);
        DType t = checks.floating("dropout", gx, gy, gm);
        if (count == 0) {
            return true;
        }
        // Kept iff Philox.uniform >= p, i.e. (bits >>> 8) * 2^-24 >= p, i.e. (bits >>> 8) >= ceil(p * 2^24).
        int threshold = (int) Math.min(1L << 24, (long) Math.ceil(p * 0x1.0p24));
        launcher.items(launcher.elementwise(t, "dropout"), (count + 3) / 4, threshold, (int) seed, (int) (seed >>> 32),
                Launcher.real(t, 1 / (1 - p)), gx.memory(), xOffset, gy.memory(), yOffset, gm.memory(), maskOffset,
                count);
        return true;
    }

    boolean sgdStep(Buffer param, long paramOffset, Buffer grad, long gradOffset, Buffer velocity,
            long velocityOffset, long count, double lr, double momentum, double dampening,
            double weightDecay, boolean nesterov, boolean firstStep) {
        GpuBuffer gp = checks.output("sgdStep", "param", param, paramOffset, count);
        GpuBuffer gg = checks.range("sgdStep", "grad", grad, gradOffset, count);
        GpuBuffer gv = null;
        if (momentum != 0) {
            if (velocity == null) {
                throw new IllegalArgumentException(backend.name() + ": sgdStep: momentum " + momentum
                        + " needs a velocity buffer");
            }
            gv = checks.output("sgdStep", "velocity", velocity, velocityOffset, count);
        }
        DType t = checks.floating("sgdStep", gp, gg, gv);
        if (count > 0) {
            // Without momentum the kernel never touches velocity: param stands in for the missing buffer.
            launcher.items(launcher.elementwise(t, "sgd_step"), count, gp.memory(), paramOffset, gg.memory(),
                    gradOffset, gv == null ? gp.memory() : gv.memory(), gv == null ? 0L : velocityOffset, count,
                    Launcher.real(t, lr), Launcher.real(t, momentum), Launcher.real(t, dampening),
                    Launcher.real(t, weightDecay), nesterov ? 1 : 0, firstStep ? 1 : 0);
        }
        return true;
    }

    boolean adamStep(Buffer param, long paramOffset, Buffer grad, long gradOffset, Buffer m,
            long mOffset, Buffer v, long vOffset, long count, double lr, double beta1,
            double beta2, double eps, double weightDecay, boolean decoupledWeightDecay,
            long step) {
        if (step < 1) {
            throw new IllegalArgumentException(backend.name() + ": adamStep: step counts from 1, was " + step);
        }
        GpuBuffer gp = checks.output("adamStep", "param", param, paramOffset, count);
        GpuBuffer gg = checks.range("adamStep", "grad", grad, gradOffset, count);
        GpuBuffer gm = checks.output("adamStep", "m", m, mOffset, count);
        GpuBuffer gv = checks.output("adamStep", "v", v, vOffset, count);
        DType t = checks.floating("adamStep", gp, gg, gm, gv);
        if (count > 0) {
            double bc1 = 1 - Math.pow(beta1, step);
            double bc2 = 1 - Math.pow(beta2, step);
            launcher.items(launcher.elementwise(t, "adam_step"), count, gp.memory(), paramOffset, gg.memory(),
                    gradOffset, gm.memory(), mOffset, gv.memory(), vOffset, count, Launcher.real(t, lr),
                    Launcher.real(t, beta1), Launcher.real(t, beta2), Launcher.real(t, eps),
                    Launcher.real(t, weightDecay), decoupledWeightDecay ? 1 : 0, Launcher.real(t, bc1),
                    Launcher.real(t, bc2));
        }
        return true;
    }

    /** See {@link dev.nabla.backend.Backend#scatterAdd}; indices were checked by {@link DataMovement#checkIndices}. */
    void scatterAdd(Buffer src, long srcOffset, int outer, int count, int inner, GpuBuffer index, long indexOffset,
                    long[] indexStrides, Buffer out, long outOffset, int extent) {
        String o = "scatterAdd";
        GpuBuffer gs = checks.range(o, "src", src, srcOffset, checks.multiply(o, "src block", (long) outer * inner, count));
        GpuBuffer gout = checks.output(o, "out", out, outOffset,
                checks.multiply(o, "out block", (long) outer * inner, extent));
        DType t = checks.floating(o, gs, gout);
        long columns = (long) outer * inner;
        if (columns == 0 || count == 0) {
            return;
        }
        launcher.items(launcher.elementwise(t, "scatter_add"), columns, gs.memory(), srcOffset, outer, count, inner,
                index.memory(), indexOffset, indexStrides[0], indexStrides[1], indexStrides[2], gout.memory(),
                outOffset, extent);
    }
}
