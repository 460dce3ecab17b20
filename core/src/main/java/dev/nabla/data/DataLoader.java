package dev.nabla.data;

import dev.nabla.Device;
import dev.nabla.Rng;
import dev.nabla.Tensor;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Minibatches of a {@link Dataset} as tensors on a device. Each {@link #iterator()} is one epoch:
 * with shuffling, the order is a fresh permutation drawn from the loader's {@link Rng}, so a
 * seeded run sees the same batches in every run; without it, the data set order.
 *
 * <p>A {@link Transform} given to the loader (data augmentation) is applied to each example of
 * each batch as it is drawn, in batch order, with random choices from the loader's own
 * augmentation generator; the data set itself is never changed, and labels never are. Evaluate
 * on the data set, not through an augmenting loader: test data are not augmented.
 *
 * <p>Batches are copied to the device as they are drawn and the iterator closes each batch when
 * the next is drawn (and the last when the epoch ends), so an epoch holds one batch at a time.
 * Keep a batch's tensors beyond that by copying them.
 *
 * <pre>{@code
 * DataLoader loader = new DataLoader(train, 32, true, false, new Rng(42), device);
 * for (int epoch = 0; epoch < epochs; epoch++) {
 *     for (Batch b : loader) {
 *         try (Scope s = Nabla.scope()) { ... model.forward(b.x()).softmaxCrossEntropy(b.y()) ... }
 *     }
 * }
 * }</pre>
 */
public final class DataLoader implements Iterable<Batch> {
    private final Dataset data;
    private final int batchSize;
    private final boolean shuffle;
    private final boolean dropLast;
    private final Rng rng;
    private final Device device;
    private final Transform transform;
    private final Rng transformRng;

    /**
     * @param shuffle  draw a new order each epoch from {@code rng}
     * @param dropLast skip the last batch when it is smaller than {@code batchSize}
     * @param rng      the shuffling generator (may be null when not shuffling)
     * @throws IllegalArgumentException if {@code batchSize <= 0}, the data set is empty, or
     *                                  shuffling is asked for without a generator
     */
    public DataLoader(Dataset data, int batchSize, boolean shuffle, boolean dropLast, Rng rng, Device device) {
        this(data, batchSize, shuffle, dropLast, rng, device, null, null);
    }

    /**
     * As above, with {@code transform} applied to every example as batches are drawn.
     *
     * @param transform    the per-example transform (null: none)
     * @param transformRng the generator of its random choices (may be null without a transform)
     * @throws IllegalArgumentException as above, or for a transform without a generator
     */
    public DataLoader(Dataset data, int batchSize, boolean shuffle, boolean dropLast, Rng rng, Device device,
                      Transform transform, Rng transformRng) {
        if (transform != null && transformRng == null) {
            throw new IllegalArgumentException("DataLoader: a transform needs an Rng (for reproducible augmentation)");
        }
        if (batchSize <= 0) {
            throw new IllegalArgumentException("DataLoader: batch size must be at least 1, got " + batchSize);
        }
        if (data.size() == 0) {
            throw new IllegalArgumentException("DataLoader: the data set is empty");
        }
        if (shuffle && rng == null) {
            throw new IllegalArgumentException("DataLoader: shuffling needs an Rng (for reproducible order)");
        }
        this.data = data;
        this.batchSize = batchSize;
        this.shuffle = shuffle;
        this.dropLast = dropLast;
        this.rng = rng;
        this.device = device;
        this.transform = transform;
        this.transformRng = transformRng;
    }

    /** Batches per epoch. */
    public int batchCount() {
        int n = data.size();
        return dropLast ? n / batchSize : (n + batchSize - 1) / batchSize;
    }

    /** Examples per epoch (fewer than the data set with drop-last). */
    public int sampleCount() {
        return dropLast ? batchCount() * batchSize : data.size();
    }

    /** The batch size. */
    public int batchSize() {
        return batchSize;
    }

    /** The order of one epoch (draws from the generator when shuffling). */
    int[] epochOrder() {
        int[] order = new int[data.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        if (shuffle) {
            rng.shuffle(order);
        }
        return order;
    }

    /** One epoch of batches. */
    @Override
    public Iterator<Batch> iterator() {
        int[] order = epochOrder();
        int batches = batchCount();
        return new Iterator<>() {
            private int next;
            private Batch current;

            @Override
            public boolean hasNext() {
                if (next < batches) {
                    return true;
                }
                closeCurrent();
                return false;
            }

            @Override
            public Batch next() {
                if (next >= batches) {
                    closeCurrent();
                    throw new NoSuchElementException("DataLoader: the epoch has " + batches + " batches");
                }
                closeCurrent();
                int from = next * batchSize;
                int to = Math.min(from + batchSize, order.length);
                next++;
                current = load(order, from, to);
                return current;
            }

            private void closeCurrent() {
                if (current != null) {
                    current.close();
                    current = null;
                }
            }
        };
    }

    private Batch load(int[] order, int from, int to) {
        int rows = to - from;
        int[] indices = java.util.Arrays.copyOfRange(order, from, to);
        if (data instanceof TensorDataset td) {
            float[] x = new float[rows * td.featureCount()];
            if (td.isClassification()) {
                int[] y = new int[rows];
                td.gather(order, from, to, x, y, null);
                return batch(x, td.featureCount(), y, null, 0, indices);
            }
            float[] t = new float[rows * td.targetCount()];
            td.gather(order, from, to, x, null, t);
            return batch(x, td.featureCount(), null, t, td.targetCount(), indices);
        }
        Example first = data.get(order[from]);
        int f = first.features().length;
        int tc = first.isClassification() ? 0 : first.target().length;
        float[] x = new float[rows * f];
        int[] y = tc == 0 ? new int[rows] : null;
        float[] t = tc == 0 ? null : new float[rows * tc];
        for (int r = 0; r < rows; r++) {
            Example e = r == 0 ? first : data.get(order[from + r]);
            if (e.features().length != f || e.isClassification() != (tc == 0)
                    || (tc > 0 && e.target().length != tc)) {
                throw new IllegalArgumentException("DataLoader: example " + order[from + r]
                        + " differs in shape from example " + order[from]);
            }
            System.arraycopy(e.features(), 0, x, r * f, f);
            if (y != null) {
                y[r] = e.label();
            } else {
                System.arraycopy(e.target(), 0, t, r * tc, tc);
            }
        }
        return batch(x, f, y, t, tc, indices);
    }

    private Batch batch(float[] x, int features, int[] y, float[] t, int targets, int[] indices) {
        int rows = indices.length;
        if (transform != null) {
            float[] row = new float[features];
            for (int r = 0; r < rows; r++) {
                System.arraycopy(x, r * features, row, 0, features);
                transform.apply(row, transformRng);
                System.arraycopy(row, 0, x, r * features, features);
            }
        }
        Tensor xs = Tensor.of(device, x, rows, features);
        Tensor ys = y != null ? Tensor.of(device, y) : Tensor.of(device, t, rows, targets);
        return new Batch(xs, ys, indices);
    }
}
