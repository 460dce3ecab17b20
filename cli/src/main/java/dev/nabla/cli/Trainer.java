package dev.nabla.cli;

import dev.nabla.Device;
import dev.nabla.Nabla;
import dev.nabla.Rng;
import dev.nabla.Scope;
import dev.nabla.Tensor;
import dev.nabla.autograd.GradMode;
import dev.nabla.autograd.NanGuard;
import dev.nabla.data.Batch;
import dev.nabla.data.DataLoader;
import dev.nabla.io.Checkpoint;
import dev.nabla.metrics.ConfusionMatrix;
import dev.nabla.metrics.Metrics;
import dev.nabla.nn.BatchNorm1d;
import dev.nabla.nn.Linear;
import dev.nabla.nn.Module;
import dev.nabla.nn.Sequential;
import dev.nabla.optim.EarlyStopping;
import dev.nabla.optim.MaxNorm;
import dev.nabla.optim.Optimizer;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Trains one model as {@link TrainingSettings} say: the epoch loop of {@code nabla train}, shared by
 * a single run, every member of an ensemble and every row of {@code --compare}.
 *
 * <p>Every random choice comes from generators forked, in a fixed order, from one {@link Rng} of
 * the seed: initial weights (and dropout masks), then the shuffling, then augmentation. Their
 * states, the parameters, the optimizer's state and early stopping's record are what a
 * checkpoint holds to resume ({@link ResumeState}), so a run stopped and resumed ends, on the
 * CPU, with the same parameters bit for bit as one that was not.
 */
final class Trainer {
    /** Prefix of early stopping's best state among a checkpoint's extra tensors. */
    static final String BEST = "best.";
    /** Prefix of the last epoch's state when the saved model is the restored best one. */
    static final String LAST = "last.";

    /** Writes a checkpoint (a resumable one: {@code resume} holds the {@code resume.*} metadata). */
    interface Saver {
        void save(Module model, Optimizer optimizer, Map<String, Tensor> extra, Map<String, String> resume,
                  double testAccuracy);
    }

    private final Device device;
    private final TrainingData data;
    private final TrainingSettings settings;
    private final PrintWriter out;
    private final boolean epochLines;

    /**
     * @param out        where epoch lines go (null: silent, and no per-epoch test evaluation)
     * @param epochLines keep a record line per epoch (else only the terminal's progress bar)
     */
    Trainer(Device device, TrainingData data, TrainingSettings settings, PrintWriter out, boolean epochLines) {
        this.device = device;
        this.data = data;
        this.settings = settings;
        this.out = out;
        this.epochLines = epochLines;
    }

    /** A trained model with what is needed to report and save it; closing frees everything. */
    static final class Result implements AutoCloseable {
        final Sequential model;
        final Optimizer optimizer;
        ConfusionMatrix confusion;
        ResumeState state;
        final Map<String, Tensor> extra = new LinkedHashMap<>();
        final List<Tensor> owned = new ArrayList<>();
        EarlyStopping stopping;
        String note;
        private boolean modelTaken;

        Result(Sequential model, Optimizer optimizer) {
            this.model = model;
            this.optimizer = optimizer;
        }

        /** The model, which {@link #close()} then leaves open: the caller owns it. */
        Sequential takeModel() {
            modelTaken = true;
            return model;
        }

        @Override
        public void close() {
            owned.forEach(Tensor::close);
            if (stopping != null) {
                stopping.close();
            }
            optimizer.close();
            if (!modelTaken) {
                model.close();
            }
        }
    }

    /**
     * Trains from scratch, or from {@code resume} (a checkpoint of the same settings), up to the
     * settings' epoch count, saving every {@code saveEvery} epochs through {@code saver} (0: never).
     */
    Result train(long seed, Checkpoint resume, Saver saver, int saveEvery) {
        Rng rng = new Rng(seed);
        Sequential model = settings.arch().build(device, rng.fork());
        Rng shuffleRng = rng.fork();
        Rng augmentRng = rng.fork();
        Optimizer opt;
        try {
            opt = settings.optimizer().create(model.parameters(), settings.lr(), settings.weightDecay());
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
        Result result = new Result(model, opt);
        try {
            configure(model, opt);
            boolean dropLast = settings.arch().batchNorm() && data.train().size() % settings.batch() == 1;
            DataLoader loader = settings.augmentation().isOn()
                    ? new DataLoader(data.rawTrain(), settings.batch(), true, dropLast, shuffleRng, device,
                            settings.augmentation().transform(data.imageHeight(), data.imageWidth(), data.standardizer()),
                            augmentRng)
                    : new DataLoader(data.train(), settings.batch(), true, dropLast, shuffleRng, device);
            if (data.validation() != null) {
                result.stopping = new EarlyStopping(settings.patience() > 0 ? settings.patience() : Integer.MAX_VALUE);
            }
            TrainingPlot.History history = new TrainingPlot.History(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
            List<Rng> dropoutRngs = ResumeState.dropoutRngs(model);
            int first = 1;
            if (resume != null) {
                first = restore(resume, result, history, shuffleRng, augmentRng, dropoutRngs) + 1;
            }
            EpochProgress progress = out == null ? null : new EpochProgress(out, EpochProgress.stdoutIsTerminal());
            int epochs = settings.epochs();
            int width = Integer.toString(epochs).length();
            boolean stopped = false;
            double testAccuracy = Double.NaN;
            int epoch = first - 1;
            while (epoch < epochs && !stopped) {
                epoch++;
                String task = String.format(Locale.ROOT, "epoch %" + width + "d/%d", epoch, epochs);
                testAccuracy = runEpoch(model, opt, loader, progress == null ? null
                        : progress.start(task, loader.sampleCount(), epochLines && EpochProgress.shown(epoch, epochs)),
                        history, result.stopping);
                stopped = result.stopping != null && result.stopping.shouldStop();
                if (saver != null && saveEvery > 0 && epoch % saveEvery == 0 && epoch < epochs && !stopped) {
                    saver.save(model, opt, bestState(result.stopping), state(epoch, shuffleRng, augmentRng, dropoutRngs,
                            history, result.stopping, false).toMap(), testAccuracy);
                }
            }
            finish(result, epoch, stopped);
            result.state = state(epoch, shuffleRng, augmentRng, dropoutRngs, history, result.stopping, stopped);
            result.confusion = Evaluation.confusion(model, data.test(), device);
            return result;
        } catch (RuntimeException | Error e) {
            result.close();
            throw e;
        }
    }

    /** Per-layer learning rates and the max-norm constraint. */
    private void configure(Sequential model, Optimizer opt) {
        if (settings.layerLr() != null) {
            List<List<Tensor>> layers = new ArrayList<>();
            for (Module m : model.layers()) {
                if (m instanceof Linear) {
                    layers.add(new ArrayList<>());
                }
                if (m instanceof Linear || m instanceof BatchNorm1d) { // a normalisation learns at its layer's rate
                    layers.get(layers.size() - 1).addAll(m.parameters());
                }
            }
            double[] rates = settings.layerLr();
            opt.setHyperParameter(0, "lr", rates[0]);
            for (int i = 1; i < layers.size(); i++) {
                opt.addParamGroup(layers.get(i), Map.of("lr", rates[i]));
            }
        }
        if (settings.maxNorm() > 0) {
            opt.addConstraint(MaxNorm.onLinearLayers(model, settings.maxNorm()));
        }
    }

    /** One epoch; returns the test accuracy after it (NaN when silent). */
    private double runEpoch(Sequential model, Optimizer opt, DataLoader loader, EpochProgress.Bar bar,
                            TrainingPlot.History history, EarlyStopping stopping) {
        double lossSum = 0;
        long correct = 0;
        long seen = 0;
        int step = 0;
        int steps = loader.batchCount();
        long start = System.nanoTime();
        try {
            model.train();
            for (Batch b : loader) {
                step++;
                try (Scope s = Nabla.scope()) {
                    NanGuard.setStep(opt.stepCount() + 1);
                    opt.zeroGrad();
                    Tensor logits = model.forward(b.x());
                    Tensor loss = logits.softmaxCrossEntropy(b.y());
                    loss.backward();
                    opt.step();
                    double l = loss.item();
                    if (!Double.isFinite(l)) {
                        throw new IllegalStateException("training diverged: the loss is " + l + " at step " + step
                                + "; try a smaller --lr (--check-nan names the op that failed first)");
                    }
                    lossSum += l * b.size();
                    correct += Metrics.correct(Metrics.predictions(logits), b.y().toIntArray());
                    seen += b.size();
                }
                if (bar != null) {
                    bar.step(b.size(), String.format(Locale.ROOT, "step %d/%d loss %.4f acc %.4f %s", step, steps,
                            lossSum / seen, (double) correct / seen, speed(seen, start)));
                }
            }
            String speed = speed(seen, start);
            double testAccuracy = bar == null ? Double.NaN : Evaluation.confusion(model, data.test(), device).accuracy();
            String validation = "";
            if (stopping != null) {
                Evaluation.Score v = Evaluation.score(model, data.validation(), device);
                stopping.update(v.loss(), model);
                validation = String.format(Locale.ROOT, " val loss %.4f acc %.4f", v.loss(), v.accuracy());
            }
            history.loss().add(lossSum / seen);
            history.trainAccuracy().add((double) correct / seen);
            history.testAccuracy().add(testAccuracy);
            if (bar != null) {
                bar.finish(String.format(Locale.ROOT, "%d/%d samples  step %d/%d loss %.6f acc %.4f test %.4f%s  %s",
                        seen, loader.sampleCount(), step, steps, lossSum / seen, (double) correct / seen, testAccuracy,
                        validation, speed));
            }
            return testAccuracy;
        } finally {
            if (bar != null) {
                bar.close();
            }
        }
    }

    /** After the last epoch: with a validation split, put the best epoch's state back. */
    private void finish(Result result, int epoch, boolean stopped) {
        EarlyStopping stopping = result.stopping;
        if (stopping == null || stopping.bestEpoch() == 0) {
            return;
        }
        if (stopping.bestEpoch() != stopping.epochs()) {
            // the saved model is the best one; resuming continues from the last epoch's state
            try (GradMode.Guard g = GradMode.disable()) {
                for (Map.Entry<String, Tensor> e : result.model.stateDict().entrySet()) {
                    Tensor t = e.getValue();
                    Tensor copy = Tensor.zeros(t.device(), t.dtype(), t.dims()).detachFromScope().copyFrom(t);
                    result.owned.add(copy);
                    result.extra.put(LAST + e.getKey(), copy);
                }
            }
            stopping.restoreBest(result.model);
        }
        result.extra.putAll(bestState(stopping));
        result.note = String.format(Locale.ROOT, "%s: %s after epoch %d; kept epoch %d (validation loss %.4f)",
                stopped ? "Stopped" : "Best", stopped ? "no better validation loss for " + stopping.patience() + " epochs"
                        : "lowest validation loss of " + epoch + " epochs", epoch, stopping.bestEpoch(), stopping.bestLoss());
    }

    private static Map<String, Tensor> bestState(EarlyStopping stopping) {
        Map<String, Tensor> m = new LinkedHashMap<>();
        if (stopping != null) {
            stopping.bestState().forEach((k, v) -> m.put(BEST + k, v));
        }
        return m;
    }

    private static ResumeState state(int epoch, Rng shuffle, Rng augment, List<Rng> dropout, TrainingPlot.History history,
                                     EarlyStopping stopping, boolean stopped) {
        List<Long> dropoutStates = new ArrayList<>();
        dropout.forEach(r -> dropoutStates.add(r.state()));
        int[] record = stopping == null ? null : new int[] {stopping.epochs(), stopping.bestEpoch()};
        return new ResumeState(epoch, shuffle.state(), augment.state(), dropoutStates,
                new TrainingPlot.History(new ArrayList<>(history.loss()), new ArrayList<>(history.trainAccuracy()),
                        new ArrayList<>(history.testAccuracy())),
                record, stopping == null ? Double.POSITIVE_INFINITY : stopping.bestLoss(), stopped);
    }

    /** Loads a checkpoint's state into a freshly built run; returns the epochs it had completed. */
    private int restore(Checkpoint ck, Result result, TrainingPlot.History history, Rng shuffle, Rng augment,
                        List<Rng> dropout) {
        ResumeState s = ResumeState.from(ck.file(), ck.metadata());
        if (s.stoppedEarly()) {
            throw new IllegalArgumentException("--resume " + ck.file() + ": that run stopped early at epoch " + s.epoch()
                    + "; there is nothing to continue");
        }
        if (s.epoch() >= settings.epochs()) {
            throw new IllegalArgumentException("--resume " + ck.file() + ": the checkpoint has already trained "
                    + s.epoch() + " epochs; give --epochs more than that to continue");
        }
        if (s.dropoutRngs().size() != dropout.size() || (s.earlyStop() == null) != (result.stopping == null)) {
            throw new IllegalArgumentException("--resume " + ck.file() + ": the checkpoint's training state does not "
                    + "fit these flags (dropout or validation split differ)");
        }
        Map<String, Tensor> last = new LinkedHashMap<>();
        Map<String, Tensor> best = new LinkedHashMap<>();
        ck.extra().forEach((k, v) -> {
            if (k.startsWith(LAST)) {
                last.put(k.substring(LAST.length()), v);
            } else if (k.startsWith(BEST)) {
                best.put(k.substring(BEST.length()), v);
            }
        });
        if (last.isEmpty()) {
            ck.loadInto(result.model);
        } else {
            result.model.loadStateDict(last);
        }
        ck.loadInto(result.optimizer);
        shuffle.setState(s.shuffleRng());
        augment.setState(s.augmentRng());
        for (int i = 0; i < dropout.size(); i++) {
            dropout.get(i).setState(s.dropoutRngs().get(i));
        }
        if (result.stopping != null) {
            result.stopping.restore(s.earlyStop()[0], s.earlyStop()[1], s.bestLoss(), best);
        }
        history.loss().addAll(s.history().loss());
        history.trainAccuracy().addAll(s.history().trainAccuracy());
        history.testAccuracy().addAll(s.history().testAccuracy());
        return s.epoch();
    }

    private static String speed(long samples, long startNanos) {
        double seconds = Math.max(1e-9, (System.nanoTime() - startNanos) / 1e9);
        return String.format(Locale.ROOT, "%,.0f samples/s", samples / seconds);
    }
}
