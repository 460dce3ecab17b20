package dev.nabla.examples;

import dev.nabla.Device;
import dev.nabla.Nabla;
import dev.nabla.Rng;
import dev.nabla.Scope;
import dev.nabla.Tensor;
import dev.nabla.data.Batch;
import dev.nabla.data.DataLoader;
import dev.nabla.data.Datasets;
import dev.nabla.data.GaussianNoise;
import dev.nabla.data.Split;
import dev.nabla.data.Standardizer;
import dev.nabla.data.TensorDataset;
import dev.nabla.data.Transform;
import dev.nabla.io.Checkpoint;
import dev.nabla.metrics.Metrics;
import dev.nabla.nn.Dropout;
import dev.nabla.nn.Ensemble;
import dev.nabla.nn.Linear;
import dev.nabla.nn.MlpSpec;
import dev.nabla.nn.Module;
import dev.nabla.nn.Sequential;
import dev.nabla.optim.AdaGrad;
import dev.nabla.optim.Adam;
import dev.nabla.optim.CosineAnnealing;
import dev.nabla.optim.EarlyStopping;
import dev.nabla.optim.MaxNorm;
import dev.nabla.optim.Optimizer;
import dev.nabla.optim.SGD;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Training techniques side by side on the 8×8 digits, one row each: plain SGD, momentum, AdaGrad
 * and Adam; then Adam plus one technique — weight decay, dropout, the max-norm constraint,
 * per-layer learning rates with a cosine schedule, data augmentation, batch normalisation, early
 * stopping on a validation split — and an ensemble averaging five dropout models. Same data,
 * split and seeds for every row, so the differences are the techniques'. It ends by stopping a
 * run half-way, saving a checkpoint, resuming it and checking that the result is bit for bit
 * that of the run that was not stopped. Run: {@code DigitsTechniques [epochs]}.
 */
public final class DigitsTechniques {

    /** One row of the table. */
    public record Row(String technique, double testAccuracy, double seconds) {
    }

    /** The table, and whether the stopped-and-resumed run equalled the straight one. */
    public record Result(List<Row> rows, boolean resumedExactly) {
    }

    /** What one row changes; everything else is the plain Adam run. */
    private record Setup(Function<List<Tensor>, Optimizer> optimizer, double dropout, boolean batchNorm, double maxNorm,
                         boolean perLayerLr, boolean augment, int patience) {
        static Setup adam() {
            return new Setup(p -> new Adam(p, 0.002), 0, false, 0, false, false, 0);
        }
    }

    public static void main(String[] args) {
        run(System.out, args.length > 0 ? Integer.parseInt(args[0]) : 40);
    }

    public static Result run(PrintStream out, int epochs) {
        Device device = Device.auto();
        Split split = Split.stratified(Datasets.digits(), 0.2, 42);
        Standardizer st = Standardizer.fit(split.train()); // statistics of the training part only
        Data data = new Data(split.train(), st.transform(split.train()), st.transform(split.test()), st);

        List<Object[]> techniques = List.of(
                new Object[] {"sgd", new Setup(p -> new SGD(p, 0.1), 0, false, 0, false, false, 0)},
                new Object[] {"momentum", new Setup(p -> new SGD(p, 0.05, 0.9), 0, false, 0, false, false, 0)},
                new Object[] {"adagrad", new Setup(p -> new AdaGrad(p, 0.05), 0, false, 0, false, false, 0)},
                new Object[] {"adam", Setup.adam()},
                new Object[] {"adam + weight decay 1e-4",
                    new Setup(p -> new Adam(p, 0.002, 0.9, 0.999, 1e-8, 1e-4), 0, false, 0, false, false, 0)},
                new Object[] {"adam + dropout 0.2", new Setup(p -> new Adam(p, 0.002), 0.2, false, 0, false, false, 0)},
                new Object[] {"adam + max-norm 1.5", new Setup(p -> new Adam(p, 0.002), 0, false, 1.5, false, false, 0)},
                new Object[] {"adam + per-layer lr, cosine", new Setup(p -> new Adam(p, 0.004), 0, false, 0, true, false, 0)},
                new Object[] {"adam + augmentation (noise)", new Setup(p -> new Adam(p, 0.002), 0, false, 0, false, true, 0)},
                new Object[] {"adam + batch norm", new Setup(p -> new Adam(p, 0.002), 0, true, 0, false, false, 0)},
                new Object[] {"adam + early stopping", new Setup(p -> new Adam(p, 0.002), 0, false, 0, false, false, 5)});

        out.printf("digits: train %d, test %d, mlp 64-128-10 relu, batch 32, %d epochs%n", data.train.size(),
                data.test.size(), epochs);
        out.println("technique                          test accuracy  time");
        List<Row> rows = new ArrayList<>();
        for (Object[] t : techniques) {
            long start = System.nanoTime();
            double accuracy;
            try (Sequential model = train(device, data, (Setup) t[1], epochs, 1)) {
                accuracy = accuracy(model, data.test, device);
            }
            rows.add(print(out, new Row((String) t[0], accuracy, (System.nanoTime() - start) / 1e9)));
        }

        // model averaging: five models, different seeds (initial weights, batch order, dropout masks)
        long start = System.nanoTime();
        List<Sequential> members = new ArrayList<>();
        for (int seed = 1; seed <= 5; seed++) {
            members.add(train(device, data, new Setup(p -> new Adam(p, 0.002), 0.2, false, 0, false, false, 0), epochs, seed));
        }
        try (Ensemble ensemble = new Ensemble(members)) {   // predicts the mean of the members' softmax outputs
            rows.add(print(out, new Row("ensemble of 5 × (adam + dropout)", accuracy(ensemble, data.test, device),
                    (System.nanoTime() - start) / 1e9)));
        }

        boolean exact = resumeIsExact(device, data, Math.max(2, epochs / 4));
        out.println("stopped, saved and resumed run equals the straight run, bit for bit: " + exact);
        return new Result(rows, exact);
    }

    /** Raw training features (augmentations shift pixels before standardising), standardised ones, and the test set. */
    private record Data(TensorDataset rawTrain, TensorDataset train, TensorDataset test, Standardizer standardizer) {
    }

    static Sequential train(Device device, Data data, Setup setup, int epochs, long seed) {
        Rng rng = new Rng(seed);
        TensorDataset train = data.train;
        TensorDataset validation = null;
        if (setup.patience > 0) {                              // early stopping watches a split of the training data
            Split inner = Split.stratified(data.train, 0.1, seed);
            train = inner.train();
            validation = inner.test();
        }
        Sequential model = MlpSpec.of(64, new int[] {128}, 10, "relu", setup.dropout, setup.batchNorm)
                .build(device, rng.fork());
        try (Optimizer opt = setup.optimizer.apply(model.parameters());
             EarlyStopping stopping = new EarlyStopping(Math.max(1, setup.patience))) {
            CosineAnnealing schedule = null;
            if (setup.perLayerLr) {                            // the output layer learns 4× slower than the hidden one
                opt.addParamGroup(((Linear) model.get(model.size() - 1)).parameters(), Map.of("lr", 0.001));
                schedule = new CosineAnnealing(opt, epochs, 0);   // each group's rate follows the curve from its own base
            }
            if (setup.maxNorm > 0) {                           // runs after every step, whatever the optimizer
                opt.addConstraint(MaxNorm.onLinearLayers(model, setup.maxNorm));
            }
            Rng shuffle = rng.fork();
            DataLoader loader = setup.augment
                    ? new DataLoader(data.rawTrain, 32, true, false, shuffle, device,   // noise on the fly, seeded
                            Transform.compose(data.standardizer, new GaussianNoise(0.5)), rng.fork())
                    : new DataLoader(train, 32, true, false, shuffle, device);
            for (int epoch = 0; epoch < epochs; epoch++) {
                model.train();                                 // dropout on, batch statistics
                for (Batch b : loader) {
                    step(model, opt, b);
                }
                if (schedule != null) {
                    schedule.step();
                }
                if (validation != null && stopping.update(loss(model, validation, device), model)) {
                    break;
                }
            }
            if (validation != null) {
                stopping.restoreBest(model);                   // the epoch with the lowest validation loss
            }
            return model;
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    private static void step(Module model, Optimizer opt, Batch b) {
        try (Scope s = Nabla.scope()) {
            opt.zeroGrad();
            model.forward(b.x()).softmaxCrossEntropy(b.y()).backward();
            opt.step();
        }
    }

    static double accuracy(Module model, TensorDataset test, Device device) {
        model.eval();                                          // dropout off, running statistics
        try (Scope s = Nabla.scope(); var g = Nabla.noGrad()) {
            Tensor scores = model.forward(test.featuresTensor(device));
            return Metrics.accuracy(Metrics.predictions(scores), test.labels());
        }
    }

    private static double loss(Module model, TensorDataset data, Device device) {
        model.eval();
        try (Scope s = Nabla.scope(); var g = Nabla.noGrad()) {
            return model.forward(data.featuresTensor(device)).softmaxCrossEntropy(data.labelsTensor(device)).item();
        } finally {
            model.train();
        }
    }

    /**
     * Trains {@code 2·half} epochs straight, and {@code half} epochs, a checkpoint (parameters,
     * optimizer state, the shuffling and dropout generators' states), a fresh model and optimizer
     * loaded from it, and {@code half} more; true when every parameter ends with the same bits.
     */
    static boolean resumeIsExact(Device device, Data data, int half) {
        MlpSpec spec = MlpSpec.of(64, new int[] {64}, 10, "relu", 0.1);
        Path file;
        try {
            file = Files.createTempFile("digits-resume", ".safetensors");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try (Run straight = new Run(device, spec, data); Run first = new Run(device, spec, data)) {
            straight.epochs(2 * half);
            first.epochs(half);
            Checkpoint.save(file, first.model, first.opt, Map.of("rng.shuffle", Long.toString(first.shuffle.state()),
                    "rng.dropout", Long.toString(first.dropoutRng().state())));
            try (Run resumed = new Run(device, spec, data); Checkpoint ck = Checkpoint.load(file, device)) {
                ck.loadInto(resumed.model);
                ck.loadInto(resumed.opt);
                resumed.shuffle.setState(Long.parseLong(ck.meta("rng.shuffle")));
                resumed.dropoutRng().setState(Long.parseLong(ck.meta("rng.dropout")));
                resumed.epochs(half);
                for (Map.Entry<String, Tensor> e : straight.model.stateDict().entrySet()) {
                    float[] a = e.getValue().toFloatArray();
                    float[] b = resumed.model.stateDict().get(e.getKey()).toFloatArray();
                    for (int i = 0; i < a.length; i++) {
                        if (Float.floatToRawIntBits(a[i]) != Float.floatToRawIntBits(b[i])) {
                            return false;
                        }
                    }
                }
                return true;
            }
        } finally {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // a temporary file: the system cleans it up
            }
        }
    }

    /** A model, its optimizer and its shuffling generator, trained epoch by epoch. */
    private static final class Run implements AutoCloseable {
        final Sequential model;
        final Optimizer opt;
        final Rng shuffle;
        final DataLoader loader;

        Run(Device device, MlpSpec spec, Data data) {
            Rng rng = new Rng(7);
            model = spec.build(device, rng.fork());
            opt = new Adam(model.parameters(), 0.002);
            shuffle = rng.fork();
            loader = new DataLoader(data.train, 32, true, false, shuffle, device);
        }

        Rng dropoutRng() {
            return ((Dropout) model.get(2)).rng();
        }

        void epochs(int n) {
            model.train();
            for (int epoch = 0; epoch < n; epoch++) {
                for (Batch b : loader) {
                    step(model, opt, b);
                }
            }
        }

        @Override
        public void close() {
            opt.close();
            model.close();
        }
    }

    private static Row print(PrintStream out, Row row) {
        out.printf("%-34s %.4f         %.1f s%n", row.technique(), row.testAccuracy(), row.seconds());
        return row;
    }
}
