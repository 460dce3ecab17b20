package dev.nabla.examples;

import dev.nabla.Device;
import dev.nabla.Nabla;
import dev.nabla.Rng;
import dev.nabla.Scope;
import dev.nabla.Tensor;
import dev.nabla.autograd.GradCheck;
import dev.nabla.data.Datasets;
import dev.nabla.data.Split;
import dev.nabla.data.Standardizer;
import dev.nabla.data.TensorDataset;
import dev.nabla.metrics.Metrics;
import dev.nabla.nn.Init;
import dev.nabla.nn.Linear;
import dev.nabla.nn.ReLU;
import dev.nabla.nn.Sequential;
import java.io.PrintStream;
import java.util.List;

/**
 * Backpropagation written out by hand for an iris MLP (4 → 16 ReLU → 3, He initialisation), beside
 * the library's autograd on the same weights. With M examples, one-hot targets T:
 * <pre>
 *   forward:  A = X·W1 + b1,  H = relu(A),  Z = H·W2 + b2,  P = softmax(Z),  L = −Σ T·log P / M
 *   backward: dZ  = (P − T) / M
 *             dW2 = Hᵀ·dZ,         db2 = Σ_rows dZ
 *             dH  = dZ·W2ᵀ
 *             dA  = dH ⊙ relu'(A)   (relu'(A) = 1 where A > 0, else 0)
 *             dW1 = Xᵀ·dA,         db1 = Σ_rows dA
 * </pre>
 * The hand-written gradients are compared with {@code loss.backward()}'s, then used to train.
 * Only plain tensor ops, no autograd, in {@link #handGradients}. Run: {@code IrisBackprop [epochs]}.
 */
public final class IrisBackprop {

    /** Largest relative difference between hand-written and library gradients; accuracy after training. */
    public record Result(double maxRelativeError, double testAccuracy, double firstLoss, double lastLoss) {
    }

    public static void main(String[] args) {
        run(System.out, args.length > 0 ? Integer.parseInt(args[0]) : 300);
    }

    /** dL/dW1, dL/db1, dL/dW2, dL/db2 by the formulas above. */
    static Tensor[] handGradients(Tensor x, Tensor t, Tensor w1, Tensor b1, Tensor w2, Tensor b2) {
        int m = x.dim(0);
        Tensor a = x.matmul(w1).add(b1);
        Tensor h = a.relu();
        Tensor p = h.matmul(w2).add(b2).softmax();

        Tensor dZ = p.sub(t).div(m);
        Tensor dW2 = h.transpose().matmul(dZ);
        Tensor db2 = dZ.sum(0);
        Tensor dH = dZ.matmul(w2.transpose());
        Tensor dA = dH.mul(a.gt(Tensor.zeros(x.device(), 1)));
        Tensor dW1 = x.transpose().matmul(dA);
        Tensor db1 = dA.sum(0);
        return new Tensor[] {dW1, db1, dW2, db2};
    }

    public static Result run(PrintStream out, int epochs) {
        Device device = Device.auto();
        Split split = Split.stratified(Datasets.iris(), 0.2, 42);
        Standardizer st = Standardizer.fit(split.train());
        TensorDataset train = st.transform(split.train());
        TensorDataset test = st.transform(split.test());

        Rng rng = new Rng(3);
        Linear l1 = new Linear(device, 4, 16, true, Init.HE_NORMAL, rng);
        Linear l2 = new Linear(device, 16, 3, true, Init.HE_NORMAL, rng);
        Sequential model = new Sequential(l1, new ReLU(), l2);
        List<Tensor> params = model.parameters();      // W1, b1, W2, b2

        Tensor x = train.featuresTensor(device);
        Tensor y = train.labelsTensor(device);
        Tensor t = oneHot(device, train.labels(), 3);

        // 1. the same gradients two ways
        double worst = 0;
        try (Scope s = Nabla.scope()) {
            Tensor[] hand;
            try (var noGrad = Nabla.noGrad()) {
                hand = handGradients(x, t, params.get(0), params.get(1), params.get(2), params.get(3));
            }
            model.zeroGrad();
            model.forward(x).softmaxCrossEntropy(y).backward();
            out.println("parameter  shape    max |hand - autograd| / max |autograd|");
            int i = 0;
            for (var e : model.namedParameters().entrySet()) {
                double rel = GradCheck.relativeError(hand[i++].toDoubleArray(), e.getValue().grad().toDoubleArray());
                worst = Math.max(worst, rel);
                out.printf("%-9s  %-7s  %.2e%n", e.getKey(), e.getValue().shape(), rel);
            }
        }

        // 2. train with the hand-written gradients: full-batch gradient descent
        double lr = 0.5;
        double first = Double.NaN;
        double last = Double.NaN;
        for (int epoch = 1; epoch <= epochs; epoch++) {
            try (Scope s = Nabla.scope(); var noGrad = Nabla.noGrad()) {
                Tensor[] g = handGradients(x, t, params.get(0), params.get(1), params.get(2), params.get(3));
                last = model.forward(x).softmaxCrossEntropy(y).item();
                if (epoch == 1) {
                    first = last;
                }
                for (int i = 0; i < 4; i++) {
                    params.get(i).subInPlace(g[i].mul(lr));
                }
            }
            if (epoch == 1 || epoch % Math.max(1, epochs / 5) == 0) {
                out.printf("epoch %4d  loss %.4f%n", epoch, last);
            }
        }
        double accuracy;
        try (Scope s = Nabla.scope(); var noGrad = Nabla.noGrad()) {
            accuracy = Metrics.accuracy(Metrics.predictions(model.forward(test.featuresTensor(device))), test.labels());
        }
        out.printf("test accuracy %.4f (%d examples)%n", accuracy, test.size());
        model.close();
        for (Tensor u : List.of(x, y, t)) {
            u.close();
        }
        return new Result(worst, accuracy, first, last);
    }

    private static Tensor oneHot(Device device, int[] labels, int classes) {
        float[] v = new float[labels.length * classes];
        for (int i = 0; i < labels.length; i++) {
            v[i * classes + labels[i]] = 1;
        }
        return Tensor.of(device, v, labels.length, classes);
    }
}
