package dev.nabla.autograd;

import dev.nabla.Tensor;
import dev.nabla.internal.TensorInternals;

/**
 * A tensor a {@link Function} saved for its backward pass. While the graph holds it, it is a view of
 * its own on the same buffer (so the buffer outlives the forward pass's references) and remembers
 * the buffer's in-place write counter; {@link #get()} refuses a tensor that was modified in place
 * or closed since, as PyTorch's "modified by an inplace operation" check does.
 */
public final class SavedTensor {
    private final Function owner;
    private final int index;
    private Tensor tensor;
    private Tensor held;
    private long version;
    private boolean released;
    private final boolean present;

    SavedTensor(Function owner, int index, Tensor tensor) {
        this.owner = owner;
        this.index = index;
        this.tensor = tensor;
        this.present = tensor != null;
    }

    /**
     * The saved tensor, unchanged since the forward pass.
     *
     * @throws IllegalStateException if it was modified in place, closed, or the graph was released
     */
    public Tensor get() {
        if (!present) {
            return null;
        }
        if (released) {
            throw new IllegalStateException("backward of '" + owner.name() + "': its saved tensors were released "
                    + "by an earlier backward(); call backward(seed, true) to keep the graph");
        }
        Tensor t = held != null ? held : tensor;
        if (t.isClosed()) {
            throw new IllegalStateException("backward of '" + owner.name() + "': " + what(t) + " was closed before "
                    + "backward() (by close() or its scope); run backward() inside the scope that ran the forward pass");
        }
        if (held != null) {
            long now = TensorInternals.hooks().version(held);
            if (now != version) {
                throw new IllegalStateException("backward of '" + owner.name() + "': " + what(t) + " was modified by "
                        + "an in-place operation after the forward pass read it (version " + now + ", saved at version "
                        + version + "); change a copy instead, or change it after backward()");
            }
        }
        return t;
    }

    private String what(Tensor t) {
        return "saved tensor " + (index + 1) + " of " + owner.savedCount() + " (" + t.describe() + ")";
    }

    void hold() {
        if (tensor != null && held == null) {
            held = TensorInternals.hooks().savedView(tensor);
            version = TensorInternals.hooks().version(held);
            tensor = null;
        }
    }

    void release() {
        released = true;
        if (held != null) {
            held.close();
            held = null;
        }
        tensor = null;
    }
}
