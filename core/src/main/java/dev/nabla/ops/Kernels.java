package dev.nabla.ops;

import dev.nabla.DType;
import dev.nabla.Shape;
import dev.nabla.Tensor;
import dev.nabla.backend.Backend;
import dev.nabla.backend.BinaryOp;
import dev.nabla.backend.ReduceOp;
import dev.nabla.backend.UnaryOp;
import java.util.Arrays;

/**
 * Raw tensor computations over the Backend SPI: shape checks, broadcasting strides, layout
 * normalisation and kernel calls, with no autograd. Forward passes and backward rules share them;
 * every backend gets the same shape logic from here (nothing of it is duplicated in backends).
 */
public final class Kernels {
    private Kernels() {
    }

    // ------------------------------------------------------------------ checks

    /** Both tensors on one device, or an IllegalArgumentException naming the op and devices. */
    public static void sameDevice(String op, Tensor a, Tensor b) {
        if (a.device() != b.device()) {
            throw new IllegalArgumentException(op + ": tensors are on different devices, " + a.device() + " and "
                    + b.device() + "; move one with to(device)");
        }
    }

    /** Same dtype, or an IllegalArgumentException naming the op and dtypes. */
    public static void sameDType(String op, Tensor a, Tensor b) {
        if (a.dtype() != b.dtype()) {
            throw new IllegalArgumentException(op + ": dtypes differ, " + a.dtype().shortName() + " and "
                    + b.dtype().shortName() + "; convert one with to(DType)");
        }
    }

    /** A floating dtype, or an IllegalArgumentException naming the op. */
    public static void floating(String op, Tensor t) {
        if (!t.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException(op + ": needs a floating tensor, got " + t.describe());
        }
    }

    // ------------------------------------------------------------------ layout

    /** A new contiguous tensor of {@code t}'s shape and dtype. */
    public static Tensor empty(Tensor like, Shape shape) {
        return Tensor.empty(like.device(), like.dtype(), shape);
    }

    /** A new contiguous copy of {@code t} (always a new tensor). */
    public static Tensor copy(Tensor t) {
        Tensor out = empty(t, t.shape());
        copyInto(t, out);
        return out;
    }

    /** {@code t} when contiguous, else a contiguous copy; callers close the copy via {@link #release}. */
    public static Tensor dense(Tensor t) {
        return t.isContiguous() ? t : copy(t);
    }

    /** Closes {@code temp} when it is a temporary made from {@code original}. */
    public static void release(Tensor original, Tensor temp) {
        if (temp != original) {
            temp.close();
        }
    }

    /** Strides that read {@code t} broadcast to {@code target} (0 on broadcast axes). */
    public static long[] broadcastStrides(Tensor t, Shape target) {
        int r = target.rank();
        int off = r - t.rank();
        long[] ts = t.strides();
        long[] s = new long[r];
        for (int i = 0; i < t.rank(); i++) {
            s[i + off] = t.dim(i) == 1 && target.dim(i + off) != 1 ? 0 : ts[i];
        }
        return s;
    }

    /** Copies {@code src}, broadcast to {@code dst}'s shape, into {@code dst} (any layout, same dtype). */
    public static void copyInto(Tensor src, Tensor dst) {
        sameDevice("copy", src, dst);
        sameDType("copy", src, dst);
        if (!src.shape().broadcastsTo(dst.shape())) {
            throw new IllegalArgumentException("copy: source " + src.shape() + " cannot be broadcast to destination "
                    + dst.shape());
        }
        if (dst.numel() == 0) {
            return;
        }
        dst.backend().copy(src.buffer(), src.offset(), broadcastStrides(src, dst.shape()), dst.buffer(),
                dst.offset(), dst.strides(), dst.dims());
    }

    /** Sets every element of {@code t} (any layout) to {@code value}. */
    public static void fill(Tensor t, double value) {
        if (t.isContiguous()) {
            t.backend().fill(t.buffer(), t.offset(), t.numel(), value);
        } else {
            try (Tensor v = Tensor.full(t.device(), t.dtype(), value)) {
                copyInto(v, t);
            }
        }
    }

    /** Element {@code flat} (row-major logical order) of {@code t}. */
    public static double getElement(Tensor t, long flat) {
        long off = elementOffset(t, flat);
        Backend b = t.backend();
        switch (t.dtype()) {
            case FLOAT32: {
                float[] v = new float[1];
                b.copyToHost(t.buffer(), off, v, 0, 1);
                return v[0];
            }
            case FLOAT64: {
                double[] v = new double[1];
                b.copyToHost(t.buffer(), off, v, 0, 1);
                return v[0];
            }
            default: {
                int[] v = new int[1];
                b.copyToHost(t.buffer(), off, v, 0, 1);
                return v[0];
            }
        }
    }

    /** Sets element {@code flat} (row-major logical order) of {@code t}. */
    public static void setElement(Tensor t, long flat, double value) {
        long off = elementOffset(t, flat);
        Backend b = t.backend();
        switch (t.dtype()) {
            case FLOAT32:
                b.copyFromHost(new float[] {(float) value}, 0, t.buffer(), off, 1);
                break;
            case FLOAT64:
                b.copyFromHost(new double[] {value}, 0, t.buffer(), off, 1);
                break;
            default:
                b.copyFromHost(new int[] {(int) value}, 0, t.buffer(), off, 1);
        }
    }

    private static long elementOffset(Tensor t, long flat) {
        if (flat < 0 || flat >= t.numel()) {
            throw new IllegalArgumentException("element index " + flat + " is out of range for " + t.describe());
        }
        long[] s = t.strides();
        long off = t.offset();
        long rest = flat;
        for (int i = t.rank() - 1; i >= 0; i--) {
            int d = t.dim(i);
            off += (rest % d) * s[i];
            rest /= d;
        }
        return off;
    }

    // ------------------------------------------------------------------ elementwise

    /** {@code op(x, param)} into a new tensor. */
    public static Tensor unary(UnaryOp op, double param, Tensor x) {
        floating(op.name().toLowerCase(java.util.Locale.ROOT), x);
        Tensor xc = dense(x);
        try {
            Tensor y = empty(x, x.shape());
            x.backend().unary(op, param, xc.buffer(), xc.offset(), y.buffer(), y.offset(), x.numel());
            return y;
        } finally {
            release(x, xc);
        }
    }

    /** {@code op(x, param)} written into {@code out} (same shape; in place when {@code out == x}). */
    public static void unaryInto(UnaryOp op, double param, Tensor x, Tensor out) {
        if (out.isContiguous() && x.isContiguous()) {
            x.backend().unary(op, param, x.buffer(), x.offset(), out.buffer(), out.offset(), x.numel());
        } else {
            try (Tensor y = unary(op, param, x)) {
                copyInto(y, out);
            }
        }
    }

    /** {@code g · op'(x)}, given the forward output {@code y}. */
    public static Tensor unaryGrad(UnaryOp op, double param, Tensor x, Tensor y, Tensor g) {
        Tensor xc = dense(x), yc = dense(y), gc = dense(g);
        try {
            Tensor dx = empty(x, x.shape());
            x.backend().unaryGrad(op, param, xc.buffer(), xc.offset(), yc.buffer(), yc.offset(), gc.buffer(),
                    gc.offset(), dx.buffer(), dx.offset(), x.numel());
            return dx;
        } finally {
            release(x, xc);
            release(y, yc);
            release(g, gc);
        }
    }

    /** {@code op(a, b)} with broadcasting into a new tensor. */
    public static Tensor binary(String name, BinaryOp op, Tensor a, Tensor b) {
        sameDevice(name, a, b);
        sameDType(name, a, b);
        Shape out = Shape.broadcast(name, a.shape(), b.shape());
        Tensor o = empty(a, out);
        binaryInto(name, op, a, b, o);
        return o;
    }

    /**
     * {@code op(a, b)} with broadcasting into {@code out}, whose shape must be the broadcast shape.
     * {@code out} may be {@code a} (in place) when contiguous; a non-contiguous {@code out} goes
     * through a temporary.
     */
    public static void binaryInto(String name, BinaryOp op, Tensor a, Tensor b, Tensor out) {
        sameDevice(name, a, b);
        sameDType(name, a, b);
        sameDType(name, a, out);
        Shape s = Shape.broadcast(name, a.shape(), b.shape());
        if (!s.equals(out.shape())) {
            throw new IllegalArgumentException(name + ": result of shape " + s + " does not fit the output "
                    + out.shape());
        }
        if (s.numel() == 0) {
            return;
        }
        if (!out.isContiguous()) {
            try (Tensor tmp = binary(name, op, a, b)) {
                copyInto(tmp, out);
            }
            return;
        }
        a.backend().binary(op, a.buffer(), a.offset(), broadcastStrides(a, s), b.buffer(), b.offset(),
                broadcastStrides(b, s), out.buffer(), out.offset(), s.dims());
    }

    // ------------------------------------------------------------------ reductions

    /** Normalised, sorted, distinct axes. */
    public static int[] axes(String op, Shape shape, int[] axes) {
        int[] n = new int[axes.length];
        for (int i = 0; i < axes.length; i++) {
            n[i] = shape.axis(axes[i], op);
        }
        Arrays.sort(n); // not a stream: this runs for every reduction, and the stream cost ~0.5 us
        for (int i = 1; i < n.length; i++) {
            if (n[i] == n[i - 1]) {
                throw new IllegalArgumentException(op + ": axis listed twice in " + Arrays.toString(axes));
            }
        }
        return n;
    }

    /** The shape after reducing {@code axes} (kept as 1 when {@code keepDim}). */
    public static Shape reducedShape(Shape shape, int[] axes, boolean keepDim) {
        int[] dims = shape.dims();
        int[] out = new int[keepDim ? dims.length : dims.length - axes.length];
        int j = 0;
        for (int i = 0, a = 0; i < dims.length; i++) {
            boolean reduced = a < axes.length && axes[a] == i;
            if (reduced) {
                a++;
                if (keepDim) {
                    out[j++] = 1;
                }
            } else {
                out[j++] = dims[i];
            }
        }
        return Shape.of(out);
    }

    /** Reduces {@code axes} of {@code x} with {@code op} into a new tensor. */
    public static Tensor reduce(String name, ReduceOp op, Tensor x, int[] axes, boolean keepDim) {
        floating(name, x);
        int[] ax = axes(name, x.shape(), axes);
        Shape outShape = reducedShape(x.shape(), ax, keepDim);
        Tensor out = empty(x, outShape);
        Geometry g = Geometry.of(name, x, ax);
        try {
            x.backend().reduce(op, g.block.buffer(), g.block.offset(), g.outer, g.extent, g.inner, out.buffer(),
                    out.offset());
        } finally {
            release(x, g.block);
        }
        return out;
    }

    /** INT32 index of the largest value along {@code axis}. */
    public static Tensor argMax(Tensor x, int axis, boolean keepDim) {
        int a = x.shape().axis(axis, "argMax");
        Shape outShape = reducedShape(x.shape(), new int[] {a}, keepDim);
        Tensor out = Tensor.empty(x.device(), DType.INT32, outShape);
        Geometry g = Geometry.of("argMax", x, new int[] {a});
        try {
            x.backend().argMax(g.block.buffer(), g.block.offset(), g.outer, g.extent, g.inner, out.buffer(),
                    out.offset());
        } finally {
            release(x, g.block);
        }
        return out;
    }

    /**
     * A contiguous {@code [outer, extent, inner]} block of {@code x} whose middle axis covers the
     * reduced axes: {@code x} itself when they are adjacent and {@code x} is contiguous, else a
     * copy (with the reduced axes moved last when they are not adjacent). Release with
     * {@code release(x, block)}.
     */
    private record Geometry(Tensor block, int outer, int extent, int inner) {
        static Geometry of(String op, Tensor x, int[] axes) {
            int[] dims = x.dims();
            if (axes.length == 0) {
                return new Geometry(dense(x), size(op, x.numel()), 1, 1);
            }
            boolean adjacent = axes[axes.length - 1] - axes[0] == axes.length - 1;
            if (adjacent) {
                long outer = 1, extent = 1, inner = 1;
                for (int i = 0; i < dims.length; i++) {
                    if (i < axes[0]) {
                        outer *= dims[i];
                    } else if (i <= axes[axes.length - 1]) {
                        extent *= dims[i];
                    } else {
                        inner *= dims[i];
                    }
                }
                return new Geometry(dense(x), size(op, outer), size(op, extent), size(op, inner));
            }
            int[] order = new int[dims.length];
            int j = 0;
            long outer = 1, extent = 1;
            for (int i = 0; i < dims.length; i++) {
                if (Arrays.binarySearch(axes, i) < 0) {
                    order[j++] = i;
                    outer *= dims[i];
                }
            }
            for (int axis : axes) {
                order[j++] = axis;
                extent *= dims[axis];
            }
            Tensor moved = x.asStrided(Shape.of(permuted(dims, order)), permuted(x.strides(), order), x.offset());
            Tensor block = dense(moved);
            if (block != moved) {
                moved.close();
            }
            return new Geometry(block, size(op, outer), size(op, extent), 1);
        }

        private static int size(String op, long n) {
            if (n > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(op + ": " + n + " elements along one reduction block exceed 2^31-1");
            }
            return (int) n;
        }
    }

    static int[] permuted(int[] v, int[] order) {
        int[] out = new int[order.length];
        for (int i = 0; i < order.length; i++) {
            out[i] = v[order[i]];
        }
        return out;
    }

    static long[] permuted(long[] v, int[] order) {
        long[] out = new long[order.length];
        for (int i = 0; i < order.length; i++) {
            out[i] = v[order[i]];
        }
        return out;
    }
}
