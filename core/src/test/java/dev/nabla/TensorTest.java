package dev.nabla;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** The Tensor API on the CPU backend: factories, views, broadcasting, conversion, printing. */
class TensorTest {
    private final Device device = Device.reference();

    @Test
    void factoriesFillShapesAndValues() {
        assertThat(Tensor.zeros(device, 2, 3).toFloatArray()).containsOnly(0f).hasSize(6);
        assertThat(Tensor.ones(device, DType.FLOAT64, 4).toDoubleArray()).containsExactly(1, 1, 1, 1);
        assertThat(Tensor.full(device, 2.5, 3).toFloatArray()).containsExactly(2.5f, 2.5f, 2.5f);
        assertThat(Tensor.arange(device, 5).toFloatArray()).containsExactly(0, 1, 2, 3, 4);
        assertThat(Tensor.arange(device, 1, 2, 0.25).toFloatArray()).containsExactly(1f, 1.25f, 1.5f, 1.75f);
        Tensor s = Tensor.scalar(device, 3);
        assertThat(s.rank()).isZero();
        assertThat(s.item()).isEqualTo(3.0);
        Tensor labels = Tensor.of(device, new int[] {2, 0, 1});
        assertThat(labels.dtype()).isEqualTo(DType.INT32);
        assertThat(labels.toIntArray()).containsExactly(2, 0, 1);
        Tensor m = Tensor.of(device, new float[][] {{1, 2, 3}, {4, 5, 6}});
        assertThat(m.dims()).containsExactly(2, 3);
    }

    @Test
    void randomFactoriesAreReproducibleFromTheSeed() {
        float[] a = Tensor.randn(device, new Rng(7), 100).toFloatArray();
        float[] b = Tensor.randn(device, new Rng(7), 100).toFloatArray();
        assertThat(a).containsExactly(b);
        double mean = 0;
        for (float v : Tensor.rand(device, new Rng(1), 10_000).toFloatArray()) {
            assertThat(v).isBetween(0f, 1f);
            mean += v / 10_000.0;
        }
        assertThat(mean).isCloseTo(0.5, within(0.02));
    }

    @Test
    void viewsShareMemoryWithoutCopying() {
        Tensor x = Tensor.arange(device, 6).reshape(2, 3);
        Tensor t = x.transpose();
        assertThat(t.dims()).containsExactly(3, 2);
        assertThat(t.buffer()).isSameAs(x.buffer());
        assertThat(t.isContiguous()).isFalse();
        assertThat(t.toFloatArray()).containsExactly(0, 3, 1, 4, 2, 5);
        Tensor s = x.slice(1, 1, 3);
        assertThat(s.buffer()).isSameAs(x.buffer());
        assertThat(s.toFloatArray()).containsExactly(1, 2, 4, 5);
        Tensor e = Tensor.arange(device, 3).reshape(1, 3).expand(4, 3);
        assertThat(e.strides()).containsExactly(0, 1);
        assertThat(e.sum().item()).isEqualTo(12.0);
        assertThat(x.permute(1, 0).toFloatArray()).containsExactly(t.toFloatArray());
        assertThat(x.select(0, 1).toFloatArray()).containsExactly(3, 4, 5);
        assertThat(x.unsqueeze(0).dims()).containsExactly(1, 2, 3);
        assertThat(x.reshape(-1).dims()).containsExactly(6);
        // Reshaping a non-contiguous view copies, values in logical order.
        assertThat(t.reshape(6).toFloatArray()).containsExactly(0, 3, 1, 4, 2, 5);
    }

    @Test
    void arithmeticBroadcastsLikeNumPy() {
        Tensor a = Tensor.of(device, new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor row = Tensor.of(device, new float[] {10, 20, 30}, 3);
        Tensor col = Tensor.of(device, new float[] {100, 200}, 2, 1);
        assertThat(a.add(row).toFloatArray()).containsExactly(11, 22, 33, 14, 25, 36);
        assertThat(a.mul(col).toFloatArray()).containsExactly(100, 200, 300, 800, 1000, 1200);
        assertThat(col.add(row).dims()).containsExactly(2, 3);
        assertThat(a.sub(1).div(2).toFloatArray()).containsExactly(0, 0.5f, 1, 1.5f, 2, 2.5f);
        assertThat(a.transpose().add(Tensor.ones(device, 3, 2)).toFloatArray()).containsExactly(2, 5, 3, 6, 4, 7);
    }

    @Test
    void reductionsOverAnyAxes() {
        Tensor x = Tensor.arange(device, 24).reshape(2, 3, 4);
        assertThat(x.sum().item()).isEqualTo(276.0);
        assertThat(x.sum(1).dims()).containsExactly(2, 4);
        assertThat(x.sum(new int[] {0, 2}, true).dims()).containsExactly(1, 3, 1);
        assertThat(x.sum(new int[] {0, 2}, false).toFloatArray()).containsExactly(60, 92, 124);
        assertThat(x.mean(new int[] {-1}, false).toFloatArray()).containsExactly(1.5f, 5.5f, 9.5f, 13.5f, 17.5f,
                21.5f);
        assertThat(x.max(0).toFloatArray()).containsExactly(12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23);
        assertThat(x.argMax(2).toIntArray()).containsOnly(3);
    }

    @Test
    void matmulHandlesTransposedViewsAndBatches() {
        Tensor a = Tensor.of(device, new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor b = Tensor.of(device, new float[] {1, 0, 0, 1, 1, 1}, 3, 2);
        assertThat(a.matmul(b).toFloatArray()).containsExactly(4, 5, 10, 11);
        assertThat(b.transpose().matmul(a.transpose()).toFloatArray()).containsExactly(4, 10, 5, 11);
        Tensor batch = Tensor.arange(device, 12).reshape(2, 2, 3);
        Tensor c = batch.matmul(b);
        assertThat(c.dims()).containsExactly(2, 2, 2);
        assertThat(c.toFloatArray()).containsExactly(2, 3, 8, 9, 14, 15, 20, 21);
    }

    @Test
    void conversionsBetweenDTypes() {
        Tensor x = Tensor.of(device, new float[] {1.5f, -2.5f});
        assertThat(x.to(DType.FLOAT64).toDoubleArray()).containsExactly(1.5, -2.5);
        assertThat(x.to(DType.INT32).toIntArray()).containsExactly(1, -2);
        assertThat(x.to(device)).isSameAs(x);
    }

    @Test
    void printsLikeNumPy() {
        assertThat(Tensor.of(device, new float[] {1, 2, 3, 4}, 2, 2).toString())
                .isEqualTo("tensor([[1., 2.],\n        [3., 4.]], float32, reference)");
        assertThat(Tensor.of(device, new float[] {0.5f, -1.25f}).toString())
                .isEqualTo("tensor([ 0.5000, -1.2500], float32, reference)");
        assertThat(Tensor.of(device, new int[] {3, 1}).toString()).isEqualTo("tensor([3, 1], int32, reference)");
        assertThat(Tensor.arange(device, 2000).toString()).contains("...").hasSizeLessThan(200);
        assertThat(Tensor.scalar(device, 2).toString()).isEqualTo("tensor(2., float32, reference)");
    }

    @Test
    void concatJoinsAlongAnAxis() {
        Tensor a = Tensor.of(device, new float[] {1, 2, 3, 4}, 2, 2);
        Tensor b = Tensor.of(device, new float[] {5, 6}, 2, 1);
        assertThat(Tensor.concat(1, a, b).toFloatArray()).containsExactly(1, 2, 5, 3, 4, 6);
        assertThat(Tensor.concat(0, a, a).dims()).containsExactly(4, 2);
        assertThatThrownBy(() -> Tensor.concat(0, a, b)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("concat").hasMessageContaining("[2, 1]");
    }

    @Test
    void softmaxIsStableForHugeLogits() {
        Tensor x = Tensor.of(device, new float[] {1000, 1001, 1002});
        float[] p = x.softmax().toFloatArray();
        assertThat(p[0] + p[1] + p[2]).isCloseTo(1f, within(1e-6f));
        assertThat(p[2]).isCloseTo(0.66524f, within(1e-4f));
        assertThat(x.logSoftmax().toFloatArray()[2]).isCloseTo(-0.40761f, within(1e-4f));
    }
}
