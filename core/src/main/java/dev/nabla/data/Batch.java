package dev.nabla.data;

import dev.nabla.Tensor;

/**
 * A minibatch on a device: features {@code x} {@code [B, F]} float32 and either INT32 labels
 * {@code [B]} or float32 targets {@code [B, T]} in {@code y}. Closing frees both tensors; the
 * {@link DataLoader}'s iterator closes each batch when the next is drawn.
 *
 * @param x       features
 * @param y       labels or targets
 * @param indices the data set indices of the rows, in order
 */
public record Batch(Tensor x, Tensor y, int[] indices) implements AutoCloseable {
    /** Number of rows. */
    public int size() {
        return indices.length;
    }

    @Override
    public void close() {
        x.close();
        y.close();
    }
}
