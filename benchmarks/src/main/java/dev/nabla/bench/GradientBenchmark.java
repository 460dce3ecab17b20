package dev.nabla.bench;

import dev.nabla.Nabla;
import dev.nabla.Rng;
import dev.nabla.Scope;
import dev.nabla.Tensor;
import dev.nabla.autograd.NumericalGradient;
import java.util.List;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What backpropagation buys: the gradient of one MLP loss (10 inputs → {@code hidden} ReLU units
 * → 3 classes, softmax cross-entropy, batch 16) by central differences, one parameter at a time
 * ({@link NumericalGradient}: two forward passes per parameter), and by {@code backward()} (one
 * forward and one backward pass for all of them). Hidden sizes give about 100, 300, 1,000,
 * 2,400, 10,000, 30,000 and 100,000 parameters ({@code 14·hidden + 3}).
 *
 * <p>Setup checks that both methods compute the same gradient (in float64 on the CPU, see
 * {@link GradientAgreement}) and fails the run if not; the first numerical gradient measured is
 * checked against it too, with a float32 bound.
 */
public class GradientBenchmark extends BenchmarkBase {
    /** Inputs of the network. */
    public static final int INPUTS = 10;
    /** Classes of the network. */
    public static final int CLASSES = 3;
    /** Rows in the batch. */
    public static final int BATCH = 16;
    /**
     * Finite-difference step of the float32 numerical gradient: large enough that rounding in a
     * float32 loss (~1e-7 relative) stays small against the difference, small enough that few
     * perturbations cross a ReLU kink.
     */
    public static final double STEP = 1e-2;

    /** Hidden units: 7, 21, 71, 171, 714, 2143, 7143 give ~100 ... ~100,000 parameters. */
    @Param({"7", "21", "71", "171", "714", "2143", "7143"})
    public int hidden;

    private Mlp mlp;
    private List<Tensor> params;
    private Tensor x;
    private Tensor labels;
    private double[][] reference;
    private boolean numericalChecked;

    /** Parameters of the network for a hidden size: {@code 10·h + h + 3·h + 3}. */
    public static long parameters(int hidden) {
        return Mlp.parameterCount(INPUTS, hidden, CLASSES);
    }

    @Setup
    public void setup() {
        open();
        Rng rng = new Rng(2024);
        mlp = Mlp.create(device, dev.nabla.DType.FLOAT32, rng, INPUTS, hidden, CLASSES);
        params = mlp.parameters();
        Tensor[] batch = Mlp.randomBatch(device, rng, BATCH, INPUTS, CLASSES);
        x = batch[0];
        labels = batch[1];
        reference = GradientAgreement.verify(mlp, x, labels);
        numericalChecked = false;
    }

    @Benchmark
    public void backprop() {
        try (Scope s = Nabla.scope()) {
            mlp.zeroGrad();
            mlp.loss(x, labels).backward();
            device.synchronize();
        }
    }

    @Benchmark
    public void numerical() {
        try (Scope s = Nabla.scope()) {
            Tensor[] g = NumericalGradient.of(() -> mlp.loss(x, labels), params, STEP);
            device.synchronize();
            if (!numericalChecked) {
                GradientAgreement.checkFloat32Numerical(g, reference, hidden);
                numericalChecked = true;
            }
        }
    }

    @TearDown
    public void tearDown() {
        mlp.close();
        x.close();
        labels.close();
    }
}
