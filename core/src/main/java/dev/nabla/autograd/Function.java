package dev.nabla.autograd;

import dev.nabla.Tensor;
import java.util.Arrays;

/**
 * The backward half of one differentiable operation. Each op computes its forward result, creates
 * its {@code Function} with what backward needs, and calls {@link Node#record}.
 *
 * <p>What backward reads from the forward pass goes through {@link #save}: autograd then keeps
 * those tensors alive for backward (even if the forward's own references are closed), checks that
 * nothing modified them in place in between, and releases them when the graph is released. A
 * function therefore never closes anything itself; neither does its {@link #backward}, whose
 * temporaries are freed by the backward pass as soon as the call returns.
 *
 * <p>{@link #backward} is written with {@link Tensor} operations only, so it runs on every backend.
 * It runs with grad mode off. Users may subclass this to define custom differentiable ops.
 */
public abstract class Function {
    private static final SavedTensor[] NONE = {};

    private SavedTensor[] saved = NONE;
    private int savedCount;
    private boolean gradOutputIsOnes;

    /** Op name used in error messages and graph printing, e.g. {@code matmul}. */
    public abstract String name();

    /**
     * Gradients of the loss with respect to each input, given the gradient of the output. Entries
     * for inputs that do not require grad may be null. Each returned gradient has its input's shape.
     */
    public abstract Tensor[] backward(Tensor gradOutput);

    /**
     * Saves {@code t} (may be null) for {@link #backward}; read it there with
     * {@link SavedTensor#get()}. Call it while the op runs (typically from the constructor).
     */
    protected final SavedTensor save(Tensor t) {
        SavedTensor s = new SavedTensor(this, savedCount, t);
        if (savedCount == saved.length) {
            saved = Arrays.copyOf(saved, Math.max(2, savedCount * 2));
        }
        saved[savedCount++] = s;
        return s;
    }

    /**
     * Whether the {@code gradOutput} of the {@link #backward} call now running is the seed of ones
     * that {@code backward()} starts from on a scalar (this op made the loss): a backward may then
     * leave out the product with it. The seed is not written by anything before this call.
     */
    protected final boolean gradOutputIsOnes() {
        return gradOutputIsOnes;
    }

    /** Runs {@link #backward}, telling it whether {@code gradOutput} is the ones seed. */
    final Tensor[] run(Tensor gradOutput, boolean onesSeed) {
        gradOutputIsOnes = onesSeed;
        try {
            return backward(gradOutput);
        } finally {
            gradOutputIsOnes = false;
        }
    }

    /** The graph now holds this function: its saved tensors get their own references and versions. */
    final void holdSaved() {
        for (int i = 0; i < savedCount; i++) {
            saved[i].hold();
        }
    }

    /** The graph is released: the references taken by {@link #holdSaved} are dropped. */
    final void releaseSaved() {
        for (int i = 0; i < savedCount; i++) {
            saved[i].release();
        }
    }

    /** How many tensors this function saved (for error messages). */
    final int savedCount() {
        return savedCount;
    }
}
