package dev.nabla.ops;

import dev.nabla.DType;
import dev.nabla.Scope;
import dev.nabla.Tensor;
import dev.nabla.autograd.Function;
import dev.nabla.autograd.Node;
import dev.nabla.autograd.SavedTensor;
import dev.nabla.backend.BinaryOp;
import dev.nabla.backend.Philox;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;

/**
 * Inverted dropout: {@code y = x·mask}, {@code mask ∈ {0, 1/(1−p)}} drawn from a Philox stream
 * keyed by the seed, so every backend draws the same mask: the backend's kernel, or the mask drawn
 * on the host and multiplied in. Backward: {@code dx = g·mask}.
 */
public final class DropoutOp {
    private DropoutOp() {
    }

    public static Tensor apply(Tensor x, double p, long seed) {
        NoGradOps.floating("dropout", x);
        if (!(p >= 0 && p < 1)) {
            throw new IllegalArgumentException("dropout: probability must be in [0, 1), got " + p);
        }
        try (Scope tmp = Temporaries.open()) {
            Tensor xc = NoGradOps.dense(x);
            Tensor y = NoGradOps.empty(x, x.shape());
            Tensor mask = NoGradOps.empty(x, x.shape());
            if (!x.backend().dropout(p, seed, xc.buffer(), xc.offset(), y.buffer(), y.offset(), mask.buffer(),
                    mask.offset(), x.numel())) {
                hostMask(p, seed, mask);
                NoGradOps.binaryInto("dropout", BinaryOp.MUL, xc, mask, y);
            }
            return tmp.keep(Node.record(y, new Backward(mask), x));
        }
    }

    /** The mask of {@link dev.nabla.backend.Backend#dropout}'s contract, drawn here and copied in. */
    private static void hostMask(double p, long seed, Tensor mask) {
        int n = Math.toIntExact(mask.numel());
        double scale = 1 / (1 - p);
        if (mask.dtype() == DType.FLOAT64) {
            double[] m = new double[n];
            for (int i = 0; i < n; i++) {
                m[i] = Philox.uniform(seed, i) >= p ? scale : 0;
            }
            mask.backend().copyFromHost(DoubleBuffer.wrap(m), mask.buffer(), mask.offset());
        } else {
            float[] m = new float[n];
            for (int i = 0; i < n; i++) {
                m[i] = Philox.uniform(seed, i) >= p ? (float) scale : 0f;
            }
            mask.backend().copyFromHost(FloatBuffer.wrap(m), mask.buffer(), mask.offset());
        }
    }

    private static final class Backward extends Function {
        private final SavedTensor mask;

        Backward(Tensor mask) {
            this.mask = save(mask);
        }

        @Override
        public String name() {
            return "dropout";
        }

        @Override
        public Tensor[] backward(Tensor g) {
            return new Tensor[] {g.mul(mask.get())};
        }
    }
}
