package dev.nabla.ops;

import dev.nabla.DType;
import dev.nabla.Device;
import dev.nabla.Scope;
import dev.nabla.Tensor;
import dev.nabla.autograd.Node;

/** Conversions between dtypes and devices; the gradient is converted back. */
public final class Cast {
    private Cast() {
    }

    /** A contiguous copy of {@code x} in {@code target} dtype. */
    public static Tensor toDType(Tensor x, DType target) {
        if (!x.device().supports(target)) {
            throw new UnsupportedOperationException("to(" + target.shortName() + "): backend "
                    + x.backend().name() + " does not support dtype " + target.shortName());
        }
        Tensor y;
        try (Scope tmp = Temporaries.open()) {
            Tensor xc = NoGradOps.dense(x);
            y = tmp.keep(Tensor.empty(x.device(), target, x.shape()));
            x.backend().cast(xc.buffer(), xc.offset(), y.buffer(), y.offset(), x.numel());
        }
        if (!target.isFloatingPoint()) {
            return y;
        }
        DType back = x.dtype();
        return Node.record(y, new Views.Simple("cast", g -> g.to(back)), x);
    }

    /** A copy of {@code x} on {@code target} (through host memory). */
    public static Tensor toDevice(Tensor x, Device target) {
        int[] dims = x.rank() == 0 ? new int[] {1} : x.dims();
        Tensor y;
        try (Scope tmp = Temporaries.open()) {
            Tensor flat = switch (x.dtype()) {
                case FLOAT32 -> Tensor.of(target, x.toFloatArray(), dims);
                case FLOAT64 -> Tensor.of(target, x.toDoubleArray(), dims);
                default -> Tensor.of(target, x.toIntArray(), dims);
            };
            y = tmp.keep(x.rank() == 0 ? flat.asStrided(x.shape(), new long[0], 0) : flat);
        }
        Device back = x.device();
        return Node.record(y, new Views.Simple("to", g -> g.to(back)), x);
    }
}
