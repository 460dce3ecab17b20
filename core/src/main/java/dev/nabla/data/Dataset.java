package dev.nabla.data;

/**
 * Examples addressed by index: {@code get(0) ... get(size() - 1)}. {@link DataLoader} draws
 * minibatches from any dataset; {@link TensorDataset} is the in-memory one everything here builds.
 */
public interface Dataset {
    /** Number of examples. */
    int size();

    /**
     * Example {@code index}.
     *
     * @throws IndexOutOfBoundsException unless {@code 0 <= index < size()}
     */
    Example get(int index);
}
