package dev.nabla;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Every bad input is an exception whose message names the op, the shapes or values, and the rule. */
class BadInputTest {
    private final Device device = Device.reference();

    @Test
    void matmulInnerDimensionMismatch() {
        Tensor a = Tensor.zeros(device, 32, 784);
        Tensor b = Tensor.zeros(device, 10, 784);
        assertThatThrownBy(() -> a.matmul(b)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("matmul: [32, 784] @ [10, 784]: inner dimensions 784 and 10 differ");
    }

    @Test
    void broadcastMismatch() {
        assertThatThrownBy(() -> Tensor.zeros(device, 2, 3).add(Tensor.zeros(device, 4)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("add: shapes [2, 3] and [4] cannot be broadcast: sizes 3 and 4 differ at axis -1 and neither is 1");
    }

    @Test
    void labelOutOfRangeOrNegative() {
        Tensor logits = Tensor.zeros(device, 3, 4);
        assertThatThrownBy(() -> logits.softmaxCrossEntropy(Tensor.of(device, new int[] {0, 4, 1})))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("row 1").hasMessageContaining("4");
        assertThatThrownBy(() -> logits.softmaxCrossEntropy(Tensor.of(device, new int[] {0, 1, -1})))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("row 2").hasMessageContaining("-1");
        assertThatThrownBy(() -> logits.softmaxCrossEntropy(Tensor.of(device, new int[] {0, 1})))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("labels [2] do not match logits [3, 4]");
    }

    @Test
    void backwardOnNonScalarWithoutSeed() {
        Tensor x = Tensor.ones(device, 2, 3).requiresGrad(true);
        Tensor y = x.mul(2);
        assertThatThrownBy(y::backward).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("backward").hasMessageContaining("[2, 3]").hasMessageContaining("seed");
    }

    @Test
    void mixingDTypes() {
        assertThatThrownBy(() -> Tensor.zeros(device, 2).add(Tensor.zeros(device, DType.FLOAT64, 2)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("add: dtypes differ, float32 and float64; convert one with to(DType)");
    }

    @Test
    void itemOnNonScalar() {
        assertThatThrownBy(() -> Tensor.zeros(device, 2).item()).isInstanceOf(IllegalStateException.class)
                .hasMessage("item: tensor of shape [2] has 2 elements; item() needs exactly one");
    }

    @Test
    void useOfClosedTensor() {
        Tensor x = Tensor.zeros(device, 2);
        x.close();
        assertThatThrownBy(() -> x.add(x)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed").hasMessageContaining("[2] float32 on reference");
    }

    @Test
    void shapeErrorsOfViews() {
        Tensor x = Tensor.zeros(device, 2, 3);
        assertThatThrownBy(() -> x.reshape(4, 2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("reshape: [2, 3] (6 elements) to [4, 2] (8 elements)");
        assertThatThrownBy(() -> x.slice(1, 2, 5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("slice");
        assertThatThrownBy(() -> x.sum(2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("sum: axis 2 is out of range for shape [2, 3] (rank 2)");
        assertThatThrownBy(() -> Tensor.of(device, new float[] {1, 2, 3}, 2, 2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("of: shape [2, 2] holds 4 elements but 3 values were given");
    }

    @Test
    void inPlaceOnParameterNeedsNoGrad() {
        Tensor w = Tensor.ones(device, 2).requiresGrad(true);
        assertThatThrownBy(() -> w.addInPlace(Tensor.ones(device, 2))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("noGrad");
        try (var g = Nabla.noGrad()) {
            w.addInPlace(Tensor.ones(device, 2));
        }
    }

    @Test
    void unknownOrUnavailableBackend() {
        assertThatThrownBy(() -> Device.of("tpu")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no backend named 'tpu'");
    }
}
