package dev.nabla.cli;

import dev.nabla.data.Split;
import dev.nabla.data.Standardizer;
import dev.nabla.data.TensorDataset;

/**
 * The data of a run: a stratified test split held out from everything, an optional validation
 * split carved from what remains (for early stopping), and standardisation fitted on the training
 * part alone. The test split depends only on the data, the test fraction and the seed, so
 * {@code nabla evaluate} finds it again whatever validation split training used.
 *
 * @param rawTrain    the training part before standardisation (augmentations work on raw pixels)
 * @param validation  the standardised validation part, or null without {@code --val-split}
 * @param imageHeight image height of the features, 0 when they are not an image
 */
record TrainingData(TensorDataset all, TensorDataset rawTrain, TensorDataset train, TensorDataset validation,
                    TensorDataset test, Standardizer standardizer, double testFraction, double valFraction,
                    int imageHeight, int imageWidth) {

    static TrainingData prepare(TensorDataset all, double testFraction, double valFraction, long seed, int imageHeight,
                                int imageWidth) {
        Split split = Split.stratified(all, testFraction, seed);
        TensorDataset rawTrain = split.train();
        TensorDataset rawValidation = null;
        if (valFraction > 0) {
            Split inner = Split.stratified(split.train(), valFraction, seed);
            rawTrain = inner.train();
            rawValidation = inner.test();
        }
        Standardizer standardizer = Standardizer.fit(rawTrain);
        return new TrainingData(all, rawTrain, standardizer.transform(rawTrain),
                rawValidation == null ? null : standardizer.transform(rawValidation),
                standardizer.transform(split.test()), standardizer, testFraction, valFraction, imageHeight, imageWidth);
    }

    boolean isImage() {
        return imageHeight > 0;
    }
}
