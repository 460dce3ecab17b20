package dev.nabla.cli;

import dev.nabla.Device;
import dev.nabla.Rng;
import dev.nabla.data.Split;
import dev.nabla.data.TensorDataset;
import dev.nabla.io.Checkpoint;
import dev.nabla.metrics.ConfusionMatrix;
import dev.nabla.nn.Ensemble;
import dev.nabla.nn.Module;
import dev.nabla.nn.Sequential;
import java.util.ArrayList;
import java.util.List;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code nabla evaluate}: rebuilds a model saved by {@code nabla train --save} from its checkpoint
 * alone (architecture, class names and standardisation are in the metadata), reloads the data,
 * recreates the same stratified split from the stored seed and fraction, and prints the test
 * accuracy — the same number training printed.
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true, versionProvider = NablaCommand.Version.class, sortOptions = false, showDefaultValues = true,
        description = "Evaluate a model saved by 'nabla train --save' on its held-out test split.")
final class EvaluateCommand implements Callable<Integer> {

    @Option(names = "--model", paramLabel = "FILE", required = true, description = "A checkpoint from 'nabla train --save'.")
    Path model;

    @Option(names = "--data", paramLabel = "SET",
            description = "digits, iris, spirals[:K] or csv:PATH (default: the data set the model was trained on).")
    String data;

    @Option(names = "--label-column", paramLabel = "NAME|INDEX",
            description = "Label column of csv data (default: the one used in training).")
    String labelColumn;

    @Option(names = "--split", defaultValue = "test", description = "Which part to evaluate: test, train or all.")
    String part;

    @Option(names = "--backend", defaultValue = "auto", description = "auto, cpu, cuda, cuda:N, opencl, opencl:N.")
    String backend;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        String which = part.trim().toLowerCase(Locale.ROOT);
        if (!which.equals("test") && !which.equals("train") && !which.equals("all")) {
            throw new IllegalArgumentException("--split must be test, train or all, got '" + part + "'");
        }
        Device device = Device.select(backend).device();
        try (Checkpoint ck = Checkpoint.load(model, device)) {
            ModelMetadata meta = ModelMetadata.from(model, ck.metadata());
            String source = data == null ? meta.data() : data.trim();
            boolean csv = source.toLowerCase(Locale.ROOT).startsWith("csv:");
            String column = labelColumn != null ? labelColumn : csv ? meta.labelColumn() : null;
            TensorDataset all = DataSource.load(source, column, meta.seed());
            checkCompatible(meta, all, source);
            try (Module net = build(meta, device)) {
                ck.loadInto(net);
                Split split = Split.stratified(all, meta.testFraction(), meta.seed());
                TensorDataset chosen = which.equals("test") ? split.test() : which.equals("train") ? split.train() : all;
                ConfusionMatrix confusion = Evaluation.confusion(net, meta.standardizer().transform(chosen), device);
                out.printf(Locale.ROOT, "Model:     %s (%s%s), trained on %s%n", model,
                        meta.ensemble() > 1 ? "ensemble of " + meta.ensemble() + " × " : "", meta.arch(), meta.data());
                out.printf(Locale.ROOT, "Data:      %s: %s part, %d of %d examples (split seed %d, test fraction %s)%n",
                        all.name(), which, chosen.size(), all.size(), meta.seed(), meta.testFraction());
                String what = which.equals("test") ? "Test" : which.equals("train") ? "Train" : "Overall";
                out.println(Evaluation.accuracyLine(what, confusion));
                out.println(confusion);
                out.println("Backend:   " + TrainCommand.describe(device));
            }
        }
        out.flush();
        return 0;
    }

    /** The model the checkpoint describes: one network, or an ensemble of identical ones. */
    static Module build(ModelMetadata meta, Device device) {
        if (meta.ensemble() == 1) {
            return meta.arch().build(device, new Rng(0));
        }
        List<Sequential> members = new ArrayList<>();
        for (int i = 0; i < meta.ensemble(); i++) {
            members.add(meta.arch().build(device, new Rng(i)));
        }
        return new Ensemble(members);
    }

    private void checkCompatible(ModelMetadata meta, TensorDataset all, String source) {
        if (all.featureCount() != meta.arch().inputs()) {
            throw new IllegalArgumentException(model + ": the model takes " + meta.arch().inputs() + " features but "
                    + source + " has " + all.featureCount());
        }
        if (!all.classNames().equals(meta.labels())) {
            throw new IllegalArgumentException(model + ": the model's classes " + meta.labels() + " differ from the "
                    + "classes of " + source + " " + all.classNames());
        }
    }
}
