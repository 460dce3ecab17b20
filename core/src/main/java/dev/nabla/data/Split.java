package dev.nabla.data;

import dev.nabla.Rng;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A train/test split. {@link #stratified} keeps each class's share the same in both parts, and is
 * fixed by its seed: the same data, fraction and seed give the same split in every run, which is
 * how {@code nabla evaluate} finds the test set that training held out.
 *
 * @param train the training part
 * @param test  the held-out part
 */
public record Split(TensorDataset train, TensorDataset test) {

    /**
     * Splits {@code data} so that about {@code testFraction} of each class is in the test part
     * ({@code round(classSize · testFraction)} per class, at least 1 and leaving at least 1 for
     * training; a class with a single example stays in training). Regression data is split as one
     * group.
     * Both parts keep the data set's order.
     *
     * @throws IllegalArgumentException unless {@code 0 < testFraction < 1}, or if a part would be empty
     */
    public static Split stratified(TensorDataset data, double testFraction, long seed) {
        if (!(testFraction > 0 && testFraction < 1)) {
            throw new IllegalArgumentException("split: test fraction must be between 0 and 1 (exclusive), got "
                    + testFraction);
        }
        List<List<Integer>> groups = new ArrayList<>();
        if (data.isClassification()) {
            for (int c = 0; c < data.classCount(); c++) {
                groups.add(new ArrayList<>());
            }
            int[] labels = data.labels();
            for (int i = 0; i < labels.length; i++) {
                groups.get(labels[i]).add(i);
            }
        } else {
            List<Integer> all = new ArrayList<>();
            for (int i = 0; i < data.size(); i++) {
                all.add(i);
            }
            groups.add(all);
        }
        Rng rng = new Rng(seed);
        boolean[] inTest = new boolean[data.size()];
        for (List<Integer> g : groups) {
            int[] members = g.stream().mapToInt(Integer::intValue).toArray();
            rng.shuffle(members);
            int n = members.length;
            int k = (int) Math.round(n * testFraction);
            k = n >= 2 ? Math.max(1, Math.min(n - 1, k)) : 0;
            for (int i = 0; i < k; i++) {
                inTest[members[i]] = true;
            }
        }
        int testSize = 0;
        for (boolean b : inTest) {
            testSize += b ? 1 : 0;
        }
        if (testSize == 0 || testSize == data.size()) {
            throw new IllegalArgumentException("split: " + data.name() + " has " + data.size() + " examples; a test "
                    + "fraction of " + testFraction + " leaves " + (testSize == 0 ? "no test" : "no training")
                    + " examples");
        }
        int[] train = new int[data.size() - testSize];
        int[] test = new int[testSize];
        for (int i = 0, a = 0, b = 0; i < inTest.length; i++) {
            if (inTest[i]) {
                test[b++] = i;
            } else {
                train[a++] = i;
            }
        }
        return new Split(data.subset(train), data.subset(test));
    }

    @Override
    public String toString() {
        return "Split[train " + train.size() + ", test " + test.size() + "]" + (train.isClassification()
                ? " test per class " + Arrays.toString(test.classCounts()) : "");
    }
}
