package dev.nabla.nn;

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
import org.junit.jupiter.api.Test;

class EnsembleTest {
    private static final Device CPU = Device.reference();

    @Test
    void predictsTheMeanOfItsMembersSoftmaxOutputs() {
        MlpSpec spec = MlpSpec.parse("mlp:4-5-3,tanh");
        List<Sequential> members = new ArrayList<>();
        for (int seed = 0; seed < 3; seed++) {
            members.add(spec.build(CPU, new Rng(seed)));
        }
        try (Ensemble ensemble = new Ensemble(members); Scope s = Nabla.scope()) {
            Tensor x = Tensor.randn(CPU, new Rng(7), 6, 4);
            double[] expected = new double[6 * 3];
            for (Sequential m : members) {
                double[] logits = m.forward(x).toDoubleArray();
                for (int r = 0; r < 6; r++) {
                    double max = Double.NEGATIVE_INFINITY, sum = 0;
                    for (int c = 0; c < 3; c++) {
                        max = Math.max(max, logits[r * 3 + c]);
                    }
                    for (int c = 0; c < 3; c++) {
                        sum += Math.exp(logits[r * 3 + c] - max);
                    }
                    for (int c = 0; c < 3; c++) {
                        expected[r * 3 + c] += Math.exp(logits[r * 3 + c] - max) / sum / 3;
                    }
                }
            }
            double[] actual = ensemble.forward(x).toDoubleArray();
            assertThat(actual).containsExactly(expected, within(1e-6));
            assertThat(ensemble.size()).isEqualTo(3);
            assertThat(ensemble.namedParameters().keySet()).startsWith("0.0.weight", "0.0.bias", "0.2.weight")
                    .contains("2.2.bias").hasSize(12);
            // members differ, so the mean is not any one member's output
            assertThat(actual).isNotEqualTo(members.get(0).forward(x).softmax().toDoubleArray());
        }
        assertThatThrownBy(() -> new Ensemble(List.of())).hasMessageContaining("at least one member");
    }
}
