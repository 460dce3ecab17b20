package dev.nabla.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ConfusionMatrixTest {

    @Test
    void countsPairsAndPrintsATableWithRecall() {
        ConfusionMatrix m = ConfusionMatrix.of(List.of("setosa", "versicolor", "virginica"),
                new int[] {0, 0, 1, 1, 1, 2, 2, 2}, new int[] {0, 0, 1, 2, 1, 2, 2, 1});
        assertThat(m.count(1, 2)).isEqualTo(1);
        assertThat(m.total()).isEqualTo(8);
        assertThat(m.correct()).isEqualTo(6);
        assertThat(m.accuracy()).isEqualTo(0.75);
        assertThat(m.recall(1)).isEqualTo(2.0 / 3);
        assertThat(m.precision(2)).isEqualTo(2.0 / 3);
        assertThat(m.toString()).isEqualTo(String.join("\n",
                "true \\ predicted  setosa  versicolor  virginica  recall",
                "setosa                 2           0          0   1.000",
                "versicolor             0           2          1   0.667",
                "virginica              0           1          2   0.667",
                "accuracy 0.7500 (6 of 8)"));
    }

    @Test
    void emptyRowsPrintADashAndBadClassesAreRejected() {
        ConfusionMatrix m = new ConfusionMatrix(2);
        m.add(0, 0);
        assertThat(m.toString()).contains("\n1                 0  0       -\n");
        assertThatThrownBy(() -> m.add(2, 0)).hasMessageContaining("true class 2 is outside [0, 2)");
        assertThatThrownBy(() -> m.addAll(new int[] {0}, new int[0])).hasMessageContaining("1 true classes but 0 predictions");
    }

    @Test
    void accuracyOfArrays() {
        assertThat(Metrics.accuracy(new int[] {1, 2, 3, 4}, new int[] {1, 2, 0, 4})).isEqualTo(0.75);
        assertThatThrownBy(() -> Metrics.accuracy(new int[0], new int[0])).hasMessageContaining("non-zero");
    }
}
