package dev.nabla.autograd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.nabla.DType;
import dev.nabla.Device;
import dev.nabla.Nabla;
import dev.nabla.Rng;
import dev.nabla.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The tape, the backward pass, accumulation, grad modes and graph release. */
class AutogradTest {
    private final Device device = Device.reference();

    @Test
    void chainRuleThroughSeveralOps() {
        Tensor x = Tensor.of(device, new float[] {1, 2, 3}).requiresGrad(true);
        Tensor y = x.mul(x).add(x.mul(3)).sum(); // d/dx = 2x + 3
        y.backward();
        assertThat(x.grad().toFloatArray()).containsExactly(5, 7, 9);
    }

    @Test
    void gradientsAccumulateUntilZeroed() {
        Tensor x = Tensor.of(device, new float[] {1, 2}).requiresGrad(true);
        x.mul(2).sum().backward();
        x.mul(3).sum().backward();
        assertThat(x.grad().toFloatArray()).containsExactly(5, 5);
        x.zeroGrad();
        assertThat(x.grad().toFloatArray()).containsExactly(0, 0);
        x.square().sum().backward();
        assertThat(x.grad().toFloatArray()).containsExactly(2, 4);
    }

    @Test
    void aZeroedGradientReadsAsZerosThroughEveryViewUntilTheNextBackwardOverwritesIt() {
        Tensor x = Tensor.of(device, new float[] {1, 2, 3, 4}, 2, 2).requiresGrad(true);
        x.mul(x).sum().backward();
        Tensor row = x.grad().select(0, 1); // a view made before the zeroing
        x.zeroGrad();
        assertThat(row.toFloatArray()).containsExactly(0, 0);
        assertThat(x.grad().toFloatArray()).containsExactly(0, 0, 0, 0);
        x.mul(3).sum().backward();
        assertThat(x.grad().toFloatArray()).containsExactly(3, 3, 3, 3);
        x.zeroGrad();
        x.mul(5).sum().backward(); // written into the zeroed buffer without reading it
        x.mul(x).sum().backward(); // then added to
        assertThat(x.grad().toFloatArray()).containsExactly(7, 9, 11, 13);
        assertThat(row.toFloatArray()).containsExactly(11, 13);
    }

    @Test
    void aNonContiguousGradientIsZeroedToo() {
        Tensor x = Tensor.of(device, new float[] {1, 2, 3, 4, 5, 6}, 3, 2).requiresGrad(true);
        Tensor base;
        try (var g = Nabla.noGrad()) {
            base = Tensor.of(device, new float[] {9, 9, 9, 9, 9, 9}, 2, 3);
        }
        x.setGrad(base.transpose());
        x.zeroGrad();
        assertThat(base.toFloatArray()).containsExactly(0, 0, 0, 0, 0, 0);
        x.sum().backward();
        assertThat(x.grad().toFloatArray()).containsExactly(1, 1, 1, 1, 1, 1);
    }

    @Test
    void aTensorUsedTwiceGetsBothContributions() {
        Tensor x = Tensor.of(device, new float[] {2}).requiresGrad(true);
        Tensor y = x.mul(x).mul(x); // x³ → 3x² = 12
        y.sum().backward();
        assertThat(x.grad().toFloatArray()).containsExactly(12);
    }

    @Test
    void explicitSeedForNonScalarOutputs() {
        Tensor x = Tensor.of(device, new float[] {1, 2, 3}).requiresGrad(true);
        Tensor y = x.mul(2);
        y.backward(Tensor.of(device, new float[] {1, 10, 100}));
        assertThat(x.grad().toFloatArray()).containsExactly(2, 20, 200);
    }

    @Test
    void detachAndNoGradStopTheGraph() {
        Tensor x = Tensor.ones(device, 2).requiresGrad(true);
        Tensor d = x.mul(2).detach();
        assertThat(d.requiresGrad()).isFalse();
        try (var g = Nabla.noGrad()) {
            Tensor y = x.mul(2);
            assertThat(y.requiresGrad()).isFalse();
            assertThat(y.gradFn()).isNull();
        }
        assertThat(x.mul(2).gradFn()).isNotNull();
        Tensor z = x.mul(2).sum();
        assertThatThrownBy(() -> d.sum().backward()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("does not require grad");
        z.backward();
    }

    @Test
    void graphIsReleasedAfterBackwardUnlessRetained() {
        Tensor x = Tensor.ones(device, 2).requiresGrad(true);
        Tensor y = x.exp().sum();
        y.backward(null, true);
        y.backward();
        assertThat(x.grad().toFloatArray()[0]).isCloseTo((float) (2 * Math.E), within(1e-5f));
        assertThatThrownBy(y::backward).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already released");
    }

    @Test
    void aLongChainDoesNotOverflowTheStack() {
        Tensor x = Tensor.of(device, new float[] {1}).requiresGrad(true);
        Tensor y = x;
        for (int i = 0; i < 10_000; i++) {
            y = y.add(1e-4);
        }
        y.sum().backward();
        assertThat(x.grad().toFloatArray()).containsExactly(1);
    }

    @Test
    void integerTensorsCannotRequireGrad() {
        assertThatThrownBy(() -> Tensor.of(device, new int[] {1}).requiresGrad(true))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("int32");
    }

    @Test
    void everyOpPassesGradCheckOnTheCpu() {
        for (OpGradChecks.Case c : OpGradChecks.cases()) {
            OpGradChecks.Outcome o = OpGradChecks.run(c, device);
            assertThat(o.passed()).as(c.name() + ": max rel error " + o.maxRelError()).isTrue();
        }
    }

    @Test
    void gradCheckDetectsAWrongGradient() {
        // A custom op whose backward is deliberately off by a factor: GradCheck must fail it.
        Tensor a = Tensor.randn(device, DType.FLOAT64, new Rng(3), 3, 2);
        GradCheck.Result r = GradCheck.check(in -> Node.record(in.get(0).detach().square(), new Function() {
            public String name() {
                return "wrongSquare";
            }

            public Tensor[] backward(Tensor g) {
                return new Tensor[] {g.mul(in.get(0)).mul(3)};
            }
        }, in.get(0)).sum(), a);
        assertThat(r.passed()).isFalse();
        assertThat(r.maxRelError()).isGreaterThan(0.1);
        GradCheck.Result ok = GradCheck.check(in -> in.get(0).square().sum(), a);
        assertThat(ok.passed()).as(ok.toString()).isTrue();
        assertThat(ok.inputs()).hasSize(1);
    }

    @Test
    void twoLayerReluNetworkMatchesNumericalGradientInFloat64() {
        // The classic texts' check: a 2-layer network's backprop gradients equal the numerical ones.
        Rng rng = new Rng(11);
        Tensor x = Tensor.randn(device, DType.FLOAT64, rng, 8, 5);
        int[] labelValues = new int[8];
        for (int i = 0; i < labelValues.length; i++) {
            labelValues[i] = rng.nextInt(3);
        }
        Tensor labels = Tensor.of(device, labelValues);
        Tensor w1 = Tensor.randn(device, DType.FLOAT64, rng, 5, 7).mul(0.5).requiresGrad(true);
        Tensor b1 = Tensor.randn(device, DType.FLOAT64, rng, 7).mul(0.1).requiresGrad(true);
        Tensor w2 = Tensor.randn(device, DType.FLOAT64, rng, 7, 3).mul(0.5).requiresGrad(true);
        Tensor b2 = Tensor.zeros(device, DType.FLOAT64, 3).requiresGrad(true);
        List<Tensor> params = List.of(w1, b1, w2, b2);
        java.util.function.Supplier<Tensor> loss =
                () -> x.matmul(w1).add(b1).relu().matmul(w2).add(b2).softmaxCrossEntropy(labels);
        loss.get().backward();
        Tensor[] numeric = NumericalGradient.of(loss, params, 1e-6);
        for (int i = 0; i < params.size(); i++) {
            double err = GradCheck.relativeError(params.get(i).grad().toDoubleArray(), numeric[i].toDoubleArray());
            assertThat(err).as("parameter " + i).isLessThan(1e-6);
        }
    }
}
