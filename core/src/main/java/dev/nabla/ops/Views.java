package dev.nabla.ops;

import dev.nabla.Scope;
import dev.nabla.Shape;
import dev.nabla.Tensor;
import dev.nabla.autograd.Function;
import dev.nabla.autograd.Node;
import java.util.Arrays;

/**
 * Differentiable views: new shape/strides/offset over the same buffer, no copy (reshape copies
 * only when the layout forbids a view). Their backward rules move the gradient back into the
 * input's geometry: inverse permutation, reshape back, pad a slice with zeros, sum over expanded axes.
 */
public final class Views {
    private Views() {
    }

    /** Swaps two axes. */
    public static Tensor transpose(Tensor x, int axis0, int axis1) {
        int a = x.shape().axis(axis0, "transpose");
        int b = x.shape().axis(axis1, "transpose");
        int[] order = new int[x.rank()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        order[a] = b;
        order[b] = a;
        return permute(x, order);
    }

    /** Axis {@code i} of the result is axis {@code order[i]} of {@code x}. */
    public static Tensor permute(Tensor x, int... order) {
        if (order.length != x.rank()) {
            throw new IllegalArgumentException("permute: order " + Arrays.toString(order) + " has " + order.length
                    + " axes but the tensor " + x.shape() + " has " + x.rank());
        }
        int[] norm = new int[order.length];
        boolean[] seen = new boolean[order.length];
        for (int i = 0; i < order.length; i++) {
            norm[i] = x.shape().axis(order[i], "permute");
            if (seen[norm[i]]) {
                throw new IllegalArgumentException("permute: order " + Arrays.toString(order) + " repeats axis "
                        + order[i]);
            }
            seen[norm[i]] = true;
        }
        Tensor y = x.asStrided(Shape.of(NoGradOps.permuted(x.dims(), norm)), NoGradOps.permuted(x.strides(), norm),
                x.offset());
        int[] inverse = new int[norm.length];
        for (int i = 0; i < norm.length; i++) {
            inverse[norm[i]] = i;
        }
        return Node.record(y, new Simple("permute", g -> g.permute(inverse)), x);
    }

    /** Same elements in a new shape (one size may be -1); a view when {@code x} is contiguous. */
    public static Tensor reshape(Tensor x, int... shape) {
        Shape target = inferShape(x, shape);
        if (target.equals(x.shape())) {
            return identityView(x, "reshape");
        }
        Tensor y;
        if (x.isContiguous()) {
            y = x.asStrided(target, target.contiguousStrides(), x.offset());
        } else {
            try (Scope tmp = Temporaries.open()) {
                Tensor c = NoGradOps.copy(x);
                y = tmp.keep(c.asStrided(target, target.contiguousStrides(), c.offset()));
            }
        }
        int[] back = x.dims();
        return Node.record(y, new Simple("reshape", g -> g.reshape(back)), x);
    }

    private static Shape inferShape(Tensor x, int[] shape) {
        int infer = -1;
        long known = 1;
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] == -1) {
                if (infer >= 0) {
                    throw new IllegalArgumentException("reshape: " + x.shape() + " to " + Arrays.toString(shape)
                            + ": only one size may be -1");
                }
                infer = i;
            } else if (shape[i] < 0) {
                throw new IllegalArgumentException("reshape: " + x.shape() + " to " + Arrays.toString(shape)
                        + ": sizes must be >= 0 or -1");
            } else {
                known *= shape[i];
            }
        }
        int[] dims = shape.clone();
        if (infer >= 0) {
            if (known == 0 || x.numel() % known != 0) {
                throw new IllegalArgumentException("reshape: " + x.shape() + " (" + x.numel() + " elements) to "
                        + Arrays.toString(shape) + ": cannot infer the -1 size");
            }
            dims[infer] = (int) (x.numel() / known);
        }
        Shape s = Shape.of(dims);
        if (s.numel() != x.numel()) {
            throw new IllegalArgumentException("reshape: " + x.shape() + " (" + x.numel() + " elements) to " + s
                    + " (" + s.numel() + " elements): element counts differ");
        }
        return s;
    }

    /** Inserts a size-1 axis at {@code axis} (0..rank). */
    public static Tensor unsqueeze(Tensor x, int axis) {
        int r = x.rank();
        int a = axis < 0 ? axis + r + 1 : axis;
        if (a < 0 || a > r) {
            throw new IllegalArgumentException("unsqueeze: axis " + axis + " is out of range for shape " + x.shape());
        }
        int[] dims = new int[r + 1];
        for (int i = 0, j = 0; i <= r; i++) {
            dims[i] = i == a ? 1 : x.dim(j++);
        }
        return reshape(x, dims);
    }

    /** Removes size-1 axis {@code axis}. */
    public static Tensor squeeze(Tensor x, int axis) {
        int a = x.shape().axis(axis, "squeeze");
        if (x.dim(a) != 1) {
            throw new IllegalArgumentException("squeeze: axis " + axis + " of " + x.shape() + " has size "
                    + x.dim(a) + ", not 1");
        }
        int[] dims = new int[x.rank() - 1];
        for (int i = 0, j = 0; i < x.rank(); i++) {
            if (i != a) {
                dims[j++] = x.dim(i);
            }
        }
        return reshape(x, dims);
    }

    /** Elements {@code [start, end)} along {@code axis}; negative indices count from the end. */
    public static Tensor slice(Tensor x, int axis, int start, int end) {
        int a = x.shape().axis(axis, "slice");
        int n = x.dim(a);
        int s = start < 0 ? start + n : start;
        int e = end < 0 ? end + n : end;
        if (s < 0 || e > n || s > e) {
            throw new IllegalArgumentException("slice: [" + start + ", " + end + ") is out of range for axis " + axis
                    + " of size " + n + " in " + x.shape());
        }
        int[] dims = x.dims();
        dims[a] = e - s;
        long[] strides = x.strides();
        Tensor y = x.asStrided(Shape.of(dims), strides, x.offset() + (long) s * strides[a]);
        int[] inDims = x.dims();
        return Node.record(y, new Simple("slice", g -> {
            Tensor full = Tensor.zeros(g.device(), g.dtype(), inDims);
            NoGradOps.copyInto(g, full.slice(a, s, e));
            return full;
        }), x);
    }

    /** Index {@code index} along {@code axis}, dropping the axis. */
    public static Tensor select(Tensor x, int axis, int index) {
        int a = x.shape().axis(axis, "select");
        int n = x.dim(a);
        int i = index < 0 ? index + n : index;
        if (i < 0 || i >= n) {
            throw new IllegalArgumentException("select: index " + index + " is out of range for axis " + axis
                    + " of size " + n + " in " + x.shape());
        }
        return squeeze(slice(x, a, i, i + 1), a);
    }

    /** Broadcasts size-1 axes (and new leading axes) to {@code shape}; -1 keeps a size. */
    public static Tensor expand(Tensor x, int... shape) {
        int r = shape.length;
        if (r < x.rank()) {
            throw new IllegalArgumentException("expand: " + x.shape() + " to " + Arrays.toString(shape)
                    + ": the target has fewer axes");
        }
        int off = r - x.rank();
        int[] dims = new int[r];
        long[] strides = new long[r];
        long[] xs = x.strides();
        for (int i = 0; i < r; i++) {
            int target = shape[i];
            if (i < off) {
                if (target < 0) {
                    throw new IllegalArgumentException("expand: -1 is not allowed for new leading axis " + i);
                }
                dims[i] = target;
                strides[i] = 0;
                continue;
            }
            int d = x.dim(i - off);
            if (target == -1 || target == d) {
                dims[i] = d;
                strides[i] = xs[i - off];
            } else if (d == 1) {
                dims[i] = target;
                strides[i] = 0;
            } else {
                throw new IllegalArgumentException("expand: " + x.shape() + " to " + Arrays.toString(shape)
                        + ": axis " + i + " has size " + d + ", which is not 1 and differs from " + target);
            }
        }
        Tensor y = x.asStrided(Shape.of(dims), strides, x.offset());
        Shape in = x.shape();
        return Node.record(y, new Simple("expand", g -> g.sumTo(in)), x);
    }

    /** A contiguous copy through which the gradient flows unchanged. */
    public static Tensor contiguous(Tensor x) {
        return Node.record(NoGradOps.copy(x), new Simple("contiguous", g -> g), x);
    }

    private static Tensor identityView(Tensor x, String name) {
        Tensor y = x.asStrided(x.shape(), x.strides(), x.offset());
        return Node.record(y, new Simple(name, g -> g), x);
    }

    /** A single-input op whose backward is one expression of the gradient. */
    static final class Simple extends Function {
        private final String name;
        private final java.util.function.UnaryOperator<Tensor> rule;

        Simple(String name, java.util.function.UnaryOperator<Tensor> rule) {
            this.name = name;
            this.rule = rule;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public Tensor[] backward(Tensor g) {
            return new Tensor[] {rule.apply(g)};
        }
    }
}
