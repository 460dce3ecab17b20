package dev.nabla.cli;

import dev.nabla.Device;
import dev.nabla.metrics.ConfusionMatrix;
import dev.nabla.nn.Ensemble;
import dev.nabla.nn.MlpSpec;
import dev.nabla.nn.Sequential;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * {@code nabla train --compare}: the training techniques side by side on one data set, one table.
 * Every row trains on the same split with the same seed (so the same initial weights and batch
 * order where the architecture allows), changing one thing: the optimizer, then one technique
 * added to Adam at a time; the last row averages an ensemble of five models trained like the
 * dropout row, with seeds {@code seed ... seed+4} (so different initial weights, data orders and
 * dropout masks). On the 8×8 digits, shifting by a pixel hurts (the images are
 * already centred and a pixel is an eighth of the digit) while noise helps; the table shows both.
 */
final class TechniqueComparison {
    /** Epochs of every row when {@code --epochs} is not given. */
    static final int DEFAULT_EPOCHS = 60;
    /** Members of the ensemble row. */
    static final int MEMBERS = 5;
    /** Flags that make sense with {@code --compare}; the rest set what the table varies. */
    private static final Set<String> ALLOWED = Set.of("--compare", "--data", "--label-column", "--seed", "--epochs",
            "--hidden", "--batch", "--backend", "--test-split", "--image", "--verbose");

    private final Device device;
    private final TrainingData data;
    private final int[] hidden;
    private final int batch;
    private final int epochs;
    private final long seed;
    private List<Double> members = List.of();

    /** One row: its name and settings. */
    record Row(String name, TrainingSettings settings) {
    }

    /** A measured row. */
    record Outcome(String name, double accuracy, double seconds) {
    }

    TechniqueComparison(Device device, TrainingData data, int[] hidden, int batch, Integer epochs, long seed) {
        this.device = device;
        this.data = data;
        this.hidden = hidden;
        this.batch = batch;
        this.epochs = epochs == null ? DEFAULT_EPOCHS : epochs;
        this.seed = seed;
    }

    /** Refuses the flags the table sets itself, in one line. */
    static void checkOptions(ParseResult parsed) {
        for (OptionSpec o : parsed.matchedOptions()) {
            if (!ALLOWED.contains(o.longestName())) {
                throw new IllegalArgumentException("--compare sets the optimizer and techniques of each row itself; "
                        + "drop " + o.longestName() + " (it takes --data, --seed, --epochs, --hidden, --batch, --backend, "
                        + "--test-split)");
            }
        }
        if (parsed.hasMatchedOption("--epochs") && parsed.matchedOptionValue("--epochs", 1) < 1) {
            throw new IllegalArgumentException("--epochs must be at least 1, got " + parsed.matchedOptionValue("--epochs", 1));
        }
    }

    private TrainingSettings settings(OptimizerChoice optimizer, double lr, double weightDecay, double dropout,
                                      boolean batchNorm, double maxNorm, TrainingSettings.Augmentation augmentation) {
        MlpSpec arch = MlpSpec.of(data.all().featureCount(), hidden, data.all().classCount(), "relu", dropout, batchNorm);
        return new TrainingSettings(arch, optimizer, lr, null, weightDecay, batch, epochs, maxNorm, augmentation, 0);
    }

    /** The single-model rows, in order. */
    List<Row> rows() {
        TrainingSettings.Augmentation none = TrainingSettings.Augmentation.NONE;
        double adam = OptimizerChoice.ADAM.defaultLr;
        List<Row> rows = new ArrayList<>();
        rows.add(new Row("sgd", settings(OptimizerChoice.SGD, OptimizerChoice.SGD.defaultLr, 0, 0, false, 0, none)));
        rows.add(new Row("momentum", settings(OptimizerChoice.MOMENTUM, OptimizerChoice.MOMENTUM.defaultLr, 0, 0, false, 0,
                none)));
        rows.add(new Row("adagrad", settings(OptimizerChoice.ADAGRAD, OptimizerChoice.ADAGRAD.defaultLr, 0, 0, false, 0,
                none)));
        rows.add(new Row("adam", settings(OptimizerChoice.ADAM, adam, 0, 0, false, 0, none)));
        rows.add(new Row("adam + weight decay 1e-4", settings(OptimizerChoice.ADAM, adam, 1e-4, 0, false, 0, none)));
        rows.add(new Row(ENSEMBLED, settings(OptimizerChoice.ADAM, adam, 0, 0.2, false, 0, none)));
        rows.add(new Row("adam + max-norm 1.5", settings(OptimizerChoice.ADAM, adam, 0, 0, false, 1.5, none)));
        rows.add(new Row("adam + augmentation (noise 0.5)", settings(OptimizerChoice.ADAM, adam, 0, 0, false, 0,
                new TrainingSettings.Augmentation(0, false, 0.5))));
        if (data.isImage()) {
            rows.add(new Row("adam + augmentation (shift 1 pixel)", settings(OptimizerChoice.ADAM, adam, 0, 0, false, 0,
                    new TrainingSettings.Augmentation(1, false, 0))));
        }
        rows.add(new Row("adam + batch norm", settings(OptimizerChoice.ADAM, adam, 0, 0, true, 0, none)));
        return rows;
    }

    /** The row whose settings the ensemble's members use. */
    static final String ENSEMBLED = "adam + dropout 0.2";

    /** Trains every row and prints the table; returns the rows as measured, the ensemble last. */
    List<Outcome> run(PrintWriter out) {
        out.printf(Locale.ROOT, "Comparing on %s: train %d, test %d; mlp %s relu, batch %d, %d epochs, seed %d%n",
                data.all().name(), data.train().size(), data.test().size(), sizes(), batch, epochs, seed);
        out.printf(Locale.ROOT, "%-50s %13s %8s%n", "technique", "test accuracy", "time");
        out.flush();
        List<Outcome> outcomes = new ArrayList<>();
        List<Row> rows = rows();
        for (Row row : rows) {
            long start = System.nanoTime();
            double accuracy;
            try (Trainer.Result r = new Trainer(device, data, row.settings(), null, false).train(seed, null, null, 0)) {
                accuracy = r.confusion.accuracy();
            }
            outcomes.add(print(out, new Outcome(row.name(), accuracy, (System.nanoTime() - start) / 1e9)));
        }
        Row last = rows.stream().filter(r -> r.name().equals(ENSEMBLED)).findFirst().orElseThrow();
        long start = System.nanoTime();
        List<Sequential> members = new ArrayList<>();
        List<Double> memberAccuracies = new ArrayList<>();
        try {
            for (int i = 0; i < MEMBERS; i++) {
                try (Trainer.Result r = new Trainer(device, data, last.settings(), null, false).train(seed + i, null, null, 0)) {
                    memberAccuracies.add(r.confusion.accuracy());
                    members.add(r.takeModel());
                }
            }
        } catch (RuntimeException e) {
            members.forEach(Sequential::close);
            throw e;
        }
        try (Ensemble ensemble = new Ensemble(members)) {
            ConfusionMatrix m = Evaluation.confusion(ensemble, data.test(), device);
            outcomes.add(print(out, new Outcome("ensemble of " + MEMBERS + " × (" + last.name() + ")", m.accuracy(),
                    (System.nanoTime() - start) / 1e9)));
        }
        StringBuilder m = new StringBuilder();
        memberAccuracies.forEach(a -> m.append(String.format(Locale.ROOT, " %.4f", a)));
        out.printf(Locale.ROOT, "ensemble members:%s; total time %.1f s%n", m,
                outcomes.stream().mapToDouble(Outcome::seconds).sum());
        this.members = List.copyOf(memberAccuracies);
        out.flush();
        return outcomes;
    }

    /** Test accuracies of the ensemble's members in the last {@link #run}. */
    List<Double> memberAccuracies() {
        return members;
    }

    private String sizes() {
        StringBuilder sb = new StringBuilder().append(data.all().featureCount());
        for (int h : hidden) {
            sb.append('-').append(h);
        }
        return sb.append('-').append(data.all().classCount()).toString();
    }

    private static Outcome print(PrintWriter out, Outcome o) {
        out.printf(Locale.ROOT, "%-50s %13.4f %6.1f s%n", o.name(), o.accuracy(), o.seconds());
        out.flush();
        return o;
    }
}
