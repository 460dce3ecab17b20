package dev.nabla;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Deterministic release: scopes close what was made inside, except kept tensors, parameters and gradients. */
class ScopeTest {
    private final Device device = Device.reference();

    @Test
    void scopeClosesTemporariesButKeepsWhatIsKept() {
        Tensor kept;
        Tensor temp;
        try (Scope s = Nabla.scope()) {
            temp = Tensor.ones(device, 3);
            kept = s.keep(temp.mul(2));
            assertThat(s.size()).isEqualTo(1);
        }
        assertThat(temp.isClosed()).isTrue();
        assertThat(kept.isClosed()).isFalse();
        assertThat(kept.toFloatArray()).containsExactly(2, 2, 2);
    }

    @Test
    void keptTensorsMoveToTheEnclosingScope() {
        Tensor t;
        try (Scope outer = Nabla.scope()) {
            try (Scope inner = Nabla.scope()) {
                t = inner.keep(Tensor.ones(device, 2));
            }
            assertThat(t.isClosed()).isFalse();
        }
        assertThat(t.isClosed()).isTrue();
    }

    @Test
    void trainingStepsKeepLiveTensorCountAndMemoryFlat() {
        Rng rng = new Rng(5);
        Tensor w = Tensor.randn(device, rng, 4, 3).requiresGrad(true);
        Tensor x = Tensor.randn(device, rng, 16, 4);
        Tensor y = Tensor.of(device, new int[] {0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0});
        long baseline = -1;
        long baseBytes = -1;
        for (int step = 0; step < 50; step++) {
            try (Scope s = Nabla.scope()) {
                Tensor loss = x.matmul(w).relu().softmaxCrossEntropy(y);
                loss.backward();
                try (var g = Nabla.noGrad()) {
                    w.subInPlace(w.grad().mul(0.1));
                }
                w.zeroGrad();
            }
            if (step == 0) {
                baseline = Nabla.liveTensors();
                baseBytes = Nabla.memory().device().liveBytes();
            }
            assertThat(Nabla.liveTensors()).as("live tensors after step " + step).isEqualTo(baseline);
            // Other tests' garbage may be freed by the Cleaner meanwhile, so bytes can only be bounded above.
            assertThat(Nabla.memory().device().liveBytes()).as("live bytes after step " + step)
                    .isLessThanOrEqualTo(baseBytes);
        }
    }

    @Test
    void parametersAndTheirGradientsSurviveTheScope() {
        Tensor w;
        try (Scope s = Nabla.scope()) {
            w = Tensor.ones(device, 2).requiresGrad(true);
            w.mul(3).sum().backward();
        }
        assertThat(w.isClosed()).isFalse();
        assertThat(w.grad().toFloatArray()).containsExactly(3, 3);
    }

    /** Collects garbage until the Cleaner has freed {@code more} buffers beyond {@code before}, or 20 s pass. */
    private static long awaitCleanerFrees(long before, long more) throws InterruptedException {
        long end = System.nanoTime() + 20_000_000_000L;
        while (Nabla.memory().freedByCleaner() < before + more && System.nanoTime() < end) {
            System.gc();
            Thread.sleep(20);
        }
        return Nabla.memory().freedByCleaner() - before;
    }

    @Test
    void aTensorDroppedOutsideEveryScopeIsFreedByTheCleaner() throws InterruptedException {
        long before = Nabla.memory().freedByCleaner();
        Tensor.ones(device, 1000).mul(2); // two tensors, never closed, unreachable at once
        assertThat(awaitCleanerFrees(before, 2)).isGreaterThanOrEqualTo(2);
    }

    @Test
    void tensorsOfAScopeLeftOpenByAThreadThatEndedAreFreedByTheCleaner() throws InterruptedException {
        long before = Nabla.memory().freedByCleaner();
        Thread t = new Thread(() -> {
            Nabla.scope(); // never closed: the scope is lost with the thread
            Tensor.ones(device, 1000).add(Tensor.ones(device, 1000));
        });
        t.start();
        t.join();
        assertThat(awaitCleanerFrees(before, 3)).isGreaterThanOrEqualTo(3);
    }

    @Test
    void aTensorKeptOutOfTheOutermostScopeGetsTheSafetyNet() throws InterruptedException {
        long before = Nabla.memory().freedByCleaner();
        try (Scope s = Nabla.scope()) {
            s.keep(Tensor.ones(device, 1000)); // kept, then dropped without close
        }
        assertThat(awaitCleanerFrees(before, 1)).isGreaterThanOrEqualTo(1);
    }

    @Test
    void scopesCloseInReverseOrder() {
        Scope outer = Nabla.scope();
        Scope inner = Nabla.scope();
        assertThatThrownBy(outer::close).isInstanceOf(IllegalStateException.class).hasMessageContaining("inner scope");
        inner.close();
        outer.close();
    }

    @Test
    void closingAViewKeepsTheBufferForOtherViews() {
        Tensor x = Tensor.arange(device, 4);
        Tensor v = x.reshape(2, 2);
        x.close();
        assertThat(v.toFloatArray()).containsExactly(0, 1, 2, 3);
        long live = Nabla.memory().device().liveBuffers();
        v.close();
        assertThat(Nabla.memory().device().liveBuffers()).isEqualTo(live - 1);
    }
}
