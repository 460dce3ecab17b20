package dev.nabla.ops;

import dev.nabla.Scope;
import dev.nabla.Shape;
import dev.nabla.Tensor;
import dev.nabla.autograd.Function;
import dev.nabla.autograd.Node;
import dev.nabla.autograd.SavedTensor;
import java.util.Arrays;

/**
 * Matrix product {@code C = A·B} over the last two axes, with one batch axis that may broadcast
 * (stride 0). Operands whose last two axes are a transposed layout go to GEMM with the transpose
 * flag instead of being copied. Backward: {@code dA = dC·Bᵀ}, {@code dB = Aᵀ·dC}.
 */
public final class MatMul {
    private MatMul() {
    }

    /** {@code a @ b}; see {@link Tensor#matmul}. */
    public static Tensor apply(Tensor a, Tensor b) {
        String op = "matmul";
        NoGradOps.sameDevice(op, a, b);
        NoGradOps.sameDType(op, a, b);
        NoGradOps.floating(op, a);
        if (a.rank() < 2 || b.rank() < 2) {
            throw new IllegalArgumentException(op + ": " + a.shape() + " @ " + b.shape()
                    + ": both operands need at least 2 axes (reshape a vector to [1, n] or [n, 1])");
        }
        int k = a.dim(-1);
        if (b.dim(-2) != k) {
            throw new IllegalArgumentException(op + ": " + a.shape() + " @ " + b.shape() + ": inner dimensions "
                    + k + " and " + b.dim(-2) + " differ");
        }
        if (b.rank() > 3 || (a.rank() > 3 && b.rank() == 3)) {
            throw new IllegalArgumentException(op + ": " + a.shape() + " @ " + b.shape()
                    + ": supported are [m,k]@[k,n], [b,m,k]@[b,k,n] (either batch may be 1 or absent) and [...,m,k]@[k,n]");
        }
        Tensor out = compute(a, b);
        return Node.record(out, new Backward(a, b), a, b);
    }

    private static Tensor compute(Tensor a, Tensor b) {
        int m = a.dim(-2), k = a.dim(-1), n = b.dim(-1);
        try (Scope tmp = Temporaries.open()) {
            Tensor a3 = batched(a);
            Tensor b3 = batched(b);
            int ba = a3.dim(0), bb = b3.dim(0);
            if (ba != bb && ba != 1 && bb != 1) {
                throw new IllegalArgumentException("matmul: " + a.shape() + " @ " + b.shape() + ": batch sizes " + ba
                        + " and " + bb + " differ");
            }
            int batch = Math.max(ba, bb);
            int[] outDims;
            if (a.rank() == 2 && b.rank() == 2) {
                outDims = new int[] {m, n};
            } else if (a.rank() >= b.rank()) {
                outDims = Arrays.copyOf(a.dims(), a.rank());
                outDims[a.rank() - 1] = n;
                if (b.rank() == 3 && ba == 1) {
                    outDims[0] = bb;
                }
            } else {
                outDims = new int[] {bb, m, n};
            }
            Tensor out = NoGradOps.empty(a, Shape.of(outDims));
            if (out.numel() == 0) {
                return tmp.keep(out);
            }
            Operand oa = Operand.of(a3);
            Operand ob = Operand.of(b3);
            a.backend().gemmBatched(oa.trans, ob.trans, m, n, k, 1.0,
                    oa.t.buffer(), oa.t.offset(), oa.ld, ba == 1 ? 0 : oa.batchStride,
                    ob.t.buffer(), ob.t.offset(), ob.ld, bb == 1 ? 0 : ob.batchStride,
                    0.0, out.buffer(), out.offset(), n, (long) m * n, batch);
            return tmp.keep(out);
        }
    }

    /**
     * {@code out = a·b + beta·out} for 2-D {@code a [m, k]} and {@code b [k, n]} in any layout GEMM
     * reads directly (row-major or a transposed view; others are copied) and a contiguous
     * {@code out [m, n]}, recording no graph. With {@code beta == 1} the product is added to what
     * {@code out} holds (a bias, for {@link FusedLinear}).
     */
    static void gemmInto(Tensor a, Tensor b, double beta, Tensor out) {
        int m = a.dim(0), k = a.dim(1), n = b.dim(1);
        if (m == 0 || n == 0) {
            return;
        }
        try (Scope tmp = Temporaries.open()) {
            Operand oa = Operand.of(batched(a));
            Operand ob = Operand.of(batched(b));
            a.backend().gemmBatched(oa.trans, ob.trans, m, n, k, 1.0, oa.t.buffer(), oa.t.offset(), oa.ld, 0,
                    ob.t.buffer(), ob.t.offset(), ob.ld, 0, beta, out.buffer(), out.offset(), n, (long) m * n, 1);
        }
    }

    /**
     * A rank-3 raw view {@code [batch, rows, cols]} of an operand (copying only when leading axes
     * cannot merge); call inside a {@link Temporaries} scope.
     */
    private static Tensor batched(Tensor x) {
        int r = x.rank();
        long[] s = x.strides();
        int rows = x.dim(-2), cols = x.dim(-1);
        if (r == 2) {
            return x.asStrided(Shape.of(1, rows, cols), new long[] {0, s[0], s[1]}, x.offset());
        }
        // Merge the leading axes into one batch axis when their strides nest (size-1 axes never matter).
        long batch = 1;
        long batchStride = 0;
        boolean mergeable = true;
        for (int i = 0; i < r - 2; i++) {
            int d = x.dim(i);
            batch *= d;
            if (d == 1) {
                continue;
            }
            if (batchStride != 0 && batchStride != s[i] * d) {
                mergeable = false;
            }
            batchStride = s[i];
        }
        if (!mergeable) {
            return batched(NoGradOps.copy(x));
        }
        return x.asStrided(Shape.of(Math.toIntExact(batch), rows, cols), new long[] {batchStride, s[r - 2], s[r - 1]},
                x.offset());
    }

    /** How GEMM reads one rank-3 operand: row-major as is, or as the transpose of a row-major matrix. */
    private record Operand(Tensor t, boolean trans, int ld, long batchStride) {
        static Operand of(Tensor x) {
            long[] s = x.strides();
            int rows = x.dim(1), cols = x.dim(2);
            if ((s[2] == 1 || cols == 1) && (s[1] >= cols || rows == 1)) {
                return new Operand(x, false, (int) Math.max(rows == 1 ? cols : s[1], Math.max(cols, 1)), s[0]);
            }
            if ((s[1] == 1 || rows == 1) && (s[2] >= rows || cols == 1)) {
                return new Operand(x, true, (int) Math.max(cols == 1 ? rows : s[2], Math.max(rows, 1)), s[0]);
            }
            Tensor c = NoGradOps.copy(x);
            return new Operand(c, false, Math.max(cols, 1), (long) rows * cols);
        }
    }

    private static final class Backward extends Function {
        private final SavedTensor savedA;
        private final SavedTensor savedB;
        private final boolean aNeedsGrad;
        private final boolean bNeedsGrad;

        Backward(Tensor a, Tensor b) {
            this.savedA = save(a);
            this.savedB = save(b);
            this.aNeedsGrad = a.requiresGrad();
            this.bNeedsGrad = b.requiresGrad();
        }

        @Override
        public String name() {
            return "matmul";
        }

        @Override
        public Tensor[] backward(Tensor g) {
            Tensor a = savedA.get();
            Tensor b = savedB.get();
            Tensor ga = null, gb = null;
            if (aNeedsGrad) {
                ga = g.matmul(b.transpose()).sumTo(a.shape());
            }
            if (bNeedsGrad) {
                if (b.rank() == 2 && a.rank() > 2) {
                    // Fold the batch into rows: one [k, M] @ [M, n] product instead of a batch summed afterwards.
                    int k = a.dim(-1), n = b.dim(-1);
                    gb = a.reshape(-1, k).transpose().matmul(g.reshape(-1, n));
                } else {
                    gb = a.transpose().matmul(g).sumTo(b.shape());
                }
            }
            return new Tensor[] {ga, gb};
        }

    }
}
