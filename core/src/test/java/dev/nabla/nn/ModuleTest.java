package dev.nabla.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.nabla.DType;
import dev.nabla.Device;
import dev.nabla.Nabla;
import dev.nabla.Rng;
import dev.nabla.Scope;
import dev.nabla.Tensor;
import dev.nabla.autograd.GradCheck;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModuleTest {
    private static final Device CPU = Device.reference();

    private static Sequential mlp(long seed) {
        Rng rng = new Rng(seed);
        return new Sequential(new Linear(CPU, 4, 8, true, Init.HE_UNIFORM, rng), new ReLU(),
                new Linear(CPU, 8, 3, false, Init.XAVIER_NORMAL, rng));
    }

    /** The same network written as separate ops: matmul, add, activation. */
    private static Tensor unfused(Sequential m, Tensor x) {
        Tensor h = x;
        for (Module layer : m.layers()) {
            if (layer instanceof Linear l) {
                h = h.matmul(l.weight());
                h = l.bias() == null ? h : h.add(l.bias());
            } else if (layer instanceof ReLU) {
                h = h.relu();
            } else if (layer instanceof Tanh) {
                h = h.tanh();
            } else {
                h = layer.forward(h);
            }
        }
        return h;
    }

    @Test
    void sequentialFusesLinearWithTheNextActivationAndMatchesTheSeparateOps() {
        Rng rng = new Rng(11);
        try (Sequential m = new Sequential(new Linear(CPU, 6, 16, true, Init.HE_UNIFORM, rng), new ReLU(),
                new Linear(CPU, 16, 8, true, Init.XAVIER_UNIFORM, rng), new Tanh(),
                new Linear(CPU, 8, 3, true, Init.XAVIER_UNIFORM, rng));
             Scope s = Nabla.scope()) {
            Tensor x = Tensor.randn(CPU, rng, 40, 6);
            Tensor y = Tensor.of(CPU, new int[40]);
            Tensor fused = m.forward(x);
            assertThat(fused.gradFn().function().name()).isEqualTo("linear");
            assertThat(fused.gradFn().toString()).isEqualTo("linearBackward");
            Tensor reference = unfused(m, x);
            float[] a = fused.toFloatArray();
            float[] b = reference.toFloatArray();
            for (int i = 0; i < a.length; i++) {
                assertThat(a[i]).as("output %d", i).isCloseTo(b[i], within(1e-5f));
            }
            m.forward(x).softmaxCrossEntropy(y).backward();
            Map<String, float[]> fusedGrads = new LinkedHashMap<>();
            m.namedParameters().forEach((name, p) -> fusedGrads.put(name, p.grad().toFloatArray()));
            m.zeroGrad();
            unfused(m, x).softmaxCrossEntropy(y).backward();
            m.namedParameters().forEach((name, p) -> {
                float[] g = p.grad().toFloatArray();
                float[] f = fusedGrads.get(name);
                for (int i = 0; i < g.length; i++) {
                    assertThat(f[i]).as("%s gradient %d", name, i).isCloseTo(g[i], within(1e-5f));
                }
            });
        }
    }

    @Test
    void linearRefusesAnActivationItCannotFuse() {
        try (Linear l = new Linear(CPU, 3, 2, true, Init.HE_UNIFORM, new Rng(1)); Scope s = Nabla.scope()) {
            assertThatThrownBy(() -> l.forward(Tensor.ones(CPU, 4, 3), dev.nabla.backend.UnaryOp.EXP))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cannot be fused");
            assertThatThrownBy(() -> l.forward(Tensor.ones(CPU, 4, 5)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("5 features, expected 3");
        }
    }

    @Test
    void parametersAreNamedByDottedPathsInRegistrationOrder() {
        try (Sequential m = mlp(1)) {
            assertThat(m.namedParameters().keySet()).containsExactly("0.weight", "0.bias", "2.weight");
            assertThat(m.parameters()).hasSize(3);
            assertThat(m.parameters().get(0)).isSameAs(((Linear) m.get(0)).weight());
            assertThat(m.stateDict().get("0.bias").shape().dims()).containsExactly(8);
            assertThat(m.parameterCount()).isEqualTo(4 * 8 + 8 + 8 * 3);
            assertThat(m.parameters()).allMatch(Tensor::requiresGrad);
            assertThat(m.toString()).isEqualTo(String.join("\n", "Sequential",
                    "  (0) Linear(4 -> 8) weight[4, 8] bias[8]", "  (1) ReLU", "  (2) Linear(8 -> 3, no bias) weight[8, 3]"));
        }
    }

    @Test
    void linearComputesXTimesWPlusB() {
        try (Linear l = new Linear(CPU, 2, 3, true, Init.HE_UNIFORM, new Rng(1)); Scope s = Nabla.scope()) {
            float[] w = l.weight().toFloatArray();
            l.bias().requiresGrad(true);
            try (var g = Nabla.noGrad()) {
                l.bias().copyFrom(Tensor.of(CPU, new float[] {1, 2, 3}));
            }
            float[] y = l.forward(Tensor.of(CPU, new float[] {2, -1}, 1, 2)).toFloatArray();
            for (int j = 0; j < 3; j++) {
                assertThat(y[j]).isCloseTo(2 * w[j] - w[3 + j] + (j + 1), within(1e-6f));
            }
            assertThatThrownBy(() -> l.forward(Tensor.zeros(CPU, 1, 3)))
                    .hasMessageContaining("Linear(2 -> 3): input [1, 3] has 3 features, expected 2");
        }
    }

    @Test
    void backpropThroughAnMlpPassesGradCheck() {
        Rng rng = new Rng(4);
        Sequential m = new Sequential(new Linear(CPU, DType.FLOAT64, 3, 5, true, Init.XAVIER_UNIFORM, rng), new Tanh(),
                new Linear(CPU, DType.FLOAT64, 5, 2, true, Init.XAVIER_UNIFORM, rng), new Sigmoid());
        Tensor x = Tensor.randn(CPU, DType.FLOAT64, rng, 4, 3);
        List<Tensor> p = m.parameters();
        GradCheck.Result r = GradCheck.check(in -> {
            Tensor h = in.get(0).matmul(in.get(1)).add(in.get(2)).tanh();
            return h.matmul(in.get(3)).add(in.get(4)).sigmoid().sum();
        }, x, p.get(0), p.get(1), p.get(2), p.get(3));
        assertThat(r.passed()).as(r.toString()).isTrue();
        // and the module computes the same function
        try (Scope s = Nabla.scope()) {
            double viaModule = m.forward(x).sum().item();
            double viaOps = x.matmul(p.get(0)).add(p.get(1)).tanh().matmul(p.get(2)).add(p.get(3)).sigmoid().sum().item();
            assertThat(viaModule).isEqualTo(viaOps);
        }
        m.close();
        x.close();
    }

    @Test
    void loadStateDictCopiesValuesAndNamesTheTensorThatDoesNotFit() {
        try (Sequential a = mlp(1); Sequential b = mlp(2)) {
            b.loadStateDict(a.stateDict());
            for (String k : a.stateDict().keySet()) {
                assertThat(b.stateDict().get(k).toFloatArray()).containsExactly(a.stateDict().get(k).toFloatArray());
            }
            Map<String, Tensor> wrongShape = new LinkedHashMap<>(a.stateDict());
            try (Tensor t = Tensor.zeros(CPU, 4, 7)) {
                wrongShape.put("0.weight", t);
                assertThatThrownBy(() -> b.loadStateDict(wrongShape))
                        .hasMessage("tensor '0.weight' has shape [4, 7] but the model's parameter has shape [4, 8]");
            }
            Map<String, Tensor> missing = new LinkedHashMap<>(a.stateDict());
            missing.remove("2.weight");
            assertThatThrownBy(() -> b.loadStateDict(missing))
                    .hasMessage("tensor '2.weight' is missing; the model needs it with shape [8, 3]");
            Map<String, Tensor> extra = new LinkedHashMap<>(a.stateDict());
            extra.put("2.bias", a.stateDict().get("0.bias"));
            assertThatThrownBy(() -> b.loadStateDict(extra))
                    .hasMessage("tensor '2.bias' is not a parameter of this model (it has 0.weight, 0.bias, 2.weight)");
            Map<String, Tensor> wrongType = new LinkedHashMap<>(a.stateDict());
            try (Tensor t = Tensor.zeros(CPU, DType.FLOAT64, 8)) {
                wrongType.put("0.bias", t);
                assertThatThrownBy(() -> b.loadStateDict(wrongType))
                        .hasMessage("tensor '0.bias' is float64 but the model's parameter is float32");
            }
        }
    }

    @Test
    void trainAndEvalReachEveryModuleAndDropoutIsIdentityInEval() {
        Rng rng = new Rng(3);
        Dropout d = new Dropout(0.5, rng);
        Sequential m = new Sequential(new Sequential(d), new ReLU());
        assertThat(d.isTraining()).isTrue();
        m.eval();
        assertThat(d.isTraining()).isFalse();
        try (Scope s = Nabla.scope()) {
            Tensor x = Tensor.ones(CPU, 100);
            assertThat(m.forward(x).toFloatArray()).containsOnly(1f);
            m.train();
            float[] y = m.forward(x).toFloatArray();
            assertThat(y).containsOnly(0f, 2f).contains(0f, 2f);
        }
        assertThatThrownBy(() -> new Dropout(1, rng)).hasMessageContaining("[0, 1)");
    }

    @Test
    void dropoutMasksFollowTheSeed() {
        try (Scope s = Nabla.scope()) {
            Tensor x = Tensor.ones(CPU, 64);
            Dropout a = new Dropout(0.3, new Rng(9));
            Dropout b = new Dropout(0.3, new Rng(9));
            float[] a1 = a.forward(x).toFloatArray();
            assertThat(b.forward(x).toFloatArray()).containsExactly(a1);
            assertThat(a.forward(x).toFloatArray()).isNotEqualTo(a1); // the next forward draws a new mask
        }
    }

    @Test
    void initialisersHaveTheirVariance() {
        Rng rng = new Rng(11);
        int fanIn = 200, fanOut = 100;
        for (Init init : Init.values()) {
            float[] w = init.sample(fanIn, fanOut, rng);
            double mean = 0, sq = 0, maxAbs = 0;
            for (float v : w) {
                mean += v;
                sq += v * v;
                maxAbs = Math.max(maxAbs, Math.abs(v));
            }
            mean /= w.length;
            double var = sq / w.length - mean * mean;
            double expected = init.name().startsWith("HE") ? 2.0 / fanIn : 2.0 / (fanIn + fanOut);
            assertThat(init.variance(fanIn, fanOut)).isEqualTo(expected);
            assertThat(mean).as(init.name()).isCloseTo(0, within(0.01 * Math.sqrt(expected) * 10));
            assertThat(var).as(init.name()).isCloseTo(expected, within(0.05 * expected));
            if (init.name().endsWith("UNIFORM")) {
                assertThat(maxAbs).isLessThanOrEqualTo(Math.sqrt(3 * expected));
            } else {
                assertThat(maxAbs).isGreaterThan(Math.sqrt(3 * expected)); // normal tails go beyond the uniform bound
            }
        }
        assertThat(Init.HE_NORMAL.sample(3, 2, new Rng(5))).containsExactly(Init.HE_NORMAL.sample(3, 2, new Rng(5)));
        assertThat(Init.forActivation("relu")).isEqualTo(Init.HE_NORMAL);
        assertThat(Init.forActivation("tanh")).isEqualTo(Init.XAVIER_UNIFORM);
    }

    @Test
    void mlpSpecBuildsTheLayersItDescribes() {
        try (Sequential m = MlpSpec.parse("mlp:4-6-5-3,tanh,dropout=0.2").build(CPU, new Rng(1))) {
            assertThat(m.namedParameters().keySet()).containsExactly("0.weight", "0.bias", "3.weight", "3.bias",
                    "6.weight", "6.bias");
            assertThat(m.get(1)).isInstanceOf(Tanh.class);
            assertThat(m.get(2)).isInstanceOf(Dropout.class);
            assertThat(m.stateDict().get("6.weight").shape().dims()).containsExactly(5, 3);
        }
        try (Sequential a = MlpSpec.parse("mlp:4-6-3,relu").build(CPU, new Rng(1));
             Sequential b = MlpSpec.parse("mlp:4-6-3,relu").build(CPU, new Rng(1))) {
            assertThat(a.parameters().get(0).toFloatArray()).containsExactly(b.parameters().get(0).toFloatArray());
        }
    }

    @Test
    void lossesMatchTheirFormulas() {
        try (Scope s = Nabla.scope()) {
            Tensor logits = Tensor.of(CPU, new float[] {2, 0, 0, 1}, 2, 2);
            Tensor labels = Tensor.of(CPU, new int[] {0, 1});
            double expected = (Math.log(1 + Math.exp(-2)) + Math.log(1 + Math.exp(-1))) / 2;
            assertThat(new CrossEntropyLoss().forward(logits, labels).item()).isCloseTo(expected, within(1e-6));
            Tensor pred = Tensor.of(CPU, new float[] {1, 2, 3});
            Tensor target = Tensor.of(CPU, new float[] {1, 0, 5});
            assertThat(new MSELoss().forward(pred, target).item()).isCloseTo(8.0 / 3, within(1e-6));
            assertThat(new Softmax().forward(logits).toFloatArray()[0])
                    .isCloseTo((float) (1 / (1 + Math.exp(-2))), within(1e-6f));
        }
    }
}
