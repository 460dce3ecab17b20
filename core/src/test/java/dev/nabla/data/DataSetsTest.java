package dev.nabla.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nabla.Rng;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** TensorDataset, the built-in data, splits and standardisation (all on the host). */
class DataSetsTest {

    @Test
    void builtInDigitsAndIrisHaveTheirKnownShapeAndClasses() {
        TensorDataset digits = Datasets.digits();
        assertThat(digits.name()).isEqualTo("digits");
        assertThat(digits.size()).isEqualTo(1797);
        assertThat(digits.featureCount()).isEqualTo(64);
        assertThat(digits.classNames()).containsExactly("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
        assertThat(digits.classCounts()).containsExactly(178, 182, 177, 183, 181, 182, 181, 179, 174, 180);
        float max = 0;
        for (float v : digits.features()) {
            assertThat(v).isBetween(0f, 16f);
            max = Math.max(max, v);
        }
        assertThat(max).isEqualTo(16f);
        // sklearn's first digit is a 0 whose first row is 0,0,5,13,9,1,0,0
        assertThat(digits.label(0)).isEqualTo(0);
        assertThat(Arrays.copyOf(digits.get(0).features(), 8)).containsExactly(0, 0, 5, 13, 9, 1, 0, 0);

        TensorDataset iris = Datasets.iris();
        assertThat(iris.size()).isEqualTo(150);
        assertThat(iris.featureNames()).containsExactly("sepal_length", "sepal_width", "petal_length", "petal_width");
        assertThat(iris.classNames()).containsExactly("setosa", "versicolor", "virginica");
        assertThat(iris.classCounts()).containsExactly(50, 50, 50);
        assertThat(iris.get(0).features()).containsExactly(5.1f, 3.5f, 1.4f, 0.2f);
    }

    @Test
    void spiralsAreSeededAndBalanced() {
        TensorDataset a = Datasets.spirals(3, 50, 0.2, new Rng(1));
        TensorDataset b = Datasets.spirals(3, 50, 0.2, new Rng(1));
        TensorDataset c = Datasets.spirals(3, 50, 0.2, new Rng(2));
        assertThat(a.features()).containsExactly(b.features());
        assertThat(a.features()).isNotEqualTo(c.features());
        assertThat(a.classCounts()).containsExactly(50, 50, 50);
        for (int i = 0; i < a.size(); i++) {
            double r = Math.hypot(a.feature(i, 0), a.feature(i, 1));
            assertThat(r).isLessThanOrEqualTo(1.0 + 1e-6);
        }
        assertThatThrownBy(() -> Datasets.spirals(1, 5, 0, new Rng(1))).hasMessageContaining("at least 2 classes");
    }

    @Test
    void stratifiedSplitKeepsClassSharesIsSeededAndDisjoint() {
        TensorDataset iris = Datasets.iris();
        Split s = Split.stratified(iris, 0.2, 7);
        assertThat(s.train().size()).isEqualTo(120);
        assertThat(s.test().size()).isEqualTo(30);
        assertThat(s.test().classCounts()).containsExactly(10, 10, 10);
        Split again = Split.stratified(iris, 0.2, 7);
        assertThat(again.test().features()).containsExactly(s.test().features());
        Split other = Split.stratified(iris, 0.2, 8);
        assertThat(other.test().features()).isNotEqualTo(s.test().features());

        Set<String> rows = new HashSet<>();
        for (TensorDataset part : List.of(s.train(), s.test())) {
            for (int i = 0; i < part.size(); i++) {
                rows.add(Arrays.toString(part.get(i).features()) + part.label(i));
            }
        }
        // iris has one duplicated row (143 = 102 in Fisher's data), so 149 distinct rows when all are kept once
        Set<String> all = new HashSet<>();
        for (int i = 0; i < iris.size(); i++) {
            all.add(Arrays.toString(iris.get(i).features()) + iris.label(i));
        }
        assertThat(rows).isEqualTo(all);
        assertThat(s.train().size() + s.test().size()).isEqualTo(iris.size());
    }

    @Test
    void splitRejectsFractionsThatLeaveAPartEmpty() {
        TensorDataset tiny = TensorDataset.classification("tiny", new float[] {1, 2, 3}, 1, new int[] {0, 1, 1},
                List.of("a", "b"), null);
        assertThatThrownBy(() -> Split.stratified(tiny, 0, 1)).hasMessageContaining("between 0 and 1");
        assertThatThrownBy(() -> Split.stratified(tiny, 1, 1)).hasMessageContaining("between 0 and 1");
        Split s = Split.stratified(tiny, 0.5, 1);
        assertThat(s.test().size()).isEqualTo(1);
        assertThat(s.train().classCounts()).containsExactly(1, 1);
    }

    @Test
    void standardizerUsesTrainingStatisticsOnlyAndLeavesConstantFeaturesAtZero() {
        TensorDataset train = TensorDataset.classification("t", new float[] {1, 5, 3, 5, 5, 5}, 2,
                new int[] {0, 1, 0}, List.of("a", "b"), null);
        Standardizer st = Standardizer.fit(train);
        assertThat(st.mean()).containsExactly(3f, 5f);
        float sd = (float) Math.sqrt(8.0 / 3);
        assertThat(st.std()).containsExactly(sd, 1f);
        TensorDataset test = TensorDataset.classification("u", new float[] {3, 5, 7, 6}, 2, new int[] {0, 1},
                List.of("a", "b"), null);
        assertThat(st.transform(test).features()).containsExactly(0f, 0f, 4f / sd, 1f);
        assertThat(test.features()).containsExactly(3, 5, 7, 6); // untouched
        Standardizer restored = Standardizer.of(st.mean(), st.std());
        assertThat(restored.transform(test).features()).containsExactly(st.transform(test).features());
        assertThatThrownBy(() -> Standardizer.of(new float[] {0}, new float[] {0})).hasMessageContaining("std must be positive");
        assertThatThrownBy(() -> st.transform(Datasets.iris())).hasMessageContaining("fitted on 2 features but iris has 4");
    }

    @Test
    void datasetValidatesItsPartsAndCopiesOnAccess() {
        assertThatThrownBy(() -> TensorDataset.classification("d", new float[] {1, 2, 3}, 2, new int[] {0},
                List.of("a"), null)).hasMessageContaining("3 feature values do not make rows of 2");
        assertThatThrownBy(() -> TensorDataset.classification("d", new float[] {1, 2}, 1, new int[] {0, 2},
                List.of("a", "b"), null)).hasMessageContaining("label 2 of example 1 is outside [0, 2)");
        TensorDataset d = TensorDataset.classification("d", new float[] {1, 2}, 1, new int[] {0, 1}, List.of("a", "b"),
                null);
        d.features()[0] = 99;
        assertThat(d.feature(0, 0)).isEqualTo(1f);
        assertThat(d.subset(new int[] {1, 1}).labels()).containsExactly(1, 1);
        assertThatThrownBy(() -> d.targets()).isInstanceOf(IllegalStateException.class);
        TensorDataset r = TensorDataset.regression("r", new float[] {1, 2}, 1, new float[] {3, 4, 5, 6}, 2, null);
        assertThat(r.get(1).target()).containsExactly(5, 6);
        assertThat(r.get(1).label()).isEqualTo(-1);
        assertThatThrownBy(() -> r.labels()).isInstanceOf(IllegalStateException.class);
    }
}
