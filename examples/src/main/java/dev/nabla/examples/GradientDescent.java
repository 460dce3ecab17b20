package dev.nabla.examples;

import dev.nabla.Device;
import dev.nabla.Nabla;
import dev.nabla.Rng;
import dev.nabla.Scope;
import dev.nabla.Tensor;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Gradient descent on a cost function: fit a line {@code y = w·x + b} to noisy points by
 * repeatedly stepping against the gradient of the mean squared error
 * <pre>
 *   J(w, b) = mean((w·x + b − y)²)
 *   w ← w − lr · ∂J/∂w,   b ← b − lr · ∂J/∂b
 * </pre>
 * The gradient comes from {@code backward()}; the update is written out by hand (what
 * {@code dev.nabla.optim.SGD} does for you). Run: {@code GradientDescent [steps]}.
 */
public final class GradientDescent {

    /** The line found and the cost after every step. */
    public record Result(double w, double b, List<Double> costs) {
    }

    public static void main(String[] args) {
        run(System.out, args.length > 0 ? Integer.parseInt(args[0]) : 60);
    }

    public static Result run(PrintStream out, int steps) {
        Device device = Device.auto();
        Rng rng = new Rng(1);

        // 100 points on y = 3x - 2, with a little noise
        int n = 100;
        float[] xs = new float[n];
        float[] ys = new float[n];
        for (int i = 0; i < n; i++) {
            xs[i] = (float) (2 * rng.nextDouble() - 1);
            ys[i] = (float) (3 * xs[i] - 2 + 0.1 * rng.nextGaussian());
        }
        Tensor x = Tensor.of(device, xs, n, 1);
        Tensor y = Tensor.of(device, ys, n, 1);

        Tensor w = Tensor.zeros(device, 1, 1).requiresGrad(true); // parameters: start from zero
        Tensor b = Tensor.zeros(device, 1).requiresGrad(true);
        double lr = 0.1;

        List<Double> costs = new ArrayList<>();
        out.println("step   cost        w         b");
        for (int step = 1; step <= steps; step++) {
            try (Scope s = Nabla.scope()) {          // frees this step's temporaries
                Tensor cost = x.matmul(w).add(b).sub(y).square().mean();
                w.zeroGrad();
                b.zeroGrad();
                cost.backward();                      // fills w.grad() = ∂J/∂w and b.grad() = ∂J/∂b
                try (var noGrad = Nabla.noGrad()) {   // the update itself is not part of the graph
                    w.subInPlace(w.grad().mul(lr));
                    b.subInPlace(b.grad().mul(lr));
                }
                costs.add(cost.item());
            }
            if (step <= 10 || step % 10 == 0) {
                out.printf("%4d   %.6f   %.4f   %.4f%n", step, costs.get(step - 1), w.item(), b.item());
            }
        }
        Result r = new Result(w.item(), b.item(), costs);
        out.printf("fitted y = %.3f x %+.3f  (data: y = 3x - 2 + noise)%n", r.w(), r.b());
        for (Tensor t : List.of(x, y, w, b)) {
            t.close();
        }
        return r;
    }
}
