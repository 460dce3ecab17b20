package dev.nabla.ops;

import dev.nabla.Tensor;
import dev.nabla.autograd.Function;
import dev.nabla.autograd.Node;
import dev.nabla.autograd.SavedTensor;

/**
 * Inverted dropout: {@code y = x·mask}, {@code mask ∈ {0, 1/(1−p)}} drawn by the backend from a
 * Philox stream keyed by the seed (the same mask on every backend). Backward: {@code dx = g·mask}.
 */
public final class Dropout {
    private Dropout() {
    }

    public static Tensor apply(Tensor x, double p, long seed) {
        Kernels.floating("dropout", x);
        if (!(p >= 0 && p < 1)) {
            throw new IllegalArgumentException("dropout: probability must be in [0, 1), got " + p);
        }
        Tensor xc = Kernels.dense(x);
        Tensor y = Kernels.empty(x, x.shape());
        Tensor mask = Kernels.empty(x, x.shape());
        try {
            x.backend().dropout(p, seed, xc.buffer(), xc.offset(), y.buffer(), y.offset(), mask.buffer(),
                    mask.offset(), x.numel());
        } finally {
            Kernels.release(x, xc);
        }
        try (mask) {
            return Node.record(y, new Backward(mask), x);
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
