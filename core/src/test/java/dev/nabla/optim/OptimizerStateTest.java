package dev.nabla.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.nabla.Device;
import dev.nabla.Nabla;
import dev.nabla.Rng;
import dev.nabla.Scope;
import dev.nabla.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** State export and restore, schedules, clipping and argument checks. */
class OptimizerStateTest {
    private static final Device CPU = Device.reference();

    private static List<Tensor> params(long seed) {
        Rng rng = new Rng(seed);
        return List.of(Tensor.randn(CPU, rng, 3, 2).requiresGrad(true), Tensor.randn(CPU, rng, 2).requiresGrad(true));
    }

    private static void step(Optimizer opt, List<Tensor> p, int k) {
        try (Scope s = Nabla.scope()) {
            opt.zeroGrad();
            Tensor x = Tensor.of(CPU, new float[] {1, -2, 0.5f + k, 3, 0.25f, -1}, 2, 3);
            x.matmul(p.get(0)).add(p.get(1)).tanh().square().sum().backward();
            opt.step();
        }
    }

    @Test
    void restoringStateResumesBitForBitForEveryOptimizer() {
        List<Function<List<Tensor>, Optimizer>> makers = List.of(
                p -> new SGD(p, 0.1, 0.9, 0, 0.01, true), p -> new AdaGrad(p, 0.1),
                p -> new RMSProp(p, 0.01, 0.9, 1e-8, 0, 0.5, true), p -> new Adam(p, 0.01), p -> new AdamW(p, 0.01));
        for (Function<List<Tensor>, Optimizer> make : makers) {
            List<Tensor> straight = params(3);
            List<Tensor> resumed = params(3);
            Optimizer a = make.apply(straight);
            Optimizer b = make.apply(resumed);
            for (int k = 0; k < 3; k++) {
                step(a, straight, k);
                step(b, resumed, k);
            }
            OptimizerState saved = b.state();
            assertThat(saved.step()).isEqualTo(3);
            // a fresh optimizer (as after loading a checkpoint) continues exactly where b was
            Optimizer c = make.apply(resumed);
            c.loadState(saved);
            b.close();
            for (int k = 3; k < 6; k++) {
                step(a, straight, k);
                step(c, resumed, k);
            }
            assertThat(c.stepCount()).isEqualTo(6);
            for (int i = 0; i < straight.size(); i++) {
                assertThat(resumed.get(i).toFloatArray()).as(a.name()).containsExactly(straight.get(i).toFloatArray());
            }
            a.close();
            c.close();
            straight.forEach(Tensor::close);
            resumed.forEach(Tensor::close);
        }
    }

    @Test
    void stateNamesTensorsByParameterIndexAndSlotAndKeepsHyperParameters() {
        List<Tensor> p = params(1);
        try (Adam adam = new Adam(p, 0.01, 0.8, 0.99, 1e-7, 0.1)) {
            assertThat(adam.state().tensors()).isEmpty();
            step(adam, p, 0);
            OptimizerState s = adam.state();
            assertThat(s.name()).isEqualTo("adam");
            assertThat(s.tensors().keySet()).containsExactly("0.exp_avg", "0.exp_avg_sq", "1.exp_avg", "1.exp_avg_sq");
            assertThat(s.hyperParameters()).containsExactly(Map.entry("lr", 0.01), Map.entry("beta1", 0.8),
                    Map.entry("beta2", 0.99), Map.entry("eps", 1e-7), Map.entry("weight_decay", 0.1));
            assertThat(s.tensors().get("1.exp_avg").shape()).isEqualTo(p.get(1).shape());
        }
        p.forEach(Tensor::close);
    }

    @Test
    void loadStateRejectsStateThatDoesNotFit() {
        List<Tensor> p = params(1);
        try (Adam adam = new Adam(p, 0.01); SGD sgd = new SGD(p, 0.1, 0.9)) {
            step(adam, p, 0);
            OptimizerState s = adam.state();
            assertThatThrownBy(() -> sgd.loadState(s)).hasMessageContaining("state is for 'adam', this optimizer is 'sgd'");
            Map<String, Tensor> wrong = new java.util.LinkedHashMap<>(s.tensors());
            wrong.put("1.exp_avg", s.tensors().get("0.exp_avg"));
            assertThatThrownBy(() -> adam.loadState(new OptimizerState("adam", 1, s.hyperParameters(), wrong)))
                    .hasMessageContaining("tensor '1.exp_avg' is [3, 2] float32 but parameter 1 is [2] float32");
            Map<String, Tensor> badName = Map.of("7.exp_avg", s.tensors().get("0.exp_avg"));
            assertThatThrownBy(() -> adam.loadState(new OptimizerState("adam", 1, Map.of(), badName)))
                    .hasMessageContaining("tensor '7.exp_avg' is not named <parameter index>.<slot> for one of 2 parameters");
            assertThatThrownBy(() -> adam.loadState(new OptimizerState("adam", 1, Map.of("momentum", 0.9), Map.of())))
                    .hasMessageContaining("'adam' has no hyper-parameter 'momentum'");
            // nothing was changed by the failed loads
            assertThat(adam.stepCount()).isEqualTo(1);
        }
        p.forEach(Tensor::close);
    }

    @Test
    void constructorsRejectBadArguments() {
        List<Tensor> p = params(1);
        assertThatThrownBy(() -> new SGD(p, 0.1, 0, 0, 0, true))
                .hasMessageContaining("Nesterov momentum needs momentum > 0 and dampening 0");
        assertThatThrownBy(() -> new SGD(p, -0.1)).hasMessageContaining("lr must be finite and >= 0, got -0.1");
        assertThatThrownBy(() -> new Adam(p, 0.1, 1.0, 0.999, 1e-8, 0)).hasMessageContaining("beta1 must be in [0, 1)");
        assertThatThrownBy(() -> new SGD(List.of(), 0.1)).hasMessageContaining("no parameters");
        assertThatThrownBy(() -> new SGD(List.of(p.get(0), p.get(0)), 0.1)).hasMessageContaining("parameter 1 appears twice");
        try (Tensor plain = Tensor.zeros(CPU, 2)) {
            assertThatThrownBy(() -> new SGD(List.of(plain), 0.1)).hasMessageContaining("requiresGrad(true)");
        }
        try (SGD sgd = new SGD(p, 0.1, 0.9, 0, 0, true)) {
            assertThatThrownBy(() -> sgd.setHyperParameter("momentum", 0))
                    .hasMessageContaining("Nesterov momentum needs momentum > 0");
            assertThatThrownBy(() -> sgd.setHyperParameter("beta1", 0.5)).hasMessageContaining("no hyper-parameter 'beta1'");
            assertThat(sgd.hyperParameter("momentum")).isEqualTo(0.9);
        }
        p.forEach(Tensor::close);
    }

    @Test
    void parametersWithoutGradientAreSkipped() {
        List<Tensor> p = params(2);
        float[] before = p.get(1).toFloatArray();
        try (SGD sgd = new SGD(p, 0.1)) {
            p.get(0).setGrad(Tensor.ones(CPU, 3, 2));
            sgd.step();
        }
        assertThat(p.get(1).toFloatArray()).containsExactly(before);
        p.forEach(Tensor::close);
    }

    @Test
    void schedulesSetTheLearningRate() {
        List<Tensor> p = params(1);
        try (SGD sgd = new SGD(p, 1.0)) {
            StepLR step = new StepLR(sgd, 2, 0.5);
            List<Double> lrs = new ArrayList<>();
            for (int t = 0; t < 5; t++) {
                lrs.add(sgd.lr());
                step.step();
            }
            assertThat(lrs).containsExactly(1.0, 1.0, 0.5, 0.5, 0.25);
        }
        try (SGD sgd = new SGD(p, 1.0)) {
            CosineAnnealing cos = new CosineAnnealing(sgd, 4, 0.1);
            double[] expected = {1.0, 0.1 + 0.9 * (1 + Math.cos(Math.PI / 4)) / 2, 0.55,
                    0.1 + 0.9 * (1 + Math.cos(3 * Math.PI / 4)) / 2, 0.1, 0.1};
            for (double e : expected) {
                assertThat(sgd.lr()).isCloseTo(e, within(1e-12));
                cos.step();
            }
        }
        try (SGD sgd = new SGD(p, 0.8)) {
            LinearWarmup warm = new LinearWarmup(sgd, 4, new StepLR(sgd, 1, 0.5));
            List<Double> lrs = new ArrayList<>();
            for (int t = 0; t < 7; t++) {
                lrs.add(sgd.lr());
                warm.step();
            }
            assertThat(lrs).containsExactly(0.2, 0.4, 0.6000000000000001, 0.8, 0.8, 0.4, 0.2);
            warm.setT(1);
            assertThat(sgd.lr()).isEqualTo(0.4);
        }
        try (SGD sgd = new SGD(p, 1.0); SGD other = new SGD(p, 1.0)) {
            assertThatThrownBy(() -> new LinearWarmup(sgd, 2, new StepLR(other, 1, 0.5)))
                    .hasMessageContaining("drives another optimizer");
            assertThatThrownBy(() -> new StepLR(sgd, 0, 0.5)).hasMessageContaining("stepSize must be >= 1");
        }
        p.forEach(Tensor::close);
    }

    @Test
    void clipGradNormScalesAllGradientsByOneFactorAndReturnsTheNorm() {
        List<Tensor> p = params(1);
        p.get(0).setGrad(Tensor.of(CPU, new float[] {3, 0, 0, 0, 0, 0}, 3, 2));
        p.get(1).setGrad(Tensor.of(CPU, new float[] {0, 4}));
        double norm = GradClip.clipGradNorm(p, 1.0);
        assertThat(norm).isEqualTo(5.0);
        assertThat(p.get(0).grad().toFloatArray()[0]).isCloseTo(0.6f, within(1e-6f));
        assertThat(p.get(1).grad().toFloatArray()[1]).isCloseTo(0.8f, within(1e-6f));
        // within the limit: untouched
        assertThat(GradClip.clipGradNorm(p, 10)).isCloseTo(1.0, within(1e-6));
        assertThat(p.get(1).grad().toFloatArray()[1]).isCloseTo(0.8f, within(1e-6f));
        p.get(1).setGrad(Tensor.of(CPU, new float[] {Float.NaN, 0}));
        assertThatThrownBy(() -> GradClip.clipGradNorm(p, 1)).hasMessageContaining("gradient norm is NaN");
        assertThatThrownBy(() -> GradClip.clipGradNorm(p, 0)).hasMessageContaining("maxNorm must be positive");
        p.forEach(Tensor::close);
    }
}
