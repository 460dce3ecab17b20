package dev.nabla.gpu;

import dev.nabla.Device;
import dev.nabla.Nabla;
import dev.nabla.Rng;
import dev.nabla.Scope;
import dev.nabla.Tensor;
import dev.nabla.backend.Backend;
import java.lang.management.ManagementFactory;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one training step costs on the host, with the GPU taken out: {@link KernelBackend} over a
 * {@link NoopDevice}, driving the SPI call sequence of GpuBench's MLP step (forward, mean softmax
 * cross-entropy, backward, {@code sgdStep} and {@code zeroGrad} per parameter, in a
 * {@link Nabla#scope()}) through the Tensor API.
 *
 * <pre>
 * java -cp core/target/classes:backend-gpu-common/target/classes:backend-gpu-common/target/test-classes \
 *      dev.nabla.gpu.StepOverhead [--spec 784-1024-1024-10:512] [--warmup 10] [--rounds 15] [--steps 500]
 * </pre>
 * Prints the SPI calls and device launches of one step, the "cold" time (median of steps 3–32 of a
 * fresh JVM: what GpuBench's 2 warm-up + 30 timed steps saw), then the warm time (after
 * {@code --warmup} seconds of steps: median over {@code --rounds} rounds of the mean of
 * {@code --steps} steps) with bytes allocated per step.
 */
public final class StepOverhead {

    /** Parameters and data of one MLP on one device. */
    record Model(Device device, List<Tensor> params, Tensor x, Tensor y) {
        static Model build(Device device, int[] widths, int batch) {
            Rng rng = new Rng(42);
            List<Tensor> params = new ArrayList<>();
            for (int l = 0; l + 1 < widths.length; l++) {
                double scale = Math.sqrt(2.0 / widths[l]);
                params.add(Tensor.randn(device, rng, widths[l], widths[l + 1]).mul(scale).detach().requiresGrad(true));
                params.add(Tensor.zeros(device, widths[l + 1]).requiresGrad(true));
            }
            Tensor x = Tensor.randn(device, rng, batch, widths[0]);
            int classes = widths[widths.length - 1];
            int[] labels = new int[batch];
            for (int i = 0; i < batch; i++) {
                labels[i] = i % classes;
            }
            return new Model(device, params, x, Tensor.of(device, labels));
        }

        /** GpuBench's MLP step. */
        void step() {
            Backend backend = device.backend();
            try (Scope s = Nabla.scope()) {
                Tensor h = x;
                for (int l = 0; l < params.size(); l += 2) {
                    h = h.matmul(params.get(l)).add(params.get(l + 1));
                    if (l + 2 < params.size()) {
                        h = h.relu();
                    }
                }
                Tensor loss = h.softmaxCrossEntropy(y);
                loss.backward();
                for (Tensor p : params) {
                    Tensor g = p.grad();
                    backend.sgdStep(p.buffer(), p.offset(), g.buffer(), g.offset(), null, 0, p.numel(), 0.01, 0, 0, 0,
                            false, false);
                    p.zeroGrad();
                }
            }
        }
    }

    /** SPI calls of one step, by method name, counted through a proxy in front of the backend. */
    static Map<String, Integer> spiCalls(int[] widths, int batch) {
        NoopDevice device = new NoopDevice();
        KernelBackend real = device.backend();
        Map<String, Integer> counts = new TreeMap<>();
        boolean[] counting = {false};
        Backend proxy = (Backend) Proxy.newProxyInstance(Backend.class.getClassLoader(), new Class<?>[] {Backend.class},
                (self, method, args) -> {
                    if (counting[0]) {
                        counts.merge(method.getName(), 1, Integer::sum);
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        Model m = Model.build(Device.wrap(proxy), widths, batch);
        m.step();
        counting[0] = true;
        m.step();
        return counts;
    }

    public static void main(String[] args) {
        System.setProperty("nabla.gpu.autotune", "false");
        String spec = "784-1024-1024-10:512";
        double warmupSeconds = 10;
        int rounds = 15;
        int stepsPerRound = 500;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--spec" -> spec = args[i + 1];
                case "--warmup" -> warmupSeconds = Double.parseDouble(args[i + 1]);
                case "--rounds" -> rounds = Integer.parseInt(args[i + 1]);
                case "--steps" -> stepsPerRound = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("StepOverhead: unknown option " + args[i]);
            }
        }
        String[] parts = spec.split(":");
        int[] widths = Arrays.stream(parts[0].split("-")).mapToInt(Integer::parseInt).toArray();
        int batch = Integer.parseInt(parts[1]);

        NoopDevice device = new NoopDevice();
        Model model = Model.build(Device.wrap(device.backend()), widths, batch);

        // Cold: a fresh JVM, 2 warm-up steps, the median of the next 30 (GpuBench's time()).
        model.step();
        model.step();
        double[] cold = new double[30];
        for (int i = 0; i < cold.length; i++) {
            long t0 = System.nanoTime();
            model.step();
            cold[i] = (System.nanoTime() - t0) / 1e3;
        }
        Arrays.sort(cold);

        Map<String, Integer> calls = spiCalls(widths, batch);
        int spi = calls.values().stream().mapToInt(Integer::intValue).sum();
        long launches0 = device.launches, reads0 = device.reads;
        model.step();
        long launchesPerStep = device.launches - launches0;
        long readsPerStep = device.reads - reads0;

        long end = System.nanoTime() + (long) (warmupSeconds * 1e9);
        while (System.nanoTime() < end) {
            model.step();
        }
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().getId();
        double[] warm = new double[rounds];
        double[] bytes = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            long b0 = threads.getThreadAllocatedBytes(tid);
            long t0 = System.nanoTime();
            for (int i = 0; i < stepsPerRound; i++) {
                model.step();
            }
            warm[r] = (System.nanoTime() - t0) / 1e3 / stepsPerRound;
            bytes[r] = (double) (threads.getThreadAllocatedBytes(tid) - b0) / stepsPerRound;
        }
        double[] sortedWarm = warm.clone();
        Arrays.sort(sortedWarm);
        Arrays.sort(bytes);
        double warmMedian = sortedWarm[rounds / 2];

        System.out.printf(Locale.ROOT, "StepOverhead %s, JDK %s, %d CPUs%n", spec, Runtime.version(),
                Runtime.getRuntime().availableProcessors());
        System.out.printf(Locale.ROOT, "  SPI calls per step: %d %s%n", spi, calls);
        System.out.printf(Locale.ROOT, "  device launches per step: %d, reads per step: %d%n", launchesPerStep,
                readsPerStep);
        System.out.printf(Locale.ROOT, "  cold (steps 3-32 of a fresh JVM): median %.1f us/step, %.2f us/SPI call%n",
                cold[cold.length / 2], cold[cold.length / 2] / spi);
        System.out.printf(Locale.ROOT, "  warm (after %.0f s): median %.1f us/step (rounds %.1f..%.1f), %.2f us/SPI call,"
                        + " %.0f bytes allocated/step%n", warmupSeconds, warmMedian, sortedWarm[0],
                sortedWarm[rounds - 1], warmMedian / spi, bytes[rounds / 2]);
    }
}
