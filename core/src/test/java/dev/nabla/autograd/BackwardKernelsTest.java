package dev.nabla.autograd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.nabla.Device;
import dev.nabla.Nabla;
import dev.nabla.Scope;
import dev.nabla.Tensor;
import dev.nabla.backend.Backend;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The kernels a backward pass launches: the loss's backward from backward()'s seed of ones skips
 * the product with it, and a gradient made by the pass becomes a leaf's grad without a copy when
 * nothing else holds it. SPI calls are counted through a proxy in front of the CPU backend.
 */
class BackwardKernelsTest {
    private final Map<String, Integer> calls = new TreeMap<>();
    private Device dev;

    @BeforeEach
    void countingDevice() {
        Backend device = Device.reference().backend();
        Backend counting = (Backend) Proxy.newProxyInstance(Backend.class.getClassLoader(),
                new Class<?>[] {Backend.class}, (self, m, args) -> {
                    calls.merge(m.getName(), 1, Integer::sum);
                    try {
                        return m.invoke(device, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        dev = Device.wrap(counting);
    }

    private Tensor logits() {
        return Tensor.of(dev, new float[] {1, 2, 0.5f, -1, 0, 3, 2, 2, 2, 0.25f, -0.5f, 1}, 4, 3).requiresGrad(true);
    }

    /** (softmax − onehot) · scale / rows, computed here in double. */
    private static float[] expected(float[] x, int[] labels, double scale) {
        int rows = labels.length, cols = x.length / rows;
        float[] g = new float[x.length];
        for (int r = 0; r < rows; r++) {
            double max = Double.NEGATIVE_INFINITY, sum = 0;
            for (int c = 0; c < cols; c++) {
                max = Math.max(max, x[r * cols + c]);
            }
            for (int c = 0; c < cols; c++) {
                sum += Math.exp(x[r * cols + c] - max);
            }
            for (int c = 0; c < cols; c++) {
                double p = Math.exp(x[r * cols + c] - max) / sum - (c == labels[r] ? 1 : 0);
                g[r * cols + c] = (float) (p * scale / rows);
            }
        }
        return g;
    }

    private static void assertClose(float[] actual, float[] expected) {
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < expected.length; i++) {
            assertThat(actual[i]).as("element %d", i).isCloseTo(expected[i], within(1e-6f));
        }
    }

    @Test
    void crossEntropyBackwardFromTheLossScalesOnceAndCopiesNothing() {
        Tensor x = logits();
        int[] labels = {2, 0, 1, 2};
        Tensor y = Tensor.of(dev, labels);
        Tensor loss = x.softmaxCrossEntropy(y);
        calls.clear();
        loss.backward();
        // The seed of ones (fill), (softmax − onehot) / rows (unary SCALE), adopted as x.grad (no copy).
        assertThat(calls).containsOnlyKeys("allocate", "fill", "unary", "supports");
        assertThat(calls).containsEntry("fill", 1).containsEntry("unary", 1);
        assertClose(x.grad().toFloatArray(), expected(x.toFloatArray(), labels, 1));
    }

    @Test
    void aLossScaledAfterwardsStillGetsTheProductWithItsGradient() {
        Tensor x = logits();
        int[] labels = {1, 1, 0, 2};
        x.softmaxCrossEntropy(Tensor.of(dev, labels)).mul(3).backward();
        assertClose(x.grad().toFloatArray(), expected(x.toFloatArray(), labels, 3));
        Tensor x2 = logits();
        x2.softmaxCrossEntropy(Tensor.of(dev, labels)).backward(Tensor.full(dev, 2.0));
        assertClose(x2.grad().toFloatArray(), expected(x2.toFloatArray(), labels, 2));
    }

    @Test
    void mseBackwardFromTheLossSkipsTheSeedProduct() {
        Tensor p = Tensor.of(dev, new float[] {1, 2, 4}).requiresGrad(true);
        Tensor t = Tensor.of(dev, new float[] {0, 2, 1});
        Tensor loss = p.mseLoss(t);
        calls.clear();
        loss.backward();
        assertThat(calls.getOrDefault("binary", 0)).as("binary calls").isZero();
        assertThat(p.grad().toFloatArray()).containsExactly(2f / 3, 0, 2);
        Tensor p2 = Tensor.of(dev, new float[] {1, 2, 4}).requiresGrad(true);
        p2.mseLoss(t).mul(0.5).backward();
        assertThat(p2.grad().toFloatArray()).containsExactly(1f / 3, 0, 1);
    }

    @Test
    void anAdoptedGradientOutlivesTheScopeAndAccumulatesLater() {
        Tensor x = logits();
        int[] labels = {0, 1, 2, 0};
        Tensor y = Tensor.of(dev, labels);
        try (Scope s = Nabla.scope()) {
            x.softmaxCrossEntropy(y).backward();
        }
        assertThat(x.grad().isClosed()).isFalse();
        float[] once = expected(x.toFloatArray(), labels, 1);
        assertClose(x.grad().toFloatArray(), once);
        try (Scope s = Nabla.scope()) {
            x.softmaxCrossEntropy(y).backward();
        }
        assertClose(x.grad().toFloatArray(), expected(x.toFloatArray(), labels, 2));
    }

    @Test
    void aGradientSharedByTwoLeavesIsCopiedForEach() {
        Tensor a = Tensor.of(dev, new float[] {1, 2}).requiresGrad(true);
        Tensor b = Tensor.of(dev, new float[] {3, 4}).requiresGrad(true);
        a.add(b).sum().backward(); // add's backward hands the same gradient to both
        assertThat(a.grad()).isNotSameAs(b.grad());
        a.zeroGrad();
        assertThat(b.grad().toFloatArray()).containsExactly(1, 1);
        assertThat(a.grad().toFloatArray()).containsExactly(0, 0);
    }

    @Test
    void aGradientThatSharesItsStorageIsCopiedNotAdopted() {
        Tensor saved = Tensor.of(dev, new float[] {5, 6, 7, 8});
        Tensor x = Tensor.zeros(dev, 2, 2).requiresGrad(true);
        // A custom op whose backward returns a fresh view of a tensor it keeps: same storage.
        Function viewOfSaved = new Function() {
            @Override
            public String name() {
                return "viewOfSaved";
            }

            @Override
            public Tensor[] backward(Tensor g) {
                return new Tensor[] {saved.reshape(2, 2)};
            }
        };
        Node.record(Tensor.zeros(dev, 2, 2), viewOfSaved, x).sum().backward();
        assertThat(x.grad().toFloatArray()).containsExactly(5, 6, 7, 8);
        x.zeroGrad();
        assertThat(saved.toFloatArray()).as("the saved tensor is not the gradient").containsExactly(5, 6, 7, 8);
    }

    @Test
    void retainedGraphsKeepTheirSavedTensorsIntact() {
        Tensor x = logits();
        int[] labels = {2, 2, 1, 0};
        Tensor loss = x.softmaxCrossEntropy(Tensor.of(dev, labels));
        Tensor one = Tensor.ones(dev);
        loss.backward(one, true);
        x.zeroGrad();
        loss.backward(one, true);
        loss.backward(one, false);
        assertClose(x.grad().toFloatArray(), expected(x.toFloatArray(), labels, 2));
    }
}
