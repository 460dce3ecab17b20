package dev.nabla;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Reductions over nothing and arguments that can only make NaN are refused, not computed. */
class DegenerateInputTest {
    private final Device device = Device.reference();

    @Test
    void meanMaxAndMinOfNothingAreRefusedAndTheSumIsZero() {
        Tensor empty = Tensor.zeros(device, 0);
        assertThatThrownBy(empty::mean).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("mean").hasMessageContaining("[0]").hasMessageContaining("empty");
        assertThatThrownBy(empty::max).hasMessageContaining("max").hasMessageContaining("empty");
        assertThatThrownBy(() -> empty.min(new int[] {0}, false)).hasMessageContaining("min");
        assertThatThrownBy(() -> Tensor.zeros(device, 3, 0).mean(1)).hasMessageContaining("[3, 0]");
        assertThat(empty.sum().item()).isEqualTo(0.0);
        assertThat(Tensor.zeros(device, 0, 3).mean(1).numel()).isZero(); // nothing to compute, nothing refused
        assertThatThrownBy(() -> Tensor.zeros(device, 2, 0).argMax(1)).hasMessageContaining("argMax")
                .hasMessageContaining("empty");
    }

    @Test
    void aLeakyReluWithoutAFiniteSlopeIsRefused() {
        Tensor x = Tensor.of(device, new float[] {-1, 1});
        assertThatThrownBy(() -> x.leakyRelu(Double.NaN)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("leakyRelu").hasMessageContaining("NaN");
        assertThatThrownBy(() -> x.leakyRelu(Double.POSITIVE_INFINITY)).hasMessageContaining("Infinity");
        assertThat(x.leakyRelu(0.1).toFloatArray()).containsExactly(-0.1f, 1f);
    }
}
