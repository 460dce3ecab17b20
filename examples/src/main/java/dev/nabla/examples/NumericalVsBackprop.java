package dev.nabla.examples;

import dev.nabla.DType;
import dev.nabla.Device;
import dev.nabla.Nabla;
import dev.nabla.Rng;
import dev.nabla.Scope;
import dev.nabla.Tensor;
import dev.nabla.autograd.GradCheck;
import dev.nabla.autograd.NumericalGradient;
import dev.nabla.nn.Init;
import dev.nabla.nn.Linear;
import dev.nabla.nn.Sequential;
import dev.nabla.nn.Tanh;
import java.io.PrintStream;
import java.util.List;
import java.util.function.Supplier;

/**
 * The gradient of a two-layer network's loss computed twice: by numerical differentiation,
 * {@code (L(w+h) − L(w−h)) / 2h} for every weight in turn (two forward passes per weight), and by
 * backpropagation (one forward and one backward pass for all weights). They agree; backprop is
 * faster by a factor that grows with the number of weights. Float64, so the comparison is not
 * drowned in rounding. Run: {@code NumericalVsBackprop [hidden units]}.
 */
public final class NumericalVsBackprop {

    /** Largest relative error between the two gradients, and both timings. */
    public record Result(int weights, double maxRelativeError, long numericalNanos, long backpropNanos) {
    }

    public static void main(String[] args) {
        run(System.out, args.length > 0 ? Integer.parseInt(args[0]) : 32);
    }

    public static Result run(PrintStream out, int hidden) {
        Device device = Device.auto();
        DType dtype = device.supports(DType.FLOAT64) ? DType.FLOAT64 : DType.FLOAT32;
        Rng rng = new Rng(7);
        Sequential net = new Sequential(
                new Linear(device, dtype, 10, hidden, true, Init.XAVIER_UNIFORM, rng), new Tanh(),
                new Linear(device, dtype, hidden, 3, true, Init.XAVIER_UNIFORM, rng));
        Tensor x = Tensor.randn(device, dtype, rng, 16, 10);
        int[] labels = new int[16];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = rng.nextInt(3);
        }
        Tensor y = Tensor.of(device, labels);
        List<Tensor> params = net.parameters();
        Supplier<Tensor> loss = () -> net.forward(x).softmaxCrossEntropy(y);

        long t0 = System.nanoTime();
        Tensor[] numerical = NumericalGradient.of(loss, params, 1e-6);
        long numericalNanos = System.nanoTime() - t0;

        long backpropNanos = Long.MAX_VALUE;
        for (int run = 0; run < 3; run++) { // best of three: the first run also compiles the backward code
            t0 = System.nanoTime();
            try (Scope s = Nabla.scope()) {
                net.zeroGrad();
                loss.get().backward();
            }
            backpropNanos = Math.min(backpropNanos, System.nanoTime() - t0);
        }

        long weights = net.parameterCount();
        out.printf("network 10-%d-3 (tanh), %d weights, batch of 16, %s%n", hidden, weights, dtype.shortName());
        out.println("parameter   shape      max |numerical - backprop| / max |numerical|");
        double worst = 0;
        int i = 0;
        for (var e : net.namedParameters().entrySet()) {
            double rel = GradCheck.relativeError(e.getValue().grad().toDoubleArray(), numerical[i].toDoubleArray());
            worst = Math.max(worst, rel);
            out.printf("%-10s  %-9s  %.2e%n", e.getKey(), e.getValue().shape(), rel);
            numerical[i++].close();
        }
        out.printf("numerical: %8.2f ms  (%d loss evaluations)%n", numericalNanos / 1e6, 2 * weights);
        out.printf("backprop:  %8.2f ms  (1 forward + 1 backward)  -> %.0fx faster%n", backpropNanos / 1e6,
                (double) numericalNanos / backpropNanos);
        net.close();
        x.close();
        y.close();
        return new Result((int) weights, worst, numericalNanos, backpropNanos);
    }
}
