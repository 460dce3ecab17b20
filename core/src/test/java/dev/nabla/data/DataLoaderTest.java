package dev.nabla.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nabla.DType;
import dev.nabla.Device;
import dev.nabla.Nabla;
import dev.nabla.Rng;
import dev.nabla.Scope;
import dev.nabla.Tensor;
import dev.nabla.nn.MlpSpec;
import dev.nabla.nn.Sequential;
import dev.nabla.optim.Adam;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class DataLoaderTest {
    private static final Device CPU = Device.reference();

    /** Ten examples whose single feature is their index, labels index % 3. */
    private static TensorDataset tenExamples() {
        float[] x = new float[10];
        int[] y = new int[10];
        for (int i = 0; i < 10; i++) {
            x[i] = i;
            y[i] = i % 3;
        }
        return TensorDataset.classification("ten", x, 1, y, List.of("a", "b", "c"), null);
    }

    private static List<int[]> epoch(DataLoader loader) {
        List<int[]> out = new ArrayList<>();
        for (Batch b : loader) {
            assertThat(b.x().dims()).containsExactly(b.size(), 1);
            assertThat(b.y().dtype()).isEqualTo(DType.INT32);
            float[] x = b.x().toFloatArray();
            int[] y = b.y().toIntArray();
            for (int r = 0; r < b.size(); r++) {
                assertThat(x[r]).isEqualTo((float) b.indices()[r]);
                assertThat(y[r]).isEqualTo(b.indices()[r] % 3);
            }
            out.add(b.indices());
        }
        return out;
    }

    @Test
    void batchesCoverTheDataInOrderWithoutShuffling() {
        DataLoader loader = new DataLoader(tenExamples(), 4, false, false, null, CPU);
        assertThat(loader.batchCount()).isEqualTo(3);
        List<int[]> e = epoch(loader);
        assertThat(e).hasSize(3);
        assertThat(e.get(0)).containsExactly(0, 1, 2, 3);
        assertThat(e.get(2)).containsExactly(8, 9);
        DataLoader dropLast = new DataLoader(tenExamples(), 4, false, true, null, CPU);
        assertThat(dropLast.batchCount()).isEqualTo(2);
        assertThat(dropLast.sampleCount()).isEqualTo(8);
        assertThat(epoch(dropLast)).hasSize(2);
    }

    @Test
    void shuffleIsAFreshPermutationEachEpochFixedByTheSeed() {
        DataLoader a = new DataLoader(tenExamples(), 3, true, false, new Rng(5), CPU);
        DataLoader b = new DataLoader(tenExamples(), 3, true, false, new Rng(5), CPU);
        int[] a1 = flat(epoch(a));
        int[] a2 = flat(epoch(a));
        assertThat(flat(epoch(b))).containsExactly(a1);
        assertThat(flat(epoch(b))).containsExactly(a2);
        assertThat(a1).isNotEqualTo(a2);
        int[] sorted = a1.clone();
        Arrays.sort(sorted);
        assertThat(sorted).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
    }

    private static int[] flat(List<int[]> batches) {
        return batches.stream().flatMapToInt(Arrays::stream).toArray();
    }

    @Test
    void iteratorClosesEachBatchWhenTheNextIsDrawn() {
        long before = Nabla.liveTensors();
        List<Batch> seen = new ArrayList<>();
        for (Batch b : new DataLoader(tenExamples(), 4, false, false, null, CPU)) {
            seen.add(b);
            assertThat(Nabla.liveTensors()).isEqualTo(before + 2);
        }
        assertThat(seen).allMatch(b -> b.x().isClosed() && b.y().isClosed());
        assertThat(Nabla.liveTensors()).isEqualTo(before);
    }

    @Test
    void worksOverAnyDatasetIncludingRegressionTargets() {
        Dataset squares = new Dataset() {
            public int size() {
                return 5;
            }

            public Example get(int i) {
                return new Example(new float[] {i, 1}, -1, new float[] {i * i});
            }
        };
        List<float[]> targets = new ArrayList<>();
        for (Batch b : new DataLoader(squares, 2, false, false, null, CPU)) {
            assertThat(b.y().dims()).containsExactly(b.size(), 1);
            targets.add(b.y().toFloatArray());
        }
        assertThat(targets.get(1)).containsExactly(4, 9);
        assertThat(targets.get(2)).containsExactly(16);
    }

    @Test
    void rejectsBadArguments() {
        assertThatThrownBy(() -> new DataLoader(tenExamples(), 0, false, false, null, CPU))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("DataLoader: batch size must be at least 1, got 0");
        assertThatThrownBy(() -> new DataLoader(tenExamples(), -3, false, false, null, CPU))
                .hasMessageContaining("got -3");
        assertThatThrownBy(() -> new DataLoader(tenExamples(), 2, true, false, null, CPU)).hasMessageContaining("needs an Rng");
    }

    /** The acceptance test: a 50-epoch run never leaks a tensor; the count is back to its baseline after every step. */
    @Test
    void liveTensorCountReturnsToBaselineAfterEveryStepOf50Epochs() {
        TensorDataset data = Datasets.spirals(3, 8, 0.1, new Rng(1));
        Sequential model = MlpSpec.parse("mlp:2-8-3,relu,dropout=0.1").build(CPU, new Rng(2));
        Adam opt = new Adam(model.parameters(), 0.01);
        DataLoader loader = new DataLoader(data, 5, true, false, new Rng(3), CPU);
        long baseline = -1;
        int steps = 0;
        for (int epoch = 0; epoch < 50; epoch++) {
            for (Batch b : loader) {
                try (Scope s = Nabla.scope()) {
                    opt.zeroGrad();
                    Tensor loss = model.forward(b.x()).softmaxCrossEntropy(b.y());
                    loss.backward();
                    opt.step();
                }
                steps++;
                if (baseline < 0) {
                    baseline = Nabla.liveTensors(); // after the first step: parameters, grads, Adam state, one batch
                }
                assertThat(Nabla.liveTensors()).as("live tensors after step %d", steps).isEqualTo(baseline);
            }
        }
        assertThat(steps).isEqualTo(50 * 5);
        opt.close();
        model.close();
        // the epoch's last batch, and 4 parameters with their gradients and two Adam moments each
        assertThat(Nabla.liveTensors()).isEqualTo(baseline - 2 - 4 * 4);
    }
}
