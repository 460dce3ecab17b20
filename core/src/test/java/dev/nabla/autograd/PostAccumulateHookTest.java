package dev.nabla.autograd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nabla.Device;
import dev.nabla.Tensor;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Post-accumulate gradient hooks: once per pass, as soon as a leaf's gradient is final. */
class PostAccumulateHookTest {
    private final Device device = Device.reference();

    @Test
    void runsOncePerPassAfterEveryContributionWasAddedAndBeforeBackwardReturns() {
        Tensor a = Tensor.of(device, new float[] {1, 2}).requiresGrad(true);
        Tensor b = Tensor.of(device, new float[] {3, 4}).requiresGrad(true);
        List<String> events = new ArrayList<>();
        a.registerPostAccumulateGradHook(t -> events.add("a " + java.util.Arrays.toString(t.grad().toFloatArray())));
        b.registerPostAccumulateGradHook(t -> events.add("b " + java.util.Arrays.toString(t.grad().toFloatArray())));
        // a is used twice (two contributions), b once; a's hook must see the sum, not a partial gradient.
        Tensor loss = a.mul(b).add(a.mul(2)).sum();
        loss.backward();
        assertThat(events).containsExactlyInAnyOrder("a [5.0, 6.0]", "b [1.0, 2.0]");
        events.clear();
        loss = a.mul(b).sum();
        loss.backward();
        assertThat(events).containsExactlyInAnyOrder("a [8.0, 10.0]", "b [2.0, 4.0]");
    }

    @Test
    void aLeafFinishedEarlyIsReportedWhileTheRestOfThePassStillRuns() {
        // w2 sits next to the loss: its gradient is final long before w1's.
        Tensor x = Tensor.of(device, new float[] {1, 2, 3, 4}, 2, 2);
        Tensor w1 = Tensor.of(device, new float[] {1, 0, 0, 1}, 2, 2).requiresGrad(true);
        Tensor w2 = Tensor.of(device, new float[] {1, 1, 1, 1}, 2, 2).requiresGrad(true);
        List<String> order = new ArrayList<>();
        w1.registerPostAccumulateGradHook(t -> order.add("w1 (w2 done: " + (w2.grad() != null) + ")"));
        w2.registerPostAccumulateGradHook(t -> order.add("w2 (w1 done: " + (w1.grad() != null) + ")"));
        x.matmul(w1).tanh().matmul(w2).sum().backward();
        assertThat(order).containsExactly("w2 (w1 done: false)", "w1 (w2 done: true)");
    }

    @Test
    void aLeafThatGetsNoGradientIsNotReportedAndARemovedHookStops() {
        Tensor a = Tensor.of(device, new float[] {1}).requiresGrad(true);
        Tensor unused = Tensor.of(device, new float[] {1}).requiresGrad(true);
        List<String> events = new ArrayList<>();
        unused.registerPostAccumulateGradHook(t -> events.add("unused"));
        HookHandle h = a.registerPostAccumulateGradHook(t -> events.add("a"));
        a.square().sum().backward();
        h.remove();
        a.square().sum().backward();
        assertThat(events).containsExactly("a");
    }

    @Test
    void aLeafThatIsItselfTheRootIsReported() {
        Tensor a = Tensor.of(device, new float[] {2}).requiresGrad(true);
        List<Tensor> seen = new ArrayList<>();
        a.registerPostAccumulateGradHook(seen::add);
        a.backward();
        assertThat(seen).containsExactly(a);
    }

    @Test
    void onlyLeavesThatRequireGradTakeHooks() {
        Tensor a = Tensor.of(device, new float[] {2}).requiresGrad(true);
        assertThatThrownBy(() -> a.mul(2).registerPostAccumulateGradHook(t -> { }))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("output of 'scale'");
        assertThatThrownBy(() -> Tensor.of(device, new float[] {1}).registerPostAccumulateGradHook(t -> { }))
                .hasMessageContaining("not requiring grad");
    }
}
