package dev.nabla.cli;

import dev.nabla.data.TensorDataset;
import java.util.Locale;
import picocli.CommandLine.Option;

/**
 * The flags of {@code nabla train} that add a training technique to the plain run: normalisation,
 * constraints, per-layer rates, augmentation, ensembles and early stopping, with their checks.
 */
final class TechniqueOptions {
    @Option(names = "--batch-norm", description = "Batch normalisation after each hidden layer, before its activation.")
    boolean batchNorm;

    @Option(names = "--max-norm", paramLabel = "C",
            description = "Rescale each unit's incoming weights to norm <= C after every step (any optimizer).")
    Double maxNorm;

    @Option(names = "--layer-lr", paramLabel = "RATES",
            description = "One learning rate per linear layer, comma-separated (instead of --lr), e.g. 0.004,0.001.")
    String layerLr;

    @Option(names = "--augment-shift", paramLabel = "K", defaultValue = "0",
            description = "Augment image data: shift each training image by up to K pixels (zero fill).")
    int augmentShift;

    @Option(names = "--augment-flip", description = "Augment image data: mirror half the training images "
            + "(not for digits: they are not mirror-symmetric).")
    boolean augmentFlip;

    @Option(names = "--augment-noise", paramLabel = "STD", defaultValue = "0",
            description = "Augment: add Gaussian noise of this std to the standardised training features.")
    double augmentNoise;

    @Option(names = "--image", paramLabel = "HxW",
            description = "Image size of csv features, row-major, for augmentation (digits: 8x8).")
    String image;

    @Option(names = "--ensemble", paramLabel = "N", defaultValue = "1",
            description = "Train N models (seeds SEED, SEED+1, ...) and predict by the mean of their softmax outputs.")
    int ensemble;

    @Option(names = "--val-split", paramLabel = "FRACTION",
            description = "Carve a validation split from the training data; keep the epoch with the lowest validation loss.")
    Double valSplit;

    @Option(names = "--patience", paramLabel = "N",
            description = "Early stopping: stop after N epochs without a lower validation loss (needs --val-split).")
    Integer patience;

    /** One line naming the flag, the value and the rule, for a value no run could use. */
    void validate() {
    if (ensemble < 1) {
        throw new IllegalArgumentException("--ensemble must be at least 1, got " + ensemble);
    }
    if (maxNorm != null && (!(maxNorm > 0) || Double.isInfinite(maxNorm))) {
        throw new IllegalArgumentException("--max-norm must be a positive number, got " + maxNorm);
    }
    if (valSplit != null && !(valSplit > 0 && valSplit < 1)) {
        throw new IllegalArgumentException("--val-split must be between 0 and 1 (exclusive), got " + valSplit);
    }
    if (patience != null && patience < 1) {
        throw new IllegalArgumentException("--patience must be at least 1, got " + patience);
    }
    if (patience != null && valSplit == null) {
        throw new IllegalArgumentException("--patience needs --val-split: early stopping watches the validation loss");
    }
    if (augmentShift < 0) {
        throw new IllegalArgumentException("--augment-shift must be >= 0 pixels, got " + augmentShift);
    }
    if (!(augmentNoise >= 0) || Double.isInfinite(augmentNoise)) {
        throw new IllegalArgumentException("--augment-noise must be >= 0, got " + augmentNoise);
    }
    }

    /** Height and width of image data ({@code 0, 0} for other data). */
    int[] imageShape(TensorDataset all, boolean digits) {
        if (image != null) {
            String[] hw = image.trim().toLowerCase(Locale.ROOT).split("x");
            int h = -1;
            int w = -1;
            try {
                if (hw.length == 2) {
                    h = Integer.parseInt(hw[0].trim());
                    w = Integer.parseInt(hw[1].trim());
                }
            } catch (NumberFormatException e) {
                h = -1;
            }
            if (h < 1 || w < 1) {
                throw new IllegalArgumentException("--image must be HxW with positive sizes, e.g. 28x28, got '" + image + "'");
            }
            if ((long) h * w != all.featureCount()) {
                throw new IllegalArgumentException("--image " + h + "x" + w + " has " + (long) h * w + " pixels but "
                        + all.name() + " has " + all.featureCount() + " features");
            }
            return new int[] {h, w};
        }
        return digits ? new int[] {8, 8} : new int[] {0, 0};
    }

    TrainingSettings.Augmentation augmentation(TensorDataset all, int[] shape, boolean digits) {
        TrainingSettings.Augmentation a = new TrainingSettings.Augmentation(augmentShift, augmentFlip, augmentNoise);
        if (augmentFlip && digits) {
            throw new IllegalArgumentException("--augment-flip: digits are not mirror-symmetric (a mirrored 2 is no 2); "
                    + "flips stay off for digits");
        }
        if ((augmentShift > 0 || augmentFlip) && shape[0] == 0) {
            throw new IllegalArgumentException("--augment-shift and --augment-flip need image data: digits, or csv data "
                    + "with --image HxW; " + all.name() + " is not an image");
        }
        return a;
    }

    double[] layerRates(int layers, boolean lrGiven) {
        if (layerLr == null) {
            return null;
        }
        if (lrGiven) {
            throw new IllegalArgumentException("--layer-lr and --lr both set learning rates; give one of them");
        }
        String[] parts = layerLr.split(",");
        double[] rates = new double[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                rates[i] = Double.parseDouble(parts[i].trim());
            } catch (NumberFormatException e) {
                rates[i] = Double.NaN;
            }
            if (!(rates[i] > 0) || Double.isInfinite(rates[i])) {
                throw new IllegalArgumentException("--layer-lr: '" + layerLr + "' must be positive numbers, one per "
                        + "linear layer, comma-separated");
            }
        }
        if (rates.length != layers) {
            throw new IllegalArgumentException("--layer-lr gives " + rates.length + " rate(s) but the model has "
                    + layers + " linear layer(s)");
        }
        return rates;
    }
}
