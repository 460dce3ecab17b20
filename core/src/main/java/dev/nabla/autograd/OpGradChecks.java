package dev.nabla.autograd;

import dev.nabla.DType;
import dev.nabla.Device;
import dev.nabla.Nabla;
import dev.nabla.Rng;
import dev.nabla.Scope;
import dev.nabla.Tensor;
import dev.nabla.backend.BinaryOp;
import dev.nabla.backend.Domain;
import dev.nabla.backend.ReduceOp;
import dev.nabla.backend.UnaryOp;
import dev.nabla.ops.Arithmetic;
import dev.nabla.ops.Reductions;
import dev.nabla.ops.Unary;
import dev.nabla.ops.FusedLinear;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * One gradient check per differentiable op, over awkward shapes (size 1, odd, non-square,
 * transposed, broadcast). {@code nabla gradcheck}, {@code nabla selftest} and every backend's
 * contract test run them.
 *
 * <p>On a device with float64 each case is a {@link GradCheck} (central differences). On a
 * float32-only device the forward value and the gradients are compared with the reference backend's
 * float64 results, with float32 tolerance.
 */
public final class OpGradChecks {
    /** Tolerance of float64 central differences. */
    public static final double FLOAT64_TOLERANCE = 1e-6;
    /** Tolerance of float32 results against the CPU's float64 results. */
    public static final double FLOAT32_TOLERANCE = 2e-4;

    private OpGradChecks() {
    }

    /** How input values are drawn. */
    public enum Values {
        /** Normal(0, 1). */
        ANY,
        /** Uniform in [0.5, 2]: logs, roots, denominators. */
        POSITIVE,
        /** |v| in [0.2, 1.2], random sign: away from the kinks of relu and abs. */
        AWAY_FROM_ZERO,
        /** A permutation of spread-out values: max/min without ties. */
        DISTINCT
    }

    /** One input: its shape and values; {@code classes > 0} makes INT32 labels in [0, classes). */
    public record Input(int[] shape, Values values, int classes) {
        public static Input of(Values values, int... shape) {
            return new Input(shape, values, 0);
        }

        public static Input labels(int classes, int rows) {
            return new Input(new int[] {rows}, Values.ANY, classes);
        }
    }

    /** A named check: inputs and the function whose gradients are checked. */
    public record Case(String name, List<Input> inputs, Function<List<Tensor>, Tensor> fn) {
    }

    /** Outcome of one case on one device. */
    public record Outcome(String name, double maxRelError, double tolerance, String method) {
        public boolean passed() {
            return !Double.isNaN(maxRelError) && maxRelError <= tolerance;
        }
    }

    private static Case c(String name, Function<List<Tensor>, Tensor> fn, Input... inputs) {
        return new Case(name, List.of(inputs), fn);
    }

    private static Input any(int... shape) {
        return Input.of(Values.ANY, shape);
    }

    /** Every differentiable op, each with at least one awkward shape. */
    public static List<Case> cases() {
        List<Case> l = new ArrayList<>();
        unaryCases(l);
        binaryCases(l);
        l.add(c("matmul [3,5] @ [5,2]", in -> weighted(in.get(0).matmul(in.get(1))), any(3, 5), any(5, 2)));
        l.add(c("matmul [1,1] @ [1,4]", in -> weighted(in.get(0).matmul(in.get(1))), any(1, 1), any(1, 4)));
        l.add(c("matmul transposed views", in -> weighted(in.get(0).transpose().matmul(in.get(1).transpose())),
                any(4, 3), any(2, 4)));
        l.add(c("matmul batched [2,3,4] @ [2,4,5]", in -> weighted(in.get(0).matmul(in.get(1))), any(2, 3, 4),
                any(2, 4, 5)));
        l.add(c("matmul [2,3,4] @ [4,5]", in -> weighted(in.get(0).matmul(in.get(1))), any(2, 3, 4), any(4, 5)));
        l.add(c("matmul [3,4] @ [2,4,5]", in -> weighted(in.get(0).matmul(in.get(1))), any(3, 4), any(2, 4, 5)));
        l.add(c("linear + bias + relu (fused) [5,4]", in -> weighted(FusedLinear.apply(in.get(0), in.get(1), in.get(2),
                UnaryOp.RELU)), any(5, 4), any(4, 3), any(3)));
        l.add(c("linear + sigmoid (fused), transposed x, no bias", in -> weighted(FusedLinear.apply(
                in.get(0).transpose(), in.get(1), null, UnaryOp.SIGMOID)), any(4, 2), any(4, 5)));
        l.add(c("linear + bias + tanh (fused) [1,3]", in -> weighted(FusedLinear.apply(in.get(0), in.get(1), in.get(2),
                UnaryOp.TANH)), any(1, 3), any(3, 2), any(2)));
        l.add(c("linear + bias (fused) [2,3,4]: through the unfused ops", in -> weighted(FusedLinear.apply(in.get(0),
                in.get(1), in.get(2), null)), any(2, 3, 4), any(4, 2), any(2)));
        l.add(c("transpose", in -> weighted(in.get(0).transpose(0, 2)), any(2, 3, 4)));
        l.add(c("permute", in -> weighted(in.get(0).permute(2, 0, 1)), any(2, 3, 4)));
        l.add(c("reshape (of a transposed view)", in -> weighted(in.get(0).transpose().reshape(2, -1)), any(3, 4)));
        l.add(c("slice", in -> weighted(in.get(0).slice(1, 1, 4)), any(3, 5)));
        l.add(c("select", in -> weighted(in.get(0).select(0, -1)), any(3, 2)));
        l.add(c("expand", in -> weighted(in.get(0).expand(4, 3)), any(1, 3)));
        l.add(c("concat", in -> weighted(Tensor.concat(1, in.get(0), in.get(1))), any(2, 3), any(2, 1)));
        reductionCases(l);
        l.add(c("softmax", in -> weighted(in.get(0).softmax()), any(3, 5)));
        l.add(c("softmax (axis 0)", in -> weighted(in.get(0).softmax(0)), any(4, 3)));
        l.add(c("logSoftmax", in -> weighted(in.get(0).logSoftmax()), any(2, 7)));
        l.add(c("softmaxCrossEntropy", in -> in.get(0).softmaxCrossEntropy(in.get(1)), any(6, 4), Input.labels(4, 6)));
        l.add(c("mseLoss", in -> in.get(0).mseLoss(in.get(1)), any(4, 3), any(4, 3)));
        l.add(c("dropout (p=0.3, fixed seed)", in -> weighted(in.get(0).dropout(0.3, 1234)), any(5, 6)));
        l.add(c("two-layer MLP", in -> in.get(0).matmul(in.get(1)).add(in.get(2)).relu().matmul(in.get(3))
                        .softmaxCrossEntropy(in.get(4)),
                any(5, 4), any(4, 6), any(6), any(6, 3), Input.labels(3, 5)));
        return l;
    }

    /** One case per op of the unary table and per sample argument, inputs from the op's domain. */
    private static void unaryCases(List<Case> l) {
        for (UnaryOp op : UnaryOp.values()) {
            for (double p : op.sampleParams()) {
                String name = op.opName() + (op.sampleParams().length > 1 || p != 0 ? " " + p : "");
                l.add(c(name, in -> weighted(Unary.apply(op, p, in.get(0))), Input.of(values(op.domain()), 3, 5)));
            }
        }
    }

    /** One case per differentiable op of the binary table, with both operands broadcast. */
    private static void binaryCases(List<Case> l) {
        for (BinaryOp op : BinaryOp.values()) {
            if (op.isComparison()) {
                continue;
            }
            boolean ties = op == BinaryOp.MAX || op == BinaryOp.MIN;
            Values a = ties ? Values.DISTINCT : values(op.domainA());
            Values b = ties ? Values.DISTINCT : values(op.domainB());
            l.add(c(op.opName() + " (broadcast [3,4] with [4])", in -> weighted(Arithmetic.apply(op, in.get(0),
                    in.get(1))), Input.of(a, 3, 4), Input.of(b, 4)));
            l.add(c(op.opName() + " (broadcast [2,3,1] with [3,4])", in -> weighted(Arithmetic.apply(op, in.get(0),
                    in.get(1))), Input.of(a, 2, 3, 1), Input.of(b, 3, 4)));
        }
        l.add(c("scalar mul/add/div", in -> weighted(in.get(0).mul(1.7).add(0.3).div(2.5).sub(1)), any(3, 2)));
    }

    /** Each reduction of the table over one axis, two axes kept, and everything. */
    private static void reductionCases(List<Case> l) {
        for (ReduceOp op : ReduceOp.values()) {
            Values v = op.savesValues() ? Values.DISTINCT : Values.ANY;
            l.add(c(op.opName() + " (axis 1)", in -> weighted(Reductions.reduce(op, in.get(0), new int[] {1}, false)),
                    Input.of(v, 3, 4, 2)));
            l.add(c(op.opName() + " (axes 0,2 keepDim)", in -> weighted(Reductions.reduce(op, in.get(0),
                    new int[] {0, 2}, true)), Input.of(v, 3, 4, 2)));
            l.add(c(op.opName() + " (all)", in -> Reductions.reduce(op, in.get(0), new int[] {0, 1}, false),
                    Input.of(v, 5, 3)));
        }
    }

    /** How a gradient check draws values from an op's domain: away from kinks and poles. */
    private static Values values(Domain d) {
        if (d.kink() || d.bothSigns()) {
            return Values.AWAY_FROM_ZERO;
        }
        return d.lo() > 0 ? Values.POSITIVE : Values.ANY;
    }

    /**
     * {@code Σ w_i·out_i} with fixed, distinct weights, so that each output element's gradient
     * differs (a plain sum would hide transposed or misplaced gradients).
     */
    static Tensor weighted(Tensor out) {
        int n = Math.toIntExact(out.numel());
        double[] w = new double[n];
        for (int i = 0; i < n; i++) {
            w[i] = 0.5 + 0.25 * ((i * 7) % 11) - 0.1 * (i % 3);
        }
        Tensor wt = host(out.device(), out.dtype(), w, out.rank() == 0 ? new int[] {1} : out.dims());
        Tensor shaped = out.rank() == 0 ? wt.reshape() : wt;
        return out.mul(shaped).sum();
    }

    /** Inputs of a case on {@code device} in {@code dtype} (labels stay INT32), from a fixed seed. */
    public static List<Tensor> inputs(Case c, Device device, DType dtype) {
        Rng rng = new Rng(c.name().hashCode());
        List<Tensor> out = new ArrayList<>();
        for (Input in : c.inputs()) {
            int n = 1;
            for (int d : in.shape()) {
                n *= d;
            }
            if (in.classes() > 0) {
                int[] labels = new int[n];
                for (int i = 0; i < n; i++) {
                    labels[i] = rng.nextInt(in.classes());
                }
                out.add(Tensor.of(device, labels, in.shape()));
                continue;
            }
            double[] v = new double[n];
            for (int i = 0; i < n; i++) {
                v[i] = switch (in.values()) {
                    case ANY -> rng.nextGaussian();
                    case POSITIVE -> 0.5 + 1.5 * rng.nextDouble();
                    case AWAY_FROM_ZERO -> (rng.nextDouble() < 0.5 ? -1 : 1) * (0.2 + rng.nextDouble());
                    case DISTINCT -> 0;
                };
            }
            if (in.values() == Values.DISTINCT) {
                int[] perm = new int[n];
                for (int i = 0; i < n; i++) {
                    perm[i] = i;
                }
                rng.shuffle(perm);
                // Offset per input so that two DISTINCT inputs never tie elementwise.
                double shift = 0.1 * out.size();
                for (int i = 0; i < n; i++) {
                    v[i] = (perm[i] - n / 2.0) * 0.37 + shift;
                }
            }
            out.add(host(device, dtype, v, in.shape()));
        }
        return out;
    }

    private static Tensor host(Device device, DType dtype, double[] v, int[] shape) {
        if (dtype == DType.FLOAT64) {
            return Tensor.of(device, v, shape);
        }
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        return Tensor.of(device, f, shape);
    }

    /** Runs one case on {@code device} (see the class comment for the method used). */
    public static Outcome run(Case c, Device device) {
        try (Scope s = Nabla.scope()) {
            if (device.supports(DType.FLOAT64)) {
                List<Tensor> in = inputs(c, device, DType.FLOAT64);
                GradCheck.Result r = GradCheck.check(c.fn(), in.toArray(new Tensor[0]));
                return new Outcome(c.name(), r.maxRelError(), FLOAT64_TOLERANCE, "float64 central differences");
            }
            List<double[]> reference = valueAndGrads(c, Device.reference(), DType.FLOAT64);
            List<double[]> actual = valueAndGrads(c, device, DType.FLOAT32);
            double err = 0;
            for (int i = 0; i < reference.size(); i++) {
                double e = GradCheck.relativeError(actual.get(i), reference.get(i));
                err = Double.isNaN(e) ? Double.NaN : Math.max(err, e);
            }
            return new Outcome(c.name(), err, FLOAT32_TOLERANCE, "float32 vs reference float64");
        }
    }

    /** The forward value followed by the gradient of every floating input. */
    private static List<double[]> valueAndGrads(Case c, Device device, DType dtype) {
        List<Tensor> in = inputs(c, device, dtype);
        List<Tensor> leaves = new ArrayList<>();
        for (Tensor t : in) {
            if (t.dtype().isFloatingPoint()) {
                t.requiresGrad(true);
                leaves.add(t);
            }
        }
        List<double[]> out = new ArrayList<>();
        try {
            Tensor y = c.fn().apply(in);
            out.add(y.toDoubleArray());
            y.backward();
            for (Tensor t : leaves) {
                out.add(t.grad().toDoubleArray());
            }
        } finally {
            for (Tensor t : leaves) {
                t.close();
            }
        }
        return out;
    }
}
