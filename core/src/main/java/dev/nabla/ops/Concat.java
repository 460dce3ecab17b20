package dev.nabla.ops;

import dev.nabla.Shape;
import dev.nabla.Tensor;
import dev.nabla.autograd.Function;
import dev.nabla.autograd.Node;

/** Joins tensors along one axis (copying each into its window of the result); backward slices the gradient back apart. */
public final class Concat {
    private Concat() {
    }

    /** See {@link Tensor#concat}. */
    public static Tensor apply(int axis, Tensor... parts) {
        if (parts.length == 0) {
            throw new IllegalArgumentException("concat: needs at least one tensor");
        }
        Tensor first = parts[0];
        int a = first.shape().axis(axis, "concat");
        int[] dims = first.dims();
        int total = 0;
        for (int i = 0; i < parts.length; i++) {
            Tensor p = parts[i];
            NoGradOps.sameDevice("concat", first, p);
            NoGradOps.sameDType("concat", first, p);
            if (p.rank() != first.rank()) {
                throw new IllegalArgumentException("concat: tensor " + i + " " + p.shape() + " and tensor 0 "
                        + first.shape() + " differ in rank");
            }
            for (int d = 0; d < dims.length; d++) {
                if (d != a && p.dim(d) != dims[d]) {
                    throw new IllegalArgumentException("concat: tensor " + i + " " + p.shape() + " and tensor 0 "
                            + first.shape() + " differ at axis " + d + ", which is not the concat axis " + axis);
                }
            }
            total += p.dim(a);
        }
        dims[a] = total;
        Tensor out = NoGradOps.empty(first, Shape.of(dims));
        int[] starts = new int[parts.length + 1];
        for (int i = 0; i < parts.length; i++) {
            starts[i + 1] = starts[i] + parts[i].dim(a);
            try (Tensor window = out.slice(a, starts[i], starts[i + 1])) {
                NoGradOps.copyInto(parts[i], window);
            }
        }
        return Node.record(out, new Backward(a, starts), parts);
    }

    private static final class Backward extends Function {
        private final int axis;
        private final int[] starts;

        Backward(int axis, int[] starts) {
            this.axis = axis;
            this.starts = starts;
        }

        @Override
        public String name() {
            return "concat";
        }

        @Override
        public Tensor[] backward(Tensor g) {
            Tensor[] out = new Tensor[starts.length - 1];
            for (int i = 0; i < out.length; i++) {
                out[i] = g.slice(axis, starts[i], starts[i + 1]);
            }
            return out;
        }
    }
}
