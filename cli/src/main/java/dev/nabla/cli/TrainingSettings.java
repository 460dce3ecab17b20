package dev.nabla.cli;

import dev.nabla.data.GaussianNoise;
import dev.nabla.data.RandomHorizontalFlip;
import dev.nabla.data.RandomShift;
import dev.nabla.data.Standardizer;
import dev.nabla.data.Transform;
import dev.nabla.nn.MlpSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How one model is trained, apart from its seed and data: architecture, optimizer and the
 * techniques on top. {@code nabla train} makes one from its flags; {@code --compare} one per row.
 *
 * @param layerLr     one learning rate per linear layer (then {@code lr} is unused), or null
 * @param maxNorm     bound of the max-norm constraint, 0 for none
 * @param patience    early-stopping patience in epochs, 0 for none (the best epoch on the
 *                    validation split is still restored when there is one)
 */
record TrainingSettings(MlpSpec arch, OptimizerChoice optimizer, double lr, double[] layerLr, double weightDecay,
                        int batch, int epochs, double maxNorm, Augmentation augmentation, int patience) {

    /**
     * On-the-fly augmentation of image data.
     *
     * @param shift largest shift in pixels (0: none)
     * @param flip  random horizontal flips
     * @param noise standard deviation of Gaussian noise added after standardising (0: none)
     */
    record Augmentation(int shift, boolean flip, double noise) {
        static final Augmentation NONE = new Augmentation(0, false, 0);

        boolean isOn() {
            return shift > 0 || flip || noise > 0;
        }

        /**
         * Shift and flip on raw pixels (where 0 is the background), then standardisation, then
         * noise in standardised units.
         */
        Transform transform(int height, int width, Standardizer standardizer) {
            List<Transform> steps = new ArrayList<>();
            if (shift > 0) {
                steps.add(new RandomShift(height, width, shift));
            }
            if (flip) {
                steps.add(new RandomHorizontalFlip(height, width, 0.5));
            }
            steps.add(standardizer);
            if (noise > 0) {
                steps.add(new GaussianNoise(noise));
            }
            return Transform.compose(steps.toArray(new Transform[0]));
        }

        @Override
        public String toString() {
            if (!isOn()) {
                return "none";
            }
            List<String> parts = new ArrayList<>();
            if (shift > 0) {
                parts.add("shift " + shift);
            }
            if (flip) {
                parts.add("flip");
            }
            if (noise > 0) {
                parts.add("noise " + noise);
            }
            return String.join(", ", parts);
        }
    }

    /** {@code lr 0.002} or {@code lr 0.01/0.001 per layer}. */
    String lrText() {
        if (layerLr == null) {
            return "lr " + lr;
        }
        StringBuilder sb = new StringBuilder("lr ");
        for (int i = 0; i < layerLr.length; i++) {
            sb.append(i == 0 ? "" : "/").append(layerLr[i]);
        }
        return sb.append(" per layer").toString();
    }

    /** The techniques beyond the optimizer, for the {@code Training:} line; empty when none. */
    String techniques() {
        List<String> parts = new ArrayList<>();
        if (maxNorm > 0) {
            parts.add("max-norm " + maxNorm);
        }
        if (augmentation.isOn()) {
            parts.add("augmentation (" + augmentation + ")");
        }
        if (patience > 0) {
            parts.add("early stopping (patience " + patience + ")");
        }
        return String.join(", ", parts);
    }

    /**
     * The settings a checkpoint records under {@code train.*}; those that {@code --resume} must
     * find unchanged are all but {@code train.epochs}.
     */
    Map<String, String> record() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("train.optimizer", optimizer.cliName());
        m.put("train.lr", layerLr == null ? Double.toString(lr) : Arrays.toString(layerLr));
        m.put("train.weight_decay", Double.toString(weightDecay));
        m.put("train.epochs", Integer.toString(epochs));
        m.put("train.batch", Integer.toString(batch));
        m.put("train.max_norm", Double.toString(maxNorm));
        m.put("train.augment", augmentation.toString());
        m.put("train.patience", Integer.toString(patience));
        return m;
    }

    /** The names of the flags behind each {@code train.*} key, for error messages. */
    static String flagOf(String key) {
        switch (key) {
            case "train.optimizer": return "--optimizer";
            case "train.lr": return "--lr/--layer-lr";
            case "train.weight_decay": return "--weight-decay";
            case "train.batch": return "--batch";
            case "train.max_norm": return "--max-norm";
            case "train.augment": return "--augment-shift/--augment-flip/--augment-noise";
            case "train.patience": return "--patience";
            case "train.val_split": return "--val-split";
            default: return "--" + key.replace("train.", "").replace('_', '-').toLowerCase(Locale.ROOT);
        }
    }
}
