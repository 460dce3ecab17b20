package dev.nabla.optim;

import dev.nabla.Tensor;
import dev.nabla.autograd.GradMode;
import dev.nabla.nn.Module;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Early stopping on a validation set: after each epoch, {@link #update} gets the validation loss;
 * the lowest so far is remembered with a copy of the model's state (parameters and buffers), and
 * once {@code patience} epochs in a row have not improved on it, {@link #shouldStop()} says so.
 * {@link #restoreBest} then puts the best state back, so the model is the one that generalised
 * best, not the last one trained.
 *
 * <pre>{@code
 * EarlyStopping stop = new EarlyStopping(5);
 * for (int epoch = 1; epoch <= epochs && !stop.shouldStop(); epoch++) {
 *     trainOneEpoch();
 *     stop.update(validationLoss(), model);
 * }
 * stop.restoreBest(model);
 * }</pre>
 */
public final class EarlyStopping implements AutoCloseable {
    private final int patience;
    private final LinkedHashMap<String, Tensor> best = new LinkedHashMap<>();
    private double bestLoss = Double.POSITIVE_INFINITY;
    private int bestEpoch;
    private int epochs;

    /**
     * @param patience epochs without improvement before stopping; {@link Integer#MAX_VALUE} never
     *                 stops but still keeps the best state
     * @throws IllegalArgumentException if {@code patience < 1}
     */
    public EarlyStopping(int patience) {
        if (patience < 1) {
            throw new IllegalArgumentException("EarlyStopping: patience must be at least 1 epoch, got " + patience);
        }
        this.patience = patience;
    }

    /**
     * Records one epoch's validation loss; when it is lower than every earlier one, copies the
     * model's state as the best.
     *
     * @return whether training should stop now
     */
    public boolean update(double validationLoss, Module model) {
        epochs++;
        if (validationLoss < bestLoss) {
            bestLoss = validationLoss;
            bestEpoch = epochs;
            copy(model.stateDict(), best);
        }
        return shouldStop();
    }

    /** Whether {@code patience} epochs have passed since the best one. */
    public boolean shouldStop() {
        return bestEpoch > 0 && epochs - bestEpoch >= patience;
    }

    /**
     * Copies the best state back into {@code model}.
     *
     * @throws IllegalStateException if no epoch was recorded with a finite loss
     */
    public void restoreBest(Module model) {
        if (bestEpoch == 0) {
            throw new IllegalStateException("EarlyStopping: no epoch had a finite validation loss; nothing to restore");
        }
        model.loadStateDict(best);
    }

    /**
     * Restores the record of an earlier run (resuming from a checkpoint): epochs seen, the best
     * epoch and its loss, and its state (copied).
     */
    public void restore(int epochsSeen, int bestEpochSeen, double lowestLoss, Map<String, Tensor> bestState) {
        if (epochsSeen < 0 || bestEpochSeen < 0 || bestEpochSeen > epochsSeen || (bestEpochSeen > 0) == bestState.isEmpty()) {
            throw new IllegalArgumentException("EarlyStopping: inconsistent record: " + epochsSeen + " epochs, best "
                    + bestEpochSeen + ", " + bestState.size() + " tensors");
        }
        epochs = epochsSeen;
        bestEpoch = bestEpochSeen;
        bestLoss = bestEpochSeen == 0 ? Double.POSITIVE_INFINITY : lowestLoss;
        close();
        copy(bestState, best);
    }

    private static void copy(Map<String, Tensor> from, LinkedHashMap<String, Tensor> to) {
        try (GradMode.Guard g = GradMode.disable()) {
            for (Map.Entry<String, Tensor> e : from.entrySet()) {
                Tensor src = e.getValue();
                Tensor dst = to.get(e.getKey());
                if (dst == null || !dst.shape().equals(src.shape()) || dst.dtype() != src.dtype()) {
                    if (dst != null) {
                        dst.close();
                    }
                    dst = Tensor.zeros(src.device(), src.dtype(), src.dims()).detachFromScope();
                    to.put(e.getKey(), dst);
                }
                dst.copyFrom(src);
            }
        }
    }

    /** The lowest validation loss recorded (+∞ before any). */
    public double bestLoss() {
        return bestLoss;
    }

    /** The epoch (counting from 1) with the lowest loss; 0 before any. */
    public int bestEpoch() {
        return bestEpoch;
    }

    /** Epochs recorded. */
    public int epochs() {
        return epochs;
    }

    /** The patience. */
    public int patience() {
        return patience;
    }

    /** The best state so far (this object's own copies; empty before any). */
    public Map<String, Tensor> bestState() {
        return Collections.unmodifiableMap(best);
    }

    /** Frees the copies. */
    @Override
    public void close() {
        best.values().forEach(Tensor::close);
        best.clear();
    }
}
