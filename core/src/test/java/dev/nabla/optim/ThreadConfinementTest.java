package dev.nabla.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nabla.Device;
import dev.nabla.Nabla;
import dev.nabla.Rng;
import dev.nabla.Scope;
import dev.nabla.Tensor;
import dev.nabla.nn.Init;
import dev.nabla.nn.Linear;
import dev.nabla.nn.ReLU;
import dev.nabla.nn.Sequential;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/**
 * A model and its optimizer are confined to one thread: two threads training one model fail
 * loudly; one model per thread trains exactly as it would alone; a hand-over is explicit.
 */
class ThreadConfinementTest {
    private final Device device = Device.reference();

    private Sequential model(long seed) {
        Rng rng = new Rng(seed);
        return new Sequential(new Linear(device, 4, 6, true, Init.HE_UNIFORM, rng), new ReLU(),
                new Linear(device, 6, 3, true, Init.HE_UNIFORM, rng));
    }

    private static void trainSteps(Sequential m, Optimizer opt, Device d, int steps, long seed) {
        Rng data = new Rng(seed);
        for (int s = 0; s < steps; s++) {
            try (Scope scope = Nabla.scope()) {
                Tensor x = Tensor.randn(d, data, 8, 4);
                int[] labels = new int[8];
                for (int i = 0; i < 8; i++) {
                    labels[i] = data.nextInt(3);
                }
                opt.zeroGrad();
                m.forward(x).softmaxCrossEntropy(Tensor.of(d, labels)).backward();
                opt.step();
            }
        }
    }

    @Test
    void twoThreadsSharingOneModelAndOptimizerFailLoudly() throws Exception {
        Sequential shared = model(1);
        SGD opt = new SGD(shared.parameters(), 0.1);
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
            int seed = t;
            Thread th = new Thread(() -> {
                try {
                    start.await();
                    trainSteps(shared, opt, device, 20, seed);
                } catch (Throwable e) {
                    errors.add(e);
                }
            }, "trainer-" + t);
            threads.add(th);
            th.start();
        }
        start.countDown();
        for (Thread th : threads) {
            th.join(60_000);
        }
        assertThat(errors).as("two threads on one optimizer must not both run to the end").isNotEmpty();
        assertThat(errors).allSatisfy(e -> assertThat(e).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("confined to one thread"));
    }

    @Test
    void oneModelPerThreadTrainsBitForBitAsItWouldAlone() throws Exception {
        int threads = 4;
        List<float[]> sequential = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Sequential m = model(10 + t);
            trainSteps(m, new Adam(m.parameters(), 0.01), device, 5, t);
            sequential.add(m.parameters().get(0).toFloatArray());
        }
        float[][] parallel = new float[threads][];
        List<Thread> running = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int i = t;
            Thread th = new Thread(() -> {
                Sequential m = model(10 + i);
                trainSteps(m, new Adam(m.parameters(), 0.01), device, 5, i);
                parallel[i] = m.parameters().get(0).toFloatArray();
            });
            running.add(th);
            th.start();
        }
        for (Thread th : running) {
            th.join(60_000);
        }
        for (int t = 0; t < threads; t++) {
            assertThat(parallel[t]).as("thread " + t).containsExactly(sequential.get(t));
        }
    }

    @Test
    void twoOptimizersOverOneModelOnTwoThreadsAreCaughtAtTheGradient() throws Exception {
        Sequential shared = model(2);
        trainSteps(shared, new SGD(shared.parameters(), 0.1), device, 1, 0); // gradients now belong to this thread
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        Thread other = new Thread(() -> {
            try {
                trainSteps(shared, new SGD(shared.parameters(), 0.1), device, 1, 1);
            } catch (Throwable e) {
                errors.add(e);
            }
        }, "intruder");
        other.start();
        other.join(60_000);
        assertThat(errors).singleElement().asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.THROWABLE)
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("belongs to thread")
                .hasMessageContaining("intruder");
    }

    @Test
    void anExplicitHandOverLetsAnotherThreadContinue() throws Exception {
        Sequential m = model(3);
        SGD opt = new SGD(m.parameters(), 0.1);
        trainSteps(m, opt, device, 2, 0);
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        Thread next = new Thread(() -> {
            try {
                opt.useFromThisThread();
                trainSteps(m, opt, device, 2, 1);
            } catch (Throwable e) {
                errors.add(e);
            }
        });
        next.start();
        next.join(60_000);
        assertThat(errors).isEmpty();
        assertThatThrownBy(opt::step).hasMessageContaining("useFromThisThread");
    }
}
