package dev.nabla.cpu;

import static dev.nabla.cpu.Args.bad;
import static dev.nabla.cpu.Args.own;
import static dev.nabla.cpu.Args.range;

import dev.nabla.DType;
import dev.nabla.backend.BinaryOp;
import dev.nabla.backend.Buffer;
import dev.nabla.backend.ReduceOp;
import dev.nabla.backend.UnaryOp;

/** Argument checks and dispatch of the arithmetic SPI methods to the array kernels. */
final class KernelDispatch {
    private KernelDispatch() {
    }

    static Object array(CpuBuffer b) {
        return switch (b.dtype()) {
            case FLOAT32 -> b.f;
            case FLOAT64 -> b.d;
            case INT32 -> b.i;
        };
    }

    private static CpuBuffer operand(CpuBackend be, String op, String name, Buffer buf, CpuBuffer first) {
        CpuBuffer b = own(be, op, name, buf);
        Args.sameDtype(op, first, name, b);
        return b;
    }

    // ------------------------------------------------------------------ gemm

    static void gemm(CpuBackend be, Parallel par, CpuKernels kernels, boolean ta, boolean tb, int m, int n, int k,
                     double alpha, Buffer a, long aOffset, int lda, long strideA, Buffer b, long bOffset, int ldb,
                     long strideB, double beta, Buffer c, long cOffset, int ldc, long strideC, int batch) {
        String op = "gemm";
        CpuBuffer ab = own(be, op, "A", a);
        CpuBuffer bb = own(be, op, "B", b);
        CpuBuffer cb = own(be, op, "C", c);
        Args.requireFloating(op, ab.dtype());
        Args.sameDtype(op, ab, "B", bb);
        Args.sameDtype(op, ab, "C", cb);
        if (m < 0 || n < 0 || k < 0 || batch < 0) {
            throw bad(op, "m=%d n=%d k=%d batch=%d: sizes must not be negative", m, n, k, batch);
        }
        if (strideA < 0 || strideB < 0 || strideC < 0) {
            throw bad(op, "batch strides %d, %d, %d must not be negative", strideA, strideB, strideC);
        }
        matrix(op, "A", ab, aOffset, lda, strideA, ta ? k : m, ta ? m : k, batch);
        matrix(op, "B", bb, bOffset, ldb, strideB, tb ? n : k, tb ? k : n, batch);
        matrix(op, "C", cb, cOffset, ldc, strideC, m, n, batch);
        if (batch == 0 || m == 0 || n == 0) {
            return;
        }
        long flops = 2L * m * n * k * batch;
        boolean acrossBatch = batch >= par.threads() && par.threads() > 1 && strideC != 0
                && flops >= GemmBlocking.PARALLEL_FLOPS && 2L * m * n * k < 64L * GemmBlocking.PARALLEL_FLOPS;
        if (ab.dtype() == DType.FLOAT32) {
            float al = (float) alpha;
            float bt = (float) beta;
            float[] af = ab.f;
            float[] bf = bb.f;
            float[] cf = cb.f;
            if (acrossBatch) {
                par.forRange(batch, 1, flops, 0, (from, to) -> {
                    for (int i = from; i < to; i++) {
                        int ao = (int) (aOffset + i * strideA), bo = (int) (bOffset + i * strideB);
                        int co = (int) (cOffset + i * strideC);
                        if (!small(kernels, ta, tb, m, n, k, al, af, ao, lda, bf, bo, ldb, bt, cf, co, ldc)) {
                            GemmF32.serial(kernels.f32(), ta, tb, m, n, k, al, af, ao, lda, bf, bo, ldb, bt, cf, co, ldc);
                        }
                    }
                });
            } else {
                for (int i = 0; i < batch; i++) {
                    int ao = (int) (aOffset + i * strideA), bo = (int) (bOffset + i * strideB);
                    int co = (int) (cOffset + i * strideC);
                    if (!small(kernels, ta, tb, m, n, k, al, af, ao, lda, bf, bo, ldb, bt, cf, co, ldc)) {
                        GemmF32.gemm(kernels.f32(), par, ta, tb, m, n, k, al, af, ao, lda, bf, bo, ldb, bt, cf, co,
                                ldc);
                    }
                }
            }
        } else {
            double[] ad = ab.d;
            double[] bd = bb.d;
            double[] cd = cb.d;
            if (acrossBatch) {
                par.forRange(batch, 1, flops, 0, (from, to) -> {
                    for (int i = from; i < to; i++) {
                        GemmF64.serial(kernels.f64(), ta, tb, m, n, k, alpha, ad, (int) (aOffset + i * strideA), lda,
                                bd, (int) (bOffset + i * strideB), ldb, beta, cd, (int) (cOffset + i * strideC), ldc);
                    }
                });
            } else {
                for (int i = 0; i < batch; i++) {
                    GemmF64.gemm(kernels.f64(), par, ta, tb, m, n, k, alpha, ad, (int) (aOffset + i * strideA), lda,
                            bd, (int) (bOffset + i * strideB), ldb, beta, cd, (int) (cOffset + i * strideC), ldc);
                }
            }
        }
    }

    /** A float32 product on the unpacked kernels when its shape suits them ({@link SimdLoops#gemm}). */
    private static boolean small(CpuKernels kernels, boolean ta, boolean tb, int m, int n, int k, float alpha,
                                 float[] a, int ao, int lda, float[] b, int bo, int ldb, float beta, float[] c, int co,
                                 int ldc) {
        return kernels.math().gemm(ta, tb, m, n, k, alpha, a, ao, lda, b, bo, ldb, beta, c, co, ldc,
                kernels.f32().mr, kernels.f32().nr);
    }

    /** A stored {@code rows x cols} matrix with leading dimension {@code ld}, {@code batch} times, fits. */
    private static void matrix(String op, String name, CpuBuffer b, long offset, int ld, long stride, int rows,
                               int cols, int batch) {
        if (ld < Math.max(1, cols)) {
            throw bad(op, "leading dimension of %s is %d, smaller than its %d stored columns", name, ld, cols);
        }
        if (offset < 0) {
            throw bad(op, "offset of %s is negative (%d)", name, offset);
        }
        if (rows == 0 || cols == 0 || batch == 0) {
            return;
        }
        long last = offset + (batch - 1) * stride + (long) (rows - 1) * ld + cols - 1;
        if (last >= b.size()) {
            throw bad(op, "%s (%d x %d, ld %d, offset %d, batch %d, stride %d) reaches element %d of its %d", name,
                    rows, cols, ld, offset, batch, stride, last, b.size());
        }
    }

    // ------------------------------------------------------------------ elementwise

    static void unary(CpuBackend be, Parallel par, SimdLoops math, UnaryOp op, double p, Buffer x, long xo, Buffer y, long yo,
                      long count) {
        String name = "unary";
        if (op == null) {
            throw bad(name, "op is null");
        }
        CpuBuffer xb = own(be, name, "x", x);
        CpuBuffer yb = operand(be, name, "y", y, xb);
        Args.requireFloating(name, xb.dtype());
        range(name, "x", xb, xo, count);
        range(name, "y", yb, yo, count);
        int n = (int) count;
        if (xb.dtype() == DType.FLOAT32) {
            float[] xs = xb.f;
            float[] ys = yb.f;
            par.elementwise(n, (from, to) -> UnaryKernels.apply(math, op, (float) p, xs, (int) xo + from, ys, (int) yo + from,
                    to - from));
        } else {
            double[] xs = xb.d;
            double[] ys = yb.d;
            par.elementwise(n, (from, to) -> UnaryKernels.apply(math, op, p, xs, (int) xo + from, ys, (int) yo + from,
                    to - from));
        }
    }

    /**
     * The fused gradient when the Vector API loops have one for {@code op} in float32; false (core
     * runs the op's backward rule) otherwise, float64 included.
     */
    static boolean unaryGrad(CpuBackend be, Parallel par, SimdLoops math, UnaryOp op, double p, Buffer x, long xo,
                             Buffer y, long yo, Buffer dy, long dyo, Buffer dx, long dxo, long count) {
        String name = "unaryGrad";
        if (op == null) {
            throw bad(name, "op is null");
        }
        CpuBuffer xb = own(be, name, "x", x);
        CpuBuffer yb = operand(be, name, "y", y, xb);
        CpuBuffer dyb = operand(be, name, "dy", dy, xb);
        CpuBuffer dxb = operand(be, name, "dx", dx, xb);
        Args.requireFloating(name, xb.dtype());
        range(name, "x", xb, xo, count);
        range(name, "y", yb, yo, count);
        range(name, "dy", dyb, dyo, count);
        range(name, "dx", dxb, dxo, count);
        if (xb.dtype() != DType.FLOAT32 || !math.fusesGradient(op)) {
            return false;
        }
        int n = (int) count;
        par.elementwise(n, (from, to) -> math.unaryGrad(op, (float) p, xb.f, (int) xo + from, yb.f,
                (int) yo + from, dyb.f, (int) dyo + from, dxb.f, (int) dxo + from, to - from));
        return true;
    }

    static void binary(CpuBackend be, Parallel par, SimdLoops math, BinaryOp op, Buffer a, long aOffset, long[] aStrides, Buffer b,
                       long bOffset, long[] bStrides, Buffer out, long outOffset, int[] shape) {
        String name = "binary";
        if (op == null) {
            throw bad(name, "op is null");
        }
        CpuBuffer ab = own(be, name, "a", a);
        CpuBuffer bb = operand(be, name, "b", b, ab);
        CpuBuffer ob = operand(be, name, "out", out, ab);
        if (ab.dtype() == DType.INT32 && !op.supportsInt()) {
            throw new UnsupportedOperationException("cpu backend: binary " + op + " does not support int32 (the op "
                    + "table has no integer form of it)");
        }
        Args.shape(name, shape);
        Args.stridedRange(name, "a", ab, aOffset, aStrides, shape);
        Args.stridedRange(name, "b", bb, bOffset, bStrides, shape);
        long count = CpuBackend.count(shape);
        range(name, "out", ob, outOffset, count);
        if (count == 0) {
            return;
        }
        StrideMerge.Merged l = StrideMerge.merge(shape, aStrides, bStrides);
        Object aa = array(ab);
        Object ba = array(bb);
        Object oa = array(ob);
        par.forRange((int) l.rows(), 1, count, Parallel.ELEMENTWISE_GRAIN,
                (from, to) -> BinaryKernels.rows(math, op, aa, aOffset, ba, bOffset, oa, outOffset, l, from, to));
    }

    // ------------------------------------------------------------------ reductions, softmax

    static void reduce(CpuBackend be, Parallel par, SimdLoops math, ReduceOp op, Buffer x, long xo, int outer, int extent, int inner,
                       Buffer out, long oo) {
        String name = "reduce";
        if (op == null) {
            throw bad(name, "op is null");
        }
        CpuBuffer xb = own(be, name, "x", x);
        CpuBuffer ob = operand(be, name, "out", out, xb);
        Args.requireFloating(name, xb.dtype());
        block(name, outer, extent, inner);
        range(name, "x", xb, xo, (long) outer * extent * inner);
        range(name, "out", ob, oo, (long) outer * inner);
        long work = (long) outer * Math.max(1, extent) * inner;
        if (xb.dtype() == DType.FLOAT32) {
            par.forRange(outer, 1, work, Parallel.ELEMENTWISE_GRAIN,
                    (from, to) -> ReduceKernels.reduce(math, op, xb.f, (int) xo, from, to, extent, inner, ob.f, (int) oo));
        } else {
            par.forRange(outer, 1, work, Parallel.ELEMENTWISE_GRAIN,
                    (from, to) -> ReduceKernels.reduce(op, xb.d, (int) xo, from, to, extent, inner, ob.d, (int) oo));
        }
    }

    private static void block(String name, int outer, int extent, int inner) {
        if (outer < 0 || extent < 0 || inner < 0) {
            throw bad(name, "block [%d, %d, %d] has a negative extent", outer, extent, inner);
        }
        if ((long) outer * extent * inner > Integer.MAX_VALUE) {
            throw bad(name, "block [%d, %d, %d] is larger than a cpu buffer", outer, extent, inner);
        }
    }

    static void argMax(CpuBackend be, Parallel par, Buffer x, long xo, int outer, int extent, int inner, Buffer out,
                       long oo) {
        String name = "argMax";
        CpuBuffer xb = own(be, name, "x", x);
        CpuBuffer ob = own(be, name, "out", out, DType.INT32);
        Args.requireFloating(name, xb.dtype());
        block(name, outer, extent, inner);
        range(name, "x", xb, xo, (long) outer * extent * inner);
        range(name, "out", ob, oo, (long) outer * inner);
        if (extent == 0 && outer * inner > 0) {
            throw bad(name, "block [%d, 0, %d]: no index of the largest value along an empty axis", outer, inner);
        }
        Object xa = array(xb);
        par.forRange(outer, 1, (long) outer * extent * inner, Parallel.ELEMENTWISE_GRAIN,
                (from, to) -> ReduceKernels.argMax(xa, (int) xo, from, to, extent, inner, ob.i, (int) oo));
    }

    static void softmax(CpuBackend be, Parallel par, SimdLoops math, boolean log, Buffer x, long xo, int rows, int cols, Buffer y,
                        long yo) {
        String name = "softmax";
        CpuBuffer xb = own(be, name, "x", x);
        CpuBuffer yb = operand(be, name, "y", y, xb);
        Args.requireFloating(name, xb.dtype());
        block(name, rows, cols, 1);
        range(name, "x", xb, xo, (long) rows * cols);
        range(name, "y", yb, yo, (long) rows * cols);
        long work = 8L * rows * cols;
        if (xb.dtype() == DType.FLOAT32) {
            par.forRange(rows, 1, work, Parallel.ELEMENTWISE_GRAIN,
                    (from, to) -> SoftmaxKernels.softmax(math, log, xb.f, (int) xo, yb.f, (int) yo, from, to, cols));
        } else {
            par.forRange(rows, 1, work, Parallel.ELEMENTWISE_GRAIN,
                    (from, to) -> SoftmaxKernels.softmax(math, log, xb.d, (int) xo, yb.d, (int) yo, from, to, cols));
        }
    }

    static void softmaxCrossEntropy(CpuBackend be, Parallel par, SimdLoops math, Buffer logits, long xo, Buffer labels, long lo,
                                    int rows, int classes, Buffer losses, long losso, Buffer grad, long go) {
        String name = "softmaxCrossEntropy";
        CpuBuffer xb = own(be, name, "logits", logits);
        CpuBuffer lb = own(be, name, "labels", labels, DType.INT32);
        CpuBuffer lossb = operand(be, name, "losses", losses, xb);
        CpuBuffer gb = grad == null ? null : operand(be, name, "grad", grad, xb);
        Args.requireFloating(name, xb.dtype());
        block(name, rows, classes, 1);
        range(name, "logits", xb, xo, (long) rows * classes);
        range(name, "labels", lb, lo, rows);
        range(name, "losses", lossb, losso, rows);
        if (gb != null) {
            range(name, "grad", gb, go, (long) rows * classes);
        }
        int[] lab = lb.i;
        for (int r = 0; r < rows; r++) {
            int label = lab[(int) lo + r];
            if (label < 0 || label >= classes) {
                throw bad(name, "row %d has label %d, outside [0, %d) for %d classes", r, label, classes, classes);
            }
        }
        long work = 8L * rows * classes;
        if (xb.dtype() == DType.FLOAT32) {
            float[] g = gb == null ? null : gb.f;
            par.forRange(rows, 1, work, Parallel.ELEMENTWISE_GRAIN, (from, to) -> SoftmaxKernels.crossEntropy(math, xb.f,
                    (int) xo, lab, (int) lo, lossb.f, (int) losso, g, (int) go, from, to, classes));
        } else {
            double[] g = gb == null ? null : gb.d;
            par.forRange(rows, 1, work, Parallel.ELEMENTWISE_GRAIN, (from, to) -> SoftmaxKernels.crossEntropy(math, xb.d,
                    (int) xo, lab, (int) lo, lossb.d, (int) losso, g, (int) go, from, to, classes));
        }
    }

    // ------------------------------------------------------------------ dropout, optimizers

    static void dropout(CpuBackend be, Parallel par, double p, long seed, Buffer x, long xo, Buffer y, long yo,
                        Buffer mask, long mo, long count) {
        String name = "dropout";
        CpuBuffer xb = own(be, name, "x", x);
        CpuBuffer yb = operand(be, name, "y", y, xb);
        CpuBuffer mb = operand(be, name, "mask", mask, xb);
        Args.requireFloating(name, xb.dtype());
        if (!(p >= 0 && p <= 1)) {
            throw bad(name, "p = %s is outside [0, 1]", p);
        }
        range(name, "x", xb, xo, count);
        range(name, "y", yb, yo, count);
        range(name, "mask", mb, mo, count);
        Object xa = array(xb);
        Object ya = array(yb);
        Object ma = array(mb);
        par.forRange((int) count, 4, 8 * count, Parallel.ELEMENTWISE_GRAIN,
                (from, to) -> TrainingKernels.dropout(p, seed, xa, (int) xo, ya, (int) yo, ma, (int) mo, from, to));
    }

    static void sgdStep(CpuBackend be, Parallel par, SimdLoops math, Buffer param, long po, Buffer grad, long go, Buffer velocity,
                        long vo, long count, double lr, double momentum, double dampening, double wd, boolean nesterov,
                        boolean first) {
        String name = "sgdStep";
        CpuBuffer pb = own(be, name, "param", param);
        CpuBuffer gb = operand(be, name, "grad", grad, pb);
        Args.requireFloating(name, pb.dtype());
        CpuBuffer vb = null;
        if (momentum != 0) {
            if (velocity == null) {
                throw bad(name, "momentum = %s needs a velocity buffer", momentum);
            }
            vb = operand(be, name, "velocity", velocity, pb);
            range(name, "velocity", vb, vo, count);
        }
        range(name, "param", pb, po, count);
        range(name, "grad", gb, go, count);
        CpuBuffer v = vb;
        if (pb.dtype() == DType.FLOAT32) {
            float[] vf = v == null ? null : v.f;
            par.elementwise((int) count, (from, to) -> TrainingKernels.sgd(math, pb.f, (int) po, gb.f, (int) go, vf,
                    (int) vo, from, to, lr, momentum, dampening, wd, nesterov, first));
        } else {
            double[] vd = v == null ? null : v.d;
            par.elementwise((int) count, (from, to) -> TrainingKernels.sgd(pb.d, (int) po, gb.d, (int) go, vd,
                    (int) vo, from, to, lr, momentum, dampening, wd, nesterov, first));
        }
    }

    static void adamStep(CpuBackend be, Parallel par, SimdLoops math, Buffer param, long po, Buffer grad, long go, Buffer m, long mo,
                         Buffer v, long vo, long count, double lr, double b1, double b2, double eps, double wd,
                         boolean decoupled, long step) {
        String name = "adamStep";
        CpuBuffer pb = own(be, name, "param", param);
        CpuBuffer gb = operand(be, name, "grad", grad, pb);
        CpuBuffer mb = operand(be, name, "m", m, pb);
        CpuBuffer vb = operand(be, name, "v", v, pb);
        Args.requireFloating(name, pb.dtype());
        if (step < 1) {
            throw bad(name, "step = %d: steps count from 1", step);
        }
        range(name, "param", pb, po, count);
        range(name, "grad", gb, go, count);
        range(name, "m", mb, mo, count);
        range(name, "v", vb, vo, count);
        if (pb.dtype() == DType.FLOAT32) {
            par.elementwise((int) count, (from, to) -> TrainingKernels.adam(math, pb.f, (int) po, gb.f, (int) go, mb.f,
                    (int) mo, vb.f, (int) vo, from, to, lr, b1, b2, eps, wd, decoupled, step));
        } else {
            par.elementwise((int) count, (from, to) -> TrainingKernels.adam(pb.d, (int) po, gb.d, (int) go, mb.d,
                    (int) mo, vb.d, (int) vo, from, to, lr, b1, b2, eps, wd, decoupled, step));
        }
    }
}
