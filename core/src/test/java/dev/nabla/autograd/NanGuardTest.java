package dev.nabla.autograd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nabla.Device;
import dev.nabla.Tensor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class NanGuardTest {
    private final Device device = Device.reference();

    @AfterEach
    void off() {
        NanGuard.setEnabled(false);
        NanGuard.setStep(-1);
    }

    @Test
    void namesTheFirstOpThatProducedNaN() {
        Tensor x = Tensor.of(device, new float[] {1, -2, 3}, 3).requiresGrad(true);
        NanGuard.setEnabled(true);
        NanGuard.setStep(7);
        Tensor y = x.mul(2); // fine
        assertThatThrownBy(() -> y.sqrt().mul(3).sum())
                .isInstanceOf(NanGuard.NonFiniteException.class)
                .hasMessage("NaN guard: sqrt produced NaN at element 1 of its output [3]; inputs [3]; training step 7");
    }

    @Test
    void catchesInfinityInBackward() {
        Tensor x = Tensor.of(device, new float[] {0, 1}).requiresGrad(true);
        Tensor y = x.sqrt().sum(); // forward finite; d sqrt/dx at 0 is +Inf
        NanGuard.setEnabled(true);
        assertThatThrownBy(y::backward).isInstanceOf(NanGuard.NonFiniteException.class)
                .hasMessageContaining("sqrt backward").hasMessageContaining("produced +Inf").hasMessageContaining("during backward");
    }

    @Test
    void offByDefaultAndSilentOnFiniteValues() {
        assertThat(NanGuard.isEnabled()).isFalse();
        assertThat(Tensor.of(device, new float[] {-1}).log().toFloatArray()[0]).isNaN();
        NanGuard.setEnabled(true);
        assertThat(Tensor.of(device, new float[] {4}).sqrt().item()).isEqualTo(2.0);
    }
}
