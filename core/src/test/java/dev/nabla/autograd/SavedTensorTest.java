package dev.nabla.autograd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nabla.Device;
import dev.nabla.Nabla;
import dev.nabla.Scope;
import dev.nabla.Tensor;
import dev.nabla.optim.SGD;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Tensors saved for backward: in-place changes after the forward pass are refused by backward
 * (version counters), closed ones are named, and their buffers live as long as the graph needs them.
 */
class SavedTensorTest {
    private final Device device = Device.reference();

    @Test
    void anInputChangedInPlaceAfterTheForwardPassMakesBackwardFailNamingTheOp() {
        Tensor w = Tensor.of(device, new float[] {1, 2, 3}).requiresGrad(true);
        Tensor x = Tensor.of(device, new float[] {1, 2, 3});
        Tensor loss = w.mul(x).sum();
        x.mulInPlace(100);
        assertThatThrownBy(loss::backward).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("backward of 'mul'")
                .hasMessageContaining("[3] float32")
                .hasMessageContaining("modified by an in-place operation");
        assertThat(w.grad()).isNull();
    }

    @Test
    void aChangeThroughADetachedViewOfAParameterIsCaughtToo() {
        Tensor w = Tensor.of(device, new float[] {1, 2}).requiresGrad(true);
        Tensor loss = w.square().sum();
        w.detach().addInPlace(Tensor.of(device, new float[] {1, 1}));
        assertThatThrownBy(loss::backward).hasMessageContaining("backward of 'square'")
                .hasMessageContaining("in-place");
    }

    @Test
    void anOptimizerStepBetweenForwardAndBackwardIsCaught() {
        Tensor w = Tensor.of(device, new float[] {1, 2}).requiresGrad(true);
        SGD sgd = new SGD(List.of(w), 0.1);
        w.square().sum().backward();
        Tensor loss = w.square().sum();
        sgd.step();
        assertThatThrownBy(loss::backward).hasMessageContaining("modified by an in-place operation");
    }

    @Test
    void changesMadeBeforeTheForwardPassOrAfterBackwardAreFine() {
        Tensor w = Tensor.of(device, new float[] {1, 2, 3}).requiresGrad(true);
        Tensor x = Tensor.of(device, new float[] {1, 2, 3});
        x.mulInPlace(2);
        Tensor loss = w.mul(x).sum();
        loss.backward();
        x.mulInPlace(100);
        assertThat(w.grad().toFloatArray()).containsExactly(2, 4, 6);
    }

    @Test
    void aSavedTensorOutlivesTheForwardPassesOwnReference() {
        Tensor w = Tensor.of(device, new float[] {1, 2, 3}).requiresGrad(true);
        Tensor x = Tensor.of(device, new float[] {4, 5, 6});
        Tensor loss = w.mul(x).sum();
        x.close(); // the graph still holds its own view of x's buffer
        loss.backward();
        assertThat(w.grad().toFloatArray()).containsExactly(4, 5, 6);
    }

    @Test
    void aScopeClosedBeforeBackwardNamesTheClosedSavedTensor() {
        Tensor w = Tensor.of(device, new float[] {1, 2}).requiresGrad(true);
        Tensor loss;
        try (Scope s = Nabla.scope()) {
            Tensor x = Tensor.of(device, new float[] {3, 4});
            loss = s.keep(w.mul(x).sum());
        }
        assertThatThrownBy(loss::backward).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("backward of 'mul'").hasMessageContaining("was closed before backward()");
    }

    @Test
    void backwardOnAClosedLossIsRefused() {
        Tensor w = Tensor.of(device, new float[] {1, 2}).requiresGrad(true);
        Tensor loss = w.square().sum();
        loss.close();
        assertThatThrownBy(loss::backward).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("backward: the tensor").hasMessageContaining("is closed");
        assertThat(w.grad()).isNull();
    }

    @Test
    void releasingTheGraphReleasesWhatItSavedAndASecondBackwardSaysSo() {
        Tensor w = Tensor.of(device, new float[] {1, 2}).requiresGrad(true);
        long before = Nabla.liveTensors();
        Tensor loss = w.exp().sum();
        loss.backward();
        assertThatThrownBy(loss::backward).hasMessageContaining("already released");
        loss.close();
        w.grad().close();
        w.setGrad(null);
        // exp saved x and y, sum nothing: the views the graph held are closed with it.
        assertThat(Nabla.liveTensors()).isLessThanOrEqualTo(before + 1);
    }

    @Test
    void retainGraphKeepsTheSavedTensorsForASecondBackward() {
        Tensor w = Tensor.of(device, new float[] {1, 2}).requiresGrad(true);
        Tensor loss = w.square().sum();
        loss.backward(null, true);
        loss.backward();
        assertThat(w.grad().toFloatArray()).containsExactly(4, 8);
    }
}
