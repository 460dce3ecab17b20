package dev.nabla.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nabla.Device;
import dev.nabla.Rng;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Data augmentation in the DataLoader: exact shifts and flips, seeded, labels and data set untouched. */
class AugmentationTest {
    private static final Device CPU = Device.reference();

    /** A 3×4 image with distinct values 1..12. */
    private static float[] image() {
        float[] x = new float[12];
        for (int i = 0; i < 12; i++) {
            x[i] = i + 1;
        }
        return x;
    }

    @Test
    void shiftMovesPixelsAndFillsWithZeros() {
        float[] right = image();
        RandomShift.shift(right, 3, 4, 1, 0);
        assertThat(right).containsExactly(0, 1, 2, 3, 0, 5, 6, 7, 0, 9, 10, 11);
        float[] upLeft = image();
        RandomShift.shift(upLeft, 3, 4, -2, -1);
        assertThat(upLeft).containsExactly(7, 8, 0, 0, 11, 12, 0, 0, 0, 0, 0, 0);
        float[] down = image();
        RandomShift.shift(down, 3, 4, 0, 2);
        assertThat(down).containsExactly(0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4);
        float[] none = image();
        RandomShift.shift(none, 3, 4, 0, 0);
        assertThat(none).containsExactly(image());
        float[] flipped = image();
        RandomHorizontalFlip.flip(flipped, 3, 4);
        assertThat(flipped).containsExactly(4, 3, 2, 1, 8, 7, 6, 5, 12, 11, 10, 9);
    }

    @Test
    void randomShiftStaysWithinItsRange() {
        RandomShift shift = new RandomShift(3, 4, 1);
        Rng rng = new Rng(5);
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (int i = 0; i < 200; i++) {
            float[] x = image();
            shift.apply(x, rng);
            boolean matched = false;
            for (int dx = -1; dx <= 1 && !matched; dx++) {
                for (int dy = -1; dy <= 1 && !matched; dy++) {
                    float[] expected = image();
                    RandomShift.shift(expected, 3, 4, dx, dy);
                    if (Arrays.equals(expected, x)) {
                        matched = true;
                        seen.add(dx + "," + dy);
                    }
                }
            }
            assertThat(matched).as(Arrays.toString(x)).isTrue();
        }
        assertThat(seen).hasSize(9); // every shift in [-1, 1]² occurs
        assertThatThrownBy(() -> shift.apply(new float[5], rng)).hasMessageContaining("5 features are not a 3x4 image");
        assertThatThrownBy(() -> new RandomShift(3, 4, -1)).hasMessageContaining("shift >= 0");
        assertThatThrownBy(() -> new GaussianNoise(-0.1)).hasMessageContaining("std must be >= 0");
    }

    private static TensorDataset images(int n) {
        Rng rng = new Rng(3);
        float[] x = new float[n * 12];
        int[] y = new int[n];
        for (int i = 0; i < x.length; i++) {
            x[i] = rng.nextInt(17);
        }
        for (int i = 0; i < n; i++) {
            y[i] = i % 3;
        }
        return TensorDataset.classification("images", x, 12, y, List.of("a", "b", "c"), null);
    }

    private static List<float[]> epochFeatures(DataLoader loader, List<int[]> labels) {
        List<float[]> out = new ArrayList<>();
        loader.forEach(b -> {
            out.add(b.x().toFloatArray());
            labels.add(b.y().toIntArray());
        });
        return out;
    }

    @Test
    void augmentationIsSeededKeepsLabelsAndNeverChangesTheDataSet() {
        TensorDataset data = images(10);
        float[] original = data.features();
        Transform augment = Transform.compose(new RandomShift(3, 4, 1), new RandomHorizontalFlip(3, 4, 0.5),
                new GaussianNoise(0.1));
        List<int[]> labelsA = new ArrayList<>();
        List<int[]> labelsB = new ArrayList<>();
        List<int[]> labelsPlain = new ArrayList<>();
        List<float[]> a = epochFeatures(new DataLoader(data, 4, true, false, new Rng(1), CPU, augment, new Rng(2)), labelsA);
        List<float[]> b = epochFeatures(new DataLoader(data, 4, true, false, new Rng(1), CPU, augment, new Rng(2)), labelsB);
        List<float[]> plain = epochFeatures(new DataLoader(data, 4, true, false, new Rng(1), CPU), labelsPlain);
        List<float[]> other = epochFeatures(new DataLoader(data, 4, true, false, new Rng(1), CPU, augment, new Rng(3)),
                new ArrayList<>());
        for (int i = 0; i < a.size(); i++) {
            assertThat(b.get(i)).as("batch %d under the same seed", i).containsExactly(a.get(i));
            assertThat(a.get(i)).as("batch %d is augmented", i).isNotEqualTo(plain.get(i));
            assertThat(other.get(i)).as("batch %d under another seed", i).isNotEqualTo(a.get(i));
            assertThat(labelsA.get(i)).containsExactly(labelsPlain.get(i));
            assertThat(labelsB.get(i)).containsExactly(labelsPlain.get(i));
        }
        assertThat(data.features()).containsExactly(original);
        assertThatThrownBy(() -> new DataLoader(data, 4, false, false, null, CPU, augment, null))
                .hasMessageContaining("a transform needs an Rng");
    }

    @Test
    void aStandardizerAsTransformMatchesStandardizingTheDataSet() {
        TensorDataset data = images(6);
        Standardizer st = Standardizer.fit(data);
        float[] whole = st.transform(data).features();
        DataLoader loader = new DataLoader(data, 6, false, false, null, CPU, st, new Rng(0));
        try (Batch b = loader.iterator().next()) {
            assertThat(b.x().toFloatArray()).containsExactly(whole);
        }
    }
}
