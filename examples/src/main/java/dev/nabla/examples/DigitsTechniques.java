package dev.nabla.examples;

import dev.nabla.Device;
import dev.nabla.Nabla;
import dev.nabla.Rng;
import dev.nabla.Scope;
import dev.nabla.Tensor;
import dev.nabla.data.Batch;
import dev.nabla.data.DataLoader;
import dev.nabla.data.Datasets;
import dev.nabla.data.Split;
import dev.nabla.data.Standardizer;
import dev.nabla.data.TensorDataset;
import dev.nabla.metrics.Metrics;
import dev.nabla.nn.MlpSpec;
import dev.nabla.nn.Sequential;
import dev.nabla.optim.Adam;
import dev.nabla.optim.Optimizer;
import dev.nabla.optim.SGD;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

/**
 * Training techniques side by side on the 8×8 digits: plain SGD, SGD with momentum and Adam, each
 * with and without weight decay (L2) and dropout. Same data, split, initial weights and batches
 * for every run, so the differences are the techniques'. Run: {@code DigitsTechniques [epochs]}.
 */
public final class DigitsTechniques {

    /** One row of the table. */
    public record Row(String optimizer, double weightDecay, double dropout, double testAccuracy, double seconds) {
    }

    private record Technique(String name, double lr, BiFunction<List<Tensor>, Double, Optimizer> make) {
    }

    public static void main(String[] args) {
        run(System.out, args.length > 0 ? Integer.parseInt(args[0]) : 20);
    }

    public static List<Row> run(PrintStream out, int epochs) {
        Device device = Device.auto();
        Split split = Split.stratified(Datasets.digits(), 0.2, 42);
        Standardizer st = Standardizer.fit(split.train()); // statistics of the training part only
        TensorDataset train = st.transform(split.train());
        TensorDataset test = st.transform(split.test());

        List<Technique> techniques = List.of(
                new Technique("sgd", 0.1, (p, wd) -> new SGD(p, 0.1, 0, 0, wd, false)),
                new Technique("momentum", 0.05, (p, wd) -> new SGD(p, 0.05, 0.9, 0, wd, false)),
                new Technique("adam", 0.002, (p, wd) -> new Adam(p, 0.002, 0.9, 0.999, 1e-8, wd)));
        double[][] regularisation = {{0, 0}, {1e-3, 0}, {0, 0.2}, {1e-3, 0.2}}; // {weight decay, dropout}

        out.printf("digits: train %d, test %d, mlp 64-128-10 relu, batch 32, %d epochs%n", train.size(), test.size(),
                epochs);
        out.println("optimizer  lr      weight decay  dropout  test accuracy  time");
        List<Row> rows = new ArrayList<>();
        for (Technique t : techniques) {
            for (double[] reg : regularisation) {
                long start = System.nanoTime();
                double accuracy = trainAndTest(device, train, test, reg[1], p -> t.make().apply(p, reg[0]), epochs);
                Row row = new Row(t.name(), reg[0], reg[1], accuracy, (System.nanoTime() - start) / 1e9);
                rows.add(row);
                out.printf("%-9s  %-6s  %-12s  %-7s  %.4f         %.1f s%n", t.name(), t.lr(), reg[0], reg[1],
                        accuracy, row.seconds());
            }
        }
        return rows;
    }

    static double trainAndTest(Device device, TensorDataset train, TensorDataset test, double dropout,
                               java.util.function.Function<List<Tensor>, Optimizer> optimizer, int epochs) {
        MlpSpec spec = MlpSpec.of(64, new int[] {128}, 10, "relu", dropout);
        try (Sequential model = spec.build(device, new Rng(1));
             Optimizer opt = optimizer.apply(model.parameters())) {
            DataLoader loader = new DataLoader(train, 32, true, false, new Rng(2), device);
            for (int epoch = 0; epoch < epochs; epoch++) {
                model.train();                                 // dropout on
                for (Batch b : loader) {
                    try (Scope s = Nabla.scope()) {
                        opt.zeroGrad();
                        model.forward(b.x()).softmaxCrossEntropy(b.y()).backward();
                        opt.step();
                    }
                }
            }
            model.eval();                                      // dropout off for testing
            try (Scope s = Nabla.scope(); var g = Nabla.noGrad()) {
                Tensor logits = model.forward(test.featuresTensor(device));
                return Metrics.accuracy(Metrics.predictions(logits), test.labels());
            }
        }
    }
}
