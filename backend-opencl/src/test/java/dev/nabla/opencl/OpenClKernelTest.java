package dev.nabla.opencl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nabla.DType;
import dev.nabla.Device;
import dev.nabla.Nabla;
import dev.nabla.Scope;
import dev.nabla.Tensor;
import dev.nabla.backend.Backend;
import dev.nabla.backend.BinaryOp;
import dev.nabla.backend.Buffer;
import dev.nabla.backend.Philox;
import dev.nabla.backend.ReduceOp;
import dev.nabla.backend.UnaryOp;
import dev.nabla.testing.HostArrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The shared kernels on OpenCL against scalar double references: awkward shapes, offsets, every
 * transpose, NaN and ties. (The SPI contract suite covers the rest; these pin kernel details.)
 */
class OpenClKernelTest {
    private final Backend b = OpenClTestSupport.backend();
    private final Random rnd = new Random(7);

    private Buffer upload(float[] v) {
        Buffer buf = b.allocate(DType.FLOAT32, v.length);
        b.copyFromHost(HostArrays.wrap(v, 0, v.length), buf, 0);
        return buf;
    }

    private Buffer upload(double[] v) {
        Buffer buf = b.allocate(DType.FLOAT64, v.length);
        b.copyFromHost(HostArrays.wrap(v, 0, v.length), buf, 0);
        return buf;
    }

    private float[] download(Buffer buf) {
        float[] out = new float[(int) buf.size()];
        b.copyToHost(buf, 0, HostArrays.wrap(out, 0, out.length));
        return out;
    }

    private float[] random(int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) rnd.nextGaussian();
        }
        return v;
    }

    /** Relative error as DESIGN.md defines it, NaN where the NaN patterns differ. */
    private static double relativeError(float[] got, double[] ref) {
        double maxDiff = 0, maxRef = 0;
        for (int i = 0; i < ref.length; i++) {
            if (Double.isNaN(ref[i]) || Double.isInfinite(ref[i])) {
                if (Double.compare(ref[i], got[i]) != 0 && !(Double.isNaN(ref[i]) && Float.isNaN(got[i]))) {
                    return Double.NaN;
                }
                continue;
            }
            maxDiff = Math.max(maxDiff, Math.abs(got[i] - ref[i]));
            maxRef = Math.max(maxRef, Math.abs(ref[i]));
        }
        return maxDiff / Math.max(maxRef, 1e-12);
    }

    @Test
    void gemmMatchesReferenceForEveryTransposeOffsetLeadingDimensionAndBatch() {
        int[][] shapes = {{1, 1, 1}, {3, 5, 7}, {65, 33, 17}, {70, 130, 129}};
        for (int[] s : shapes) {
            for (int t = 0; t < 4; t++) {
                checkGemm(s[0], s[1], s[2], (t & 1) != 0, (t & 2) != 0, 3, 1, 7, 2, 5);
            }
        }
    }

    /** Leading dimensions, offsets and batch strides all multiples of 4: the vector-load kernel, edges included. */
    @Test
    void gemmWithAlignedOperandsMatchesReference() {
        int[][] shapes = {{4, 4, 4}, {37, 29, 23}, {130, 66, 70}};
        for (int[] s : shapes) {
            for (int t = 0; t < 4; t++) {
                int m = s[0], n = s[1], k = s[2];
                boolean ta = (t & 1) != 0, tb = (t & 2) != 0;
                int padA = (4 - (ta ? m : k) % 4) % 4 + 4, padB = (4 - (tb ? k : n) % 4) % 4;
                checkGemm(m, n, k, ta, tb, padA, padB, 8, 4, 0);
            }
        }
    }

    private void checkGemm(int m, int n, int k, boolean ta, boolean tb, int padA, int padB, int offA, int offB,
                           int strideAExtra) {
        int batch = 2;
        int lda = (ta ? m : k) + padA, ldb = (tb ? k : n) + padB, ldc = n + 2;
        int aRows = ta ? k : m, bRows = tb ? n : k;
        long strideA = (long) aRows * lda + strideAExtra, strideB = (long) bRows * ldb, strideC = (long) m * ldc + 1;
        float[] a = random((int) (offA + strideA * batch));
        float[] bm = random((int) (offB + strideB * batch));
        float[] c = random((int) (4 + strideC * batch));
        double alpha = 1.5, beta = 0.5;
        double[] ref = new double[c.length];
        for (int i = 0; i < c.length; i++) {
            ref[i] = c[i];
        }
        for (int p = 0; p < batch; p++) {
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double acc = 0;
                    for (int q = 0; q < k; q++) {
                        double av = a[(int) (offA + p * strideA + (ta ? q * lda + i : i * lda + q))];
                        double bv = bm[(int) (offB + p * strideB + (tb ? j * ldb + q : q * ldb + j))];
                        acc += av * bv;
                    }
                    int at = (int) (4 + p * strideC + i * ldc + j);
                    ref[at] = alpha * acc + beta * c[at];
                }
            }
        }
        try (Buffer da = upload(a); Buffer db = upload(bm); Buffer dc = upload(c)) {
            b.gemmBatched(ta, tb, m, n, k, alpha, da, offA, lda, strideA, db, offB, ldb, strideB, beta, dc, 4, ldc,
                    strideC, batch);
            assertThat(relativeError(download(dc), ref)).as("m=%d n=%d k=%d ta=%s tb=%s lda=%d ldb=%d", m, n, k, ta, tb,
                    lda, ldb).isLessThan(1e-5);
        }
    }

    @Test
    void gemmWithBetaZeroDoesNotReadCAndKZeroScalesC() {
        float[] nan = new float[6];
        java.util.Arrays.fill(nan, Float.NaN);
        try (Buffer a = upload(new float[] {1, 2, 3, 4}); Buffer bb = upload(new float[] {1, 0, 0, 1, 1, 1});
             Buffer c = upload(nan)) {
            b.gemm(false, false, 2, 3, 2, 1, a, 0, 2, bb, 0, 3, 0, c, 0, 3);
            assertThat(download(c)).containsExactly(3, 2, 2, 7, 4, 4);
            b.gemm(false, false, 2, 3, 0, 1, a, 0, 0, bb, 0, 3, 2, c, 0, 3);
            assertThat(download(c)).containsExactly(6, 4, 4, 14, 8, 8);
        }
    }

    @Test
    void gemmInFloat64IsExactOnIntegers() {
        double[] a = new double[40 * 30], bm = new double[30 * 50];
        for (int i = 0; i < a.length; i++) {
            a[i] = i % 7 - 3;
        }
        for (int i = 0; i < bm.length; i++) {
            bm[i] = i % 5 - 2;
        }
        try (Buffer da = upload(a); Buffer db = upload(bm); Buffer dc = b.allocate(DType.FLOAT64, 40 * 50)) {
            b.gemm(false, true, 40, 50, 30, 1, da, 0, 30, db, 0, 30, 0, dc, 0, 50);
            double[] out = new double[40 * 50];
            b.copyToHost(dc, 0, HostArrays.wrap(out, 0, out.length));
            for (int i = 0; i < 40; i++) {
                for (int j = 0; j < 50; j++) {
                    double acc = 0;
                    for (int q = 0; q < 30; q++) {
                        acc += a[i * 30 + q] * bm[j * 30 + q];
                    }
                    assertThat(out[i * 50 + j]).isEqualTo(acc);
                }
            }
        }
    }

    private static final float[] SPECIAL = {-2.5f, -1f, -0f, 0f, 0.25f, 1f, 3f, Float.NaN,
            Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 1e-3f, -0.75f};

    @Test
    void unaryOpsAndGradientsMatchTheirScalarReferences() {
        double param = 0.3;
        int n = SPECIAL.length;
        try (Buffer x = upload(SPECIAL); Buffer y = b.allocate(DType.FLOAT32, n + 2);
             Buffer dy = upload(new float[] {1, 2, -1, 0.5f, 1, 1, 3, 1, 1, 2, 1, -2});
             Buffer dx = b.allocate(DType.FLOAT32, n)) {
            for (UnaryOp op : UnaryOp.values()) {
                b.unary(op, param, x, 0, y, 2, n);
                float[] got = new float[n];
                b.copyToHost(y, 2, HostArrays.wrap(got, 0, n));
                double[] ref = new double[n];
                for (int i = 0; i < n; i++) {
                    ref[i] = (float) op.apply(SPECIAL[i], (float) param);
                }
                assertThat(relativeError(got, ref)).as(op.name()).isLessThan(1e-6);

                if (!b.unaryGrad(op, param, x, 0, y, 2, dy, 0, dx, 0, n)) {
                    continue; // no fused kernel: core runs the op's backward rule
                }
                float[] grad = download(dx);
                float[] dyHost = download(dy);
                double[] rule = backwardRule(op, (float) param, SPECIAL, got, dyHost);
                for (int i = 0; i < n; i++) {
                    ref[i] = (float) rule[i];
                }
                assertThat(relativeError(grad, ref)).as("d " + op.name()).isLessThan(1e-6);
            }
        }
    }

    /** The op's backward rule from the table, run in float64 on the reference backend. */
    private static double[] backwardRule(UnaryOp op, double param, float[] x, float[] y, float[] dy) {
        Device ref = Device.reference();
        try (Scope s = Nabla.scope(); var g = Nabla.noGrad()) {
            Tensor xt = Tensor.of(ref, x).to(DType.FLOAT64);
            Tensor yt = Tensor.of(ref, java.util.Arrays.copyOf(y, x.length)).to(DType.FLOAT64);
            Tensor gt = Tensor.of(ref, dy).to(DType.FLOAT64);
            return op.backward(gt, xt, yt, param).toDoubleArray();
        }
    }

    @Test
    void binaryOpsBroadcastByZeroStridesAndFollowJavaNaNRules() {
        int[] shape = {2, 3, 4};
        float[] a = random(24);
        a[5] = Float.NaN;
        a[6] = -0f;
        float[] bv = {0.5f, Float.NaN, 0f, -2f};
        try (Buffer da = upload(a); Buffer db = upload(bv); Buffer out = b.allocate(DType.FLOAT32, 24)) {
            for (BinaryOp op : BinaryOp.values()) {
                b.binary(op, da, 0, new long[] {12, 4, 1}, db, 0, new long[] {0, 0, 1}, out, 0, shape);
                double[] ref = new double[24];
                for (int i = 0; i < 24; i++) {
                    ref[i] = (float) op.apply(a[i], bv[i % 4]);
                }
                float[] got = download(out);
                assertThat(relativeError(got, ref)).as(op.name()).isLessThan(1e-6);
                if (op == BinaryOp.MAX || op == BinaryOp.MIN) {
                    assertThat(Float.floatToIntBits(got[6])).as(op + " of -0 and 0")
                            .isEqualTo(Float.floatToIntBits((float) op.apply(-0f, 0f)));
                }
            }
        }
    }

    @Test
    void int32BinaryOpsWrapLikeJavaAndBroadcast() {
        int[] a = {Integer.MAX_VALUE, Integer.MIN_VALUE, -7, 0, 46341, 3};
        int[] bv = {1, 65536};
        BinaryOp[] ops = {BinaryOp.ADD, BinaryOp.SUB, BinaryOp.MUL, BinaryOp.MAX, BinaryOp.MIN, BinaryOp.EQ,
            BinaryOp.NE, BinaryOp.LT, BinaryOp.LE, BinaryOp.GT, BinaryOp.GE};
        try (Buffer da = b.allocate(DType.INT32, 6); Buffer db = b.allocate(DType.INT32, 2);
             Buffer out = b.allocate(DType.INT32, 6)) {
            b.copyFromHost(HostArrays.wrap(a, 0, 6), da, 0);
            b.copyFromHost(HostArrays.wrap(bv, 0, 2), db, 0);
            for (BinaryOp op : ops) {
                b.binary(op, da, 0, new long[] {2, 1}, db, 0, new long[] {0, 1}, out, 0, new int[] {3, 2});
                int[] got = new int[6];
                b.copyToHost(out, 0, HostArrays.wrap(got, 0, 6));
                for (int i = 0; i < 6; i++) {
                    int x = a[i], y = bv[i % 2];
                    int ref = switch (op) {
                        case ADD -> x + y;
                        case SUB -> x - y;
                        case MUL -> x * y;
                        case MAX -> Math.max(x, y);
                        case MIN -> Math.min(x, y);
                        default -> (int) op.apply(x, y);
                    };
                    assertThat(got[i]).as("%s(%d, %d)", op, x, y).isEqualTo(ref);
                }
            }
        }
    }

    @Test
    void stridedCopyTransposesBroadcastsAndHandlesMoreThanEightAxes() {
        float[] src = new float[1024];
        for (int i = 0; i < src.length; i++) {
            src[i] = i;
        }
        int[] shape = {2, 2, 2, 2, 2, 2, 2, 2, 2, 2};
        long[] reversed = new long[10], contiguous = new long[10];
        for (int d = 0; d < 10; d++) {
            reversed[d] = 1L << d;
            contiguous[d] = 1L << (9 - d);
        }
        try (Buffer s = upload(src); Buffer d = b.allocate(DType.FLOAT32, 1024)) {
            b.copy(s, 0, reversed, d, 0, contiguous, shape);
            float[] got = download(d);
            for (int i = 0; i < 1024; i++) {
                assertThat(got[i]).isEqualTo((float) Integer.reverse(i << 22));
            }
            b.copy(s, 3, new long[] {0, 1}, d, 10, new long[] {5, 1}, new int[] {4, 5});
            b.copyToHost(d, 10, HostArrays.wrap(got, 0, 20));
            for (int i = 0; i < 20; i++) {
                assertThat(got[i]).isEqualTo(3 + i % 5);
            }
        }
        try (Buffer s = b.allocate(DType.FLOAT64, 6); Buffer d = b.allocate(DType.FLOAT64, 6)) {
            b.copyFromHost(HostArrays.wrap(new double[] {1, 2, 3, 4, 5, 6}, 0, 6), s, 0);
            b.copy(s, 0, new long[] {1, 2}, d, 0, new long[] {3, 1}, new int[] {2, 3});
            double[] got = new double[6];
            b.copyToHost(d, 0, HostArrays.wrap(got, 0, 6));
            assertThat(got).containsExactly(1, 3, 5, 2, 4, 6);
        }
    }

    @Test
    void castsFollowJavaConversionAndFillConvertsTheValue() {
        float[] v = {2.7f, -2.7f, Float.NaN, 1e10f, -1e10f, 0.5f};
        try (Buffer f = upload(v); Buffer i = b.allocate(DType.INT32, 6); Buffer d = b.allocate(DType.FLOAT64, 6);
             Buffer back = b.allocate(DType.FLOAT32, 6)) {
            b.cast(f, 0, i, 0, 6);
            int[] ints = new int[6];
            b.copyToHost(i, 0, HostArrays.wrap(ints, 0, 6));
            assertThat(ints).containsExactly(2, -2, 0, Integer.MAX_VALUE, Integer.MIN_VALUE, 0);
            b.cast(f, 0, d, 0, 6);
            b.cast(d, 0, back, 0, 6);
            assertThat(download(back)).containsExactly(v);
            b.cast(i, 0, d, 0, 6);
            double[] ds = new double[6];
            b.copyToHost(d, 0, HostArrays.wrap(ds, 0, 6));
            assertThat(ds).containsExactly(2, -2, 0, Integer.MAX_VALUE, Integer.MIN_VALUE, 0);
            b.fill(i, 1, 3, -7.9);
            b.copyToHost(i, 0, HostArrays.wrap(ints, 0, 6));
            assertThat(ints).containsExactly(2, -7, -7, -7, Integer.MIN_VALUE, 0);
            b.fill(d, 0, 6, Math.PI);
            b.copyToHost(d, 0, HostArrays.wrap(ds, 0, 6));
            assertThat(ds).containsOnly(Math.PI);
        }
    }

    @Test
    void reductionsOnBothLaunchShapesMatchTheReference() {
        int[][] blocks = {{3, 1000, 1}, {4, 7, 5}, {2, 2000, 3}, {1, 70, 1}, {5, 0, 2}};
        for (int[] blk : blocks) {
            int outer = blk[0], extent = blk[1], inner = blk[2];
            float[] x = random(Math.max(1, outer * extent * inner));
            if (extent > 10) {
                x[inner * 9] = Float.NaN;
            }
            double[] xd = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                xd[i] = x[i];
            }
            try (Buffer dx = upload(x); Buffer out = b.allocate(DType.FLOAT32, outer * inner);
                 Buffer idx = b.allocate(DType.INT32, outer * inner)) {
                for (ReduceOp op : ReduceOp.values()) {
                    b.reduce(op, dx, 0, outer, extent, inner, out, 0);
                    double[] ref = new double[outer * inner];
                    for (int o = 0; o < outer; o++) {
                        for (int j = 0; j < inner; j++) {
                            ref[o * inner + j] = op.reference(xd, o * extent * inner + j, extent, inner);
                        }
                    }
                    assertThat(relativeError(download(out), ref)).as("%s %d/%d/%d", op, outer, extent, inner)
                            .isLessThan(1e-5);
                }
                if (extent > 0) {
                    b.argMax(dx, 0, outer, extent, inner, idx, 0);
                    int[] got = new int[outer * inner];
                    b.copyToHost(idx, 0, HostArrays.wrap(got, 0, got.length));
                    for (int o = 0; o < outer; o++) {
                        for (int j = 0; j < inner; j++) {
                            int best = 0;
                            for (int e = 1; e < extent; e++) {
                                double c = xd[(o * extent + e) * inner + j], m = xd[(o * extent + best) * inner + j];
                                if (!Double.isNaN(m) && (Double.isNaN(c) || c > m)) {
                                    best = e;
                                }
                            }
                            assertThat(got[o * inner + j]).as("argMax %d/%d/%d at %d,%d", outer, extent, inner, o, j)
                                    .isEqualTo(best);
                        }
                    }
                }
            }
        }
    }

    @Test
    void argMaxTakesTheFirstOfTiesOnBothLaunchShapes() {
        for (int extent : new int[] {5, 3000}) {
            float[] x = new float[extent];
            x[extent / 2] = 4;
            x[extent - 1] = 4;
            try (Buffer dx = upload(x); Buffer idx = b.allocate(DType.INT32, 1)) {
                b.argMax(dx, 0, 1, extent, 1, idx, 0);
                int[] got = new int[1];
                b.copyToHost(idx, 0, HostArrays.wrap(got, 0, 1));
                assertThat(got[0]).isEqualTo(extent / 2);
            }
        }
    }

    @Test
    void softmaxAndLogSoftmaxAreStableForLargeLogits() {
        int rows = 3, cols = 300;
        float[] x = random(rows * cols);
        x[7] = 1000;
        x[cols + 3] = -1000;
        try (Buffer dx = upload(x); Buffer y = b.allocate(DType.FLOAT32, rows * cols)) {
            for (boolean log : new boolean[] {false, true}) {
                b.softmax(log, dx, 0, rows, cols, y, 0);
                double[] ref = new double[rows * cols];
                for (int r = 0; r < rows; r++) {
                    double m = Double.NEGATIVE_INFINITY, s = 0;
                    for (int c = 0; c < cols; c++) {
                        m = Math.max(m, x[r * cols + c]);
                    }
                    for (int c = 0; c < cols; c++) {
                        s += Math.exp(x[r * cols + c] - m);
                    }
                    for (int c = 0; c < cols; c++) {
                        double z = x[r * cols + c] - m;
                        ref[r * cols + c] = log ? z - Math.log(s) : Math.exp(z) / s;
                    }
                }
                assertThat(relativeError(download(y), ref)).as(log ? "logSoftmax" : "softmax").isLessThan(1e-5);
            }
        }
    }

    @Test
    void softmaxCrossEntropyGivesLossAndGradientAndRejectsBadLabelsBeforeWriting() {
        int rows = 4, classes = 9;
        float[] logits = random(rows * classes);
        int[] labels = {0, 8, 3, 3};
        try (Buffer dl = upload(logits); Buffer lab = b.allocate(DType.INT32, rows);
             Buffer loss = b.allocate(DType.FLOAT32, rows); Buffer grad = b.allocate(DType.FLOAT32, rows * classes)) {
            b.copyFromHost(HostArrays.wrap(labels, 0, rows), lab, 0);
            b.softmaxCrossEntropy(dl, 0, lab, 0, rows, classes, loss, 0, grad, 0);
            double[] refLoss = new double[rows], refGrad = new double[rows * classes];
            for (int r = 0; r < rows; r++) {
                double m = Double.NEGATIVE_INFINITY, s = 0;
                for (int c = 0; c < classes; c++) {
                    m = Math.max(m, logits[r * classes + c]);
                }
                for (int c = 0; c < classes; c++) {
                    s += Math.exp(logits[r * classes + c] - m);
                }
                refLoss[r] = m + Math.log(s) - logits[r * classes + labels[r]];
                for (int c = 0; c < classes; c++) {
                    refGrad[r * classes + c] = Math.exp(logits[r * classes + c] - m) / s - (c == labels[r] ? 1 : 0);
                }
            }
            float[] lossBefore = download(loss);
            assertThat(relativeError(lossBefore, refLoss)).isLessThan(1e-5);
            assertThat(relativeError(download(grad), refGrad)).isLessThan(1e-5);

            b.copyFromHost(HostArrays.wrap(new int[] {-1}, 0, 1), lab, 2);
            b.fill(loss, 0, rows, 42);
            assertThatThrownBy(() -> b.softmaxCrossEntropy(dl, 0, lab, 0, rows, classes, loss, 0, null, 0))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("label -1 of row 2")
                    .hasMessageContaining(String.valueOf(classes));
            assertThat(download(loss)).containsOnly(42f);
        }
    }

    @Test
    void dropoutDrawsExactlyThePhiloxMask() {
        int n = 1001;
        long seed = 0x1234_5678_9abc_def0L;
        float[] x = random(n);
        for (double p : new double[] {0, 0.3, 1}) {
            try (Buffer dx = upload(x); Buffer y = b.allocate(DType.FLOAT32, n + 3);
                 Buffer mask = b.allocate(DType.FLOAT32, n + 1)) {
                b.dropout(p, seed, dx, 0, y, 3, mask, 1, n);
                float[] gy = new float[n], gm = new float[n];
                b.copyToHost(y, 3, HostArrays.wrap(gy, 0, n));
                b.copyToHost(mask, 1, HostArrays.wrap(gm, 0, n));
                float scale = (float) (1 / (1 - p));
                for (int i = 0; i < n; i++) {
                    boolean keep = Philox.uniform(seed, i) >= p;
                    assertThat(gm[i]).as("mask %d at p=%s", i, p).isEqualTo(keep ? scale : 0f);
                    assertThat(gy[i]).as("y %d at p=%s", i, p).isEqualTo(keep ? x[i] * scale : 0f);
                }
            }
        }
    }

    @Test
    void sgdAndAdamStepsMatchPyTorchFormulas() {
        int n = 300;
        float[] p0 = random(n), g = random(n), v0 = random(n), m0 = random(n), s0 = new float[n];
        for (int i = 0; i < n; i++) {
            s0[i] = Math.abs(v0[i]);
        }
        double lr = 0.1, mom = 0.9, damp = 0.1, wd = 0.01;
        for (boolean nesterov : new boolean[] {false, true}) {
            try (Buffer p = upload(p0); Buffer dg = upload(g); Buffer v = upload(v0)) {
                b.sgdStep(p, 0, dg, 0, v, 0, n, lr, mom, damp, wd, nesterov, false);
                double[] refP = new double[n], refV = new double[n];
                for (int i = 0; i < n; i++) {
                    double gi = g[i] + wd * p0[i];
                    refV[i] = mom * v0[i] + (1 - damp) * gi;
                    gi = nesterov ? gi + mom * refV[i] : refV[i];
                    refP[i] = p0[i] - lr * gi;
                }
                assertThat(relativeError(download(p), refP)).isLessThan(1e-6);
                assertThat(relativeError(download(v), refV)).isLessThan(1e-6);
            }
        }
        for (boolean decoupled : new boolean[] {false, true}) {
            try (Buffer p = upload(p0); Buffer dg = upload(g); Buffer m = upload(m0); Buffer v = upload(s0)) {
                double b1 = 0.9, b2 = 0.999, eps = 1e-8;
                long step = 3;
                b.adamStep(p, 0, dg, 0, m, 0, v, 0, n, lr, b1, b2, eps, wd, decoupled, step);
                double[] refP = new double[n];
                for (int i = 0; i < n; i++) {
                    double pi = p0[i], gi = g[i];
                    if (decoupled) {
                        pi *= 1 - lr * wd;
                    } else {
                        gi += wd * pi;
                    }
                    double mi = b1 * m0[i] + (1 - b1) * gi, vi = b2 * s0[i] + (1 - b2) * gi * gi;
                    refP[i] = pi - lr * (mi / (1 - Math.pow(b1, step))) / (Math.sqrt(vi / (1 - Math.pow(b2, step))) + eps);
                }
                assertThat(relativeError(download(p), refP)).as("decoupled=%s", decoupled).isLessThan(1e-5);
            }
        }
    }
}
