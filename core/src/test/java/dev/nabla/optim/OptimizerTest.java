package dev.nabla.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.nabla.DType;
import dev.nabla.Device;
import dev.nabla.Nabla;
import dev.nabla.Scope;
import dev.nabla.Tensor;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each optimizer's first two updates against values computed by hand (PyTorch's update rules
 * evaluated in double precision, written out below), and convergence on a convex quadratic.
 */
class OptimizerTest {
    private static final Device CPU = Device.reference();
    private static final double[] P0 = {1.0, -2.0, 0.5};
    private static final double[] G1 = {0.5, -1.0, 0.25};
    private static final double[] G2 = {-0.3, 0.2, 1.5};

    static Stream<Arguments> handComputed() {
        return Stream.of(
                args("sgd", p -> new SGD(p, 0.1),
                        new double[] {0.95, -1.9, 0.475}, new double[] {0.98, -1.92, 0.325}),
                args("sgd + weight decay", p -> new SGD(p, 0.1, 0, 0, 0.01, false),
                        new double[] {0.949, -1.898, 0.4745}, new double[] {0.978051, -1.916102, 0.3240255}),
                args("momentum", p -> new SGD(p, 0.1, 0.9),
                        new double[] {0.95, -1.9, 0.475}, new double[] {0.935, -1.83, 0.3025}),
                args("momentum + dampening + weight decay", p -> new SGD(p, 0.1, 0.9, 0.5, 0.01, false),
                        new double[] {0.949, -1.898, 0.4745}, new double[] {0.9176255, -1.815251, 0.37631275}),
                args("nesterov + weight decay", p -> new SGD(p, 0.1, 0.9, 0, 0.01, true),
                        new double[] {0.9031, -1.8062, 0.45155}, new double[] {0.91707411, -1.75814822, 0.145037055}),
                args("adagrad", p -> new AdaGrad(p, 0.1),
                        new double[] {0.90000000002, -1.90000000001, 0.40000000004},
                        new double[] {0.9514495755539292, -1.9196116135218952, 0.3013606076632721}),
                args("adagrad + lr decay + weight decay", p -> new AdaGrad(p, 0.1, 0.5, 0.01, 1e-10),
                        new double[] {0.9000000000196078, -1.9000000000098038, 0.40000000003921565},
                        new double[] {0.9330392414400039, -1.9116480942322165, 0.334271373166775}),
                args("rmsprop", p -> new RMSProp(p, 0.01),
                        new double[] {0.900000019999996, -1.900000009999999, 0.40000003999998407},
                        new double[] {0.9516397890605408, -1.9197065936215374, 0.30134732175482576}),
                args("rmsprop centered + momentum + weight decay", p -> new RMSProp(p, 0.01, 0.99, 1e-8, 0.01, 0.9, true),
                        new double[] {0.8994962382799772, -1.899496228377029, 0.39949625808586753},
                        new double[] {0.8588236432626449, -1.8266577800765016, 0.20977578075637532}),
                args("adam", p -> new Adam(p, 0.1),
                        new double[] {0.900000002, -1.900000001, 0.4000000039999998},
                        new double[] {0.8808501989417752, -1.8488973939904947, 0.31558747932170783}),
                args("adam + weight decay", p -> new Adam(p, 0.1, 0.9, 0.999, 1e-8, 0.01),
                        new double[] {0.9000000019607843, -1.9000000009803921, 0.4000000039215685},
                        new double[] {0.8787012438702138, -1.8470338446923904, 0.31543694423366686}),
                args("adamw", p -> new AdamW(p, 0.1, 0.9, 0.999, 1e-8, 0.01),
                        new double[] {0.899000002, -1.898000001, 0.39950000399999985},
                        new double[] {0.8789511989397751, -1.8449993939894946, 0.31468797931770787}));
    }

    private static Arguments args(String name, Function<List<Tensor>, Optimizer> make, double[] after1,
                                  double[] after2) {
        return Arguments.of(name, make, after1, after2);
    }

    private static double[] twoSteps(Function<List<Tensor>, Optimizer> make, DType dtype, double[] afterFirst) {
        Tensor p = (dtype == DType.FLOAT64 ? Tensor.of(CPU, P0.clone()) : Tensor.of(CPU, floats(P0)))
                .requiresGrad(true);
        try (Optimizer opt = make.apply(List.of(p))) {
            p.setGrad(grad(G1, dtype));
            opt.step();
            System.arraycopy(p.toDoubleArray(), 0, afterFirst, 0, 3);
            p.setGrad(grad(G2, dtype));
            opt.step();
            assertThat(opt.stepCount()).isEqualTo(2);
            return p.toDoubleArray();
        } finally {
            p.close();
        }
    }

    private static Tensor grad(double[] g, DType dtype) {
        return dtype == DType.FLOAT64 ? Tensor.of(CPU, g.clone()) : Tensor.of(CPU, floats(g));
    }

    private static float[] floats(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("handComputed")
    void firstTwoUpdatesMatchHandComputedValuesInFloat64(String name, Function<List<Tensor>, Optimizer> make,
                                                          double[] after1, double[] after2) {
        double[] first = new double[3];
        double[] second = twoSteps(make, DType.FLOAT64, first);
        for (int i = 0; i < 3; i++) {
            assertThat(first[i]).as("%s step 1, element %d", name, i).isCloseTo(after1[i], within(1e-12));
            assertThat(second[i]).as("%s step 2, element %d", name, i).isCloseTo(after2[i], within(1e-12));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("handComputed")
    void float32UpdatesAgreeToFloat32Precision(String name, Function<List<Tensor>, Optimizer> make,
                                               double[] after1, double[] after2) {
        double[] first = new double[3];
        double[] second = twoSteps(make, DType.FLOAT32, first);
        for (int i = 0; i < 3; i++) {
            assertThat(first[i]).as("%s step 1, element %d", name, i).isCloseTo(after1[i], within(2e-6));
            assertThat(second[i]).as("%s step 2, element %d", name, i).isCloseTo(after2[i], within(2e-6));
        }
    }

    static Stream<Arguments> convergence() {
        return Stream.of(
                Arguments.of("sgd", (Function<List<Tensor>, Optimizer>) p -> new SGD(p, 0.1), 1e-6),
                Arguments.of("momentum", (Function<List<Tensor>, Optimizer>) p -> new SGD(p, 0.05, 0.9), 1e-6),
                Arguments.of("nesterov", (Function<List<Tensor>, Optimizer>) p -> new SGD(p, 0.05, 0.9, 0, 0, true), 1e-6),
                Arguments.of("adagrad", (Function<List<Tensor>, Optimizer>) p -> new AdaGrad(p, 1.0), 1e-4),
                Arguments.of("rmsprop", (Function<List<Tensor>, Optimizer>) p -> new RMSProp(p, 0.01), 2e-2),
                Arguments.of("adam", (Function<List<Tensor>, Optimizer>) p -> new Adam(p, 0.05), 1e-2),
                Arguments.of("adamw", (Function<List<Tensor>, Optimizer>) p -> new AdamW(p, 0.05, 0.9, 0.999, 1e-8, 0),
                        1e-2));
    }

    /** f(p) = ½ Σ aᵢ (pᵢ − cᵢ)², minimum at c; curvatures 1 to 10. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("convergence")
    void convergesOnAConvexQuadratic(String name, Function<List<Tensor>, Optimizer> make, double tolerance) {
        Tensor a = Tensor.of(CPU, new float[] {1, 4, 10});
        Tensor c = Tensor.of(CPU, new float[] {3, -1, 0.5f});
        Tensor p = Tensor.zeros(CPU, 3).requiresGrad(true);
        double first = Double.NaN;
        double last = Double.NaN;
        try (Optimizer opt = make.apply(List.of(p))) {
            for (int step = 0; step < 600; step++) {
                try (Scope s = Nabla.scope()) {
                    opt.zeroGrad();
                    Tensor loss = p.sub(c).square().mul(a).sum().mul(0.5);
                    loss.backward();
                    opt.step();
                    last = loss.item();
                    if (step == 0) {
                        first = last;
                    }
                }
            }
            float[] v = p.toFloatArray();
            assertThat(v[0]).as(name).isCloseTo(3f, within((float) tolerance));
            assertThat(v[1]).as(name).isCloseTo(-1f, within((float) tolerance));
            assertThat(v[2]).as(name).isCloseTo(0.5f, within((float) tolerance));
            assertThat(last).as(name + " final loss").isLessThan(first * 1e-3);
        } finally {
            p.close();
            a.close();
            c.close();
        }
    }
}
