package dev.nabla.ops;

import dev.nabla.DType;
import dev.nabla.Shape;
import dev.nabla.Tensor;
import dev.nabla.backend.Backend;
import dev.nabla.backend.BinaryOp;
import dev.nabla.backend.ReduceOp;
import dev.nabla.backend.UnaryOp;
import dev.nabla.Scope;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.util.Arrays;

/**
 * Tensor operations without autograd, over the Backend SPI: shape checks, broadcasting strides,
 * layout normalisation and kernel calls. Forward passes and backward rules share them; every
 * backend gets the same shape logic from here (nothing of it is duplicated in backends). Each
 * returns a new tensor (or writes into the one given) and frees its own temporaries.
 */
public final class NoGradOps {
    private NoGradOps() {
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

    /**
     * {@code t} when contiguous, else a contiguous copy: call inside a {@link Temporaries} scope,
     * which frees the copy.
     */
    public static Tensor dense(Tensor t) {
        return t.isContiguous() ? t : copy(t);
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
            try (Scope tmp = Temporaries.open()) {
                copyInto(Tensor.full(t.device(), t.dtype(), value), t);
            }
        }
    }

    /** Element {@code flat} (row-major logical order) of {@code t}. */
    public static double getElement(Tensor t, long flat) {
        long off = elementOffset(t, flat);
        Backend b = t.backend();
        switch (t.dtype()) {
            case FLOAT32: {
                FloatBuffer v = FloatBuffer.allocate(1);
                b.copyToHost(t.buffer(), off, v);
                return v.get(0);
            }
            case FLOAT64: {
                DoubleBuffer v = DoubleBuffer.allocate(1);
                b.copyToHost(t.buffer(), off, v);
                return v.get(0);
            }
            default: {
                IntBuffer v = IntBuffer.allocate(1);
                b.copyToHost(t.buffer(), off, v);
                return v.get(0);
            }
        }
    }

    /** Sets element {@code flat} (row-major logical order) of {@code t}. */
    public static void setElement(Tensor t, long flat, double value) {
        long off = elementOffset(t, flat);
        Backend b = t.backend();
        switch (t.dtype()) {
            case FLOAT32:
                b.copyFromHost(FloatBuffer.wrap(new float[] {(float) value}), t.buffer(), off);
                break;
            case FLOAT64:
                b.copyFromHost(DoubleBuffer.wrap(new double[] {value}), t.buffer(), off);
                break;
            default:
                b.copyFromHost(IntBuffer.wrap(new int[] {(int) value}), t.buffer(), off);
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
        floating(op.opName(), x);
        try (Scope tmp = Temporaries.open()) {
            Tensor xc = dense(x);
            Tensor y = empty(x, x.shape());
            x.backend().unary(op, param, xc.buffer(), xc.offset(), y.buffer(), y.offset(), x.numel());
            return tmp.keep(y);
        }
    }

    /** {@code op(x, param)} written into {@code out} (same shape; in place when {@code out == x}). */
    public static void unaryInto(UnaryOp op, double param, Tensor x, Tensor out) {
        if (out.isContiguous() && x.isContiguous()) {
            x.backend().unary(op, param, x.buffer(), x.offset(), out.buffer(), out.offset(), x.numel());
        } else {
            try (Scope tmp = Temporaries.open()) {
                copyInto(unary(op, param, x), out);
            }
        }
    }

    /**
     * The backend's fused {@code g · op'(x)} (given the forward output {@code y}; either of {@code x}
     * and {@code y} may be null when the op's derivative does not read it), or null when the backend
     * has no fused kernel for it and the op's backward rule must run.
     */
    public static Tensor fusedUnaryGrad(UnaryOp op, double param, Tensor x, Tensor y, Tensor g) {
        try (Scope tmp = Temporaries.open()) {
            Tensor gc = dense(g);
            Tensor xc = x == null ? gc : dense(x);
            Tensor yc = y == null ? gc : dense(y);
            Tensor dx = empty(g, g.shape());
            boolean done = g.backend().unaryGrad(op, param, xc.buffer(), xc.offset(), yc.buffer(), yc.offset(),
                    gc.buffer(), gc.offset(), dx.buffer(), dx.offset(), g.numel());
            return done ? tmp.keep(dx) : null;
        }
    }

    /** {@code op(a, b)} with broadcasting into a new tensor (the op's name in messages). */
    public static Tensor binary(BinaryOp op, Tensor a, Tensor b) {
        return binary(op.opName(), op, a, b);
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
            try (Scope tmp = Temporaries.open()) {
                copyInto(binary(name, op, a, b), out);
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

    /**
     * Reduces {@code axes} of {@code x} with {@code op} into a new tensor. A MEAN, MAX or MIN over no
     * elements has no value: it is refused, naming the op, the shape and the axes.
     */
    public static Tensor reduce(String name, ReduceOp op, Tensor x, int[] axes, boolean keepDim) {
        floating(name, x);
        int[] ax = axes(name, x.shape(), axes);
        Shape outShape = reducedShape(x.shape(), ax, keepDim);
        if (op != ReduceOp.SUM && outShape.numel() > 0 && x.numel() == 0) {
            throw new IllegalArgumentException(name + ": " + x.shape() + " over axes " + Arrays.toString(axes)
                    + " reduces empty sets of elements, which have no " + name + "; sum() of an empty set is 0");
        }
        try (Scope tmp = Temporaries.open()) {
            Tensor out = empty(x, outShape);
            Geometry g = Geometry.of(name, x, ax);
            x.backend().reduce(op, g.block.buffer(), g.block.offset(), g.outer, g.extent, g.inner, out.buffer(),
                    out.offset());
            return tmp.keep(out);
        }
    }

    /** INT32 index of the largest value along {@code axis}. */
    public static Tensor argMax(Tensor x, int axis, boolean keepDim) {
        int a = x.shape().axis(axis, "argMax");
        Shape outShape = reducedShape(x.shape(), new int[] {a}, keepDim);
        if (x.dim(a) == 0 && outShape.numel() > 0) {
            throw new IllegalArgumentException("argMax: axis " + axis + " of " + x.shape()
                    + " is empty: there is no index of a largest value");
        }
        try (Scope tmp = Temporaries.open()) {
            Tensor out = Tensor.empty(x.device(), DType.INT32, outShape);
            Geometry g = Geometry.of("argMax", x, new int[] {a});
            x.backend().argMax(g.block.buffer(), g.block.offset(), g.outer, g.extent, g.inner, out.buffer(),
                    out.offset());
            return tmp.keep(out);
        }
    }

    // ------------------------------------------------------------------ indexing

    /** The {@code [outer, extent, inner]} sizes of {@code x} around {@code axis}. */
    static int[] around(String op, Tensor x, int axis) {
        long outer = 1, inner = 1;
        for (int i = 0; i < axis; i++) {
            outer *= x.dim(i);
        }
        for (int i = axis + 1; i < x.rank(); i++) {
            inner *= x.dim(i);
        }
        return new int[] {Geometry.size(op, outer), x.dim(axis), Geometry.size(op, inner)};
    }

    /**
     * {@code out[o, j, i] = x[o, index[o, j, i], i]} around {@code axis} of {@code x}, for an INT32
     * {@code index} read through {@code indexStrides} ({@code {so, sj, si}}, 0 broadcasts) with
     * {@code count} positions along the axis; the result has {@code x}'s shape with {@code count}
     * at {@code axis}.
     */
    public static Tensor gather(String op, Tensor x, int axis, Tensor index, long[] indexStrides, int count) {
        int[] b = around(op, x, axis);
        int[] dims = x.dims();
        dims[axis] = count;
        try (Scope tmp = Temporaries.open()) {
            Tensor xc = dense(x);
            Tensor out = empty(x, Shape.of(dims));
            if (out.numel() > 0) {
                x.backend().gather(xc.buffer(), xc.offset(), b[0], b[1], b[2], index.buffer(), index.offset(),
                        indexStrides, count, out.buffer(), out.offset());
            }
            return tmp.keep(out);
        }
    }

    /**
     * Adds {@code src} into {@code out} at the positions {@code index} names along {@code axis} of
     * {@code out}: {@code out[o, index[o, j, i], i] += src[o, j, i]}; {@code src} has {@code out}'s
     * shape with {@code count} at {@code axis}. {@code out} must be contiguous.
     */
    public static void scatterAdd(String op, Tensor src, int axis, Tensor index, long[] indexStrides, Tensor out) {
        int[] b = around(op, out, axis);
        if (src.numel() == 0) {
            return;
        }
        try (Scope tmp = Temporaries.open()) {
            Tensor sc = dense(src);
            out.backend().scatterAdd(sc.buffer(), sc.offset(), b[0], src.dim(axis), b[2], index.buffer(),
                    index.offset(), indexStrides, out.buffer(), out.offset(), b[1]);
        }
    }

    /**
     * A contiguous {@code [outer, extent, inner]} block of {@code x} whose middle axis covers the
     * reduced axes: {@code x} itself when they are adjacent and {@code x} is contiguous, else a
     * copy (with the reduced axes moved last when they are not adjacent). Call inside a
     * {@link Temporaries} scope, which frees the copy.
     */
    record Geometry(Tensor block, int outer, int extent, int inner) {
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
            return new Geometry(dense(moved), size(op, outer), size(op, extent), 1);
        }

        static int size(String op, long n) {
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
