package dev.nabla.ops;

import dev.nabla.Tensor;
import dev.nabla.autograd.Function;
import dev.nabla.autograd.Node;
import dev.nabla.autograd.SavedTensor;
import dev.nabla.backend.BinaryOp;

/**
 * Broadcasting binary arithmetic. Each backward reduces the incoming gradient over the axes its
 * input was broadcast along ({@link Tensor#sumTo}), the adjoint of broadcasting.
 */
public final class Arithmetic {
    private Arithmetic() {
    }

    /** {@code a + b}: both gradients are {@code g}. */
    public static Tensor add(Tensor a, Tensor b) {
        Kernels.floating("add", a);
        return Node.record(Kernels.binary("add", BinaryOp.ADD, a, b), new Add(a, b), a, b);
    }

    /** {@code a - b}: gradients {@code g} and {@code -g}. */
    public static Tensor sub(Tensor a, Tensor b) {
        Kernels.floating("sub", a);
        return Node.record(Kernels.binary("sub", BinaryOp.SUB, a, b), new Sub(a, b), a, b);
    }

    /** {@code a · b}: gradients {@code g·b} and {@code g·a}. */
    public static Tensor mul(Tensor a, Tensor b) {
        Kernels.floating("mul", a);
        return Node.record(Kernels.binary("mul", BinaryOp.MUL, a, b), new Mul(a, b), a, b);
    }

    /** {@code a / b}: gradients {@code g/b} and {@code -g·a/b²}. */
    public static Tensor div(Tensor a, Tensor b) {
        Kernels.floating("div", a);
        return Node.record(Kernels.binary("div", BinaryOp.DIV, a, b), new Div(a, b), a, b);
    }

    /** Elementwise maximum: the gradient goes to the larger input ({@code a} on ties). */
    public static Tensor maximum(Tensor a, Tensor b) {
        Kernels.floating("maximum", a);
        return Node.record(Kernels.binary("maximum", BinaryOp.MAX, a, b), new Select("maximum", BinaryOp.GE, a, b),
                a, b);
    }

    /** Elementwise minimum: the gradient goes to the smaller input ({@code a} on ties). */
    public static Tensor minimum(Tensor a, Tensor b) {
        Kernels.floating("minimum", a);
        return Node.record(Kernels.binary("minimum", BinaryOp.MIN, a, b), new Select("minimum", BinaryOp.LE, a, b),
                a, b);
    }

    private abstract static class Binary extends Function {
        private final SavedTensor savedA;
        private final SavedTensor savedB;
        private final boolean aNeedsGrad;
        private final boolean bNeedsGrad;
        Tensor a;
        Tensor b;

        Binary(Tensor a, Tensor b) {
            this.savedA = save(a);
            this.savedB = save(b);
            this.aNeedsGrad = a.requiresGrad();
            this.bNeedsGrad = b.requiresGrad();
        }

        /** The gradient for {@code a} (null if not needed), before un-broadcasting. */
        abstract Tensor gradA(Tensor g);

        /** The gradient for {@code b} (null if not needed), before un-broadcasting. */
        abstract Tensor gradB(Tensor g);

        @Override
        public Tensor[] backward(Tensor g) {
            a = savedA.get();
            b = savedB.get();
            Tensor ga = aNeedsGrad ? gradA(g).sumTo(a.shape()) : null;
            Tensor gb = bNeedsGrad ? gradB(g).sumTo(b.shape()) : null;
            a = null;
            b = null;
            return new Tensor[] {ga, gb};
        }
    }

    private static final class Add extends Binary {
        Add(Tensor a, Tensor b) {
            super(a, b);
        }

        public String name() {
            return "add";
        }

        Tensor gradA(Tensor g) {
            return g;
        }

        Tensor gradB(Tensor g) {
            return g;
        }
    }

    private static final class Sub extends Binary {
        Sub(Tensor a, Tensor b) {
            super(a, b);
        }

        public String name() {
            return "sub";
        }

        Tensor gradA(Tensor g) {
            return g;
        }

        Tensor gradB(Tensor g) {
            return g.neg();
        }
    }

    private static final class Mul extends Binary {
        Mul(Tensor a, Tensor b) {
            super(a, b);
        }

        public String name() {
            return "mul";
        }

        Tensor gradA(Tensor g) {
            return g.mul(b);
        }

        Tensor gradB(Tensor g) {
            return g.mul(a);
        }
    }

    private static final class Div extends Binary {
        Div(Tensor a, Tensor b) {
            super(a, b);
        }

        public String name() {
            return "div";
        }

        Tensor gradA(Tensor g) {
            return g.div(b);
        }

        Tensor gradB(Tensor g) {
            return g.mul(a).div(b.square()).neg();
        }
    }

    /** maximum/minimum: {@code mask = compare(a, b)} routes g to a, {@code 1 - mask} to b. */
    private static final class Select extends Binary {
        private final String name;
        private final BinaryOp compare;

        Select(String name, BinaryOp compare, Tensor a, Tensor b) {
            super(a, b);
            this.name = name;
            this.compare = compare;
        }

        public String name() {
            return name;
        }

        Tensor gradA(Tensor g) {
            return g.mul(Kernels.binary(name, compare, a, b));
        }

        Tensor gradB(Tensor g) {
            return g.mul(Kernels.binary(name, compare, a, b).neg().add(1));
        }
    }
}
