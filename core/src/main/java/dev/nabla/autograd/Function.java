package dev.nabla.autograd;

import dev.nabla.Tensor;

/**
 * The backward half of one differentiable operation. Each op in {@code dev.nabla.ops} computes its
 * forward result, then (when grad mode is on and an input requires grad) creates its
 * {@code Function} holding whatever the backward pass needs, and calls {@link Node#record}.
 *
 * <p>{@link #backward} is written with {@link Tensor} operations only, so it runs on every backend.
 * It runs with grad mode off. Users may subclass this to define custom differentiable ops.
 */
public abstract class Function {

    /** Op name used in error messages and graph printing, e.g. {@code matmul}. */
    public abstract String name();

    /**
     * Gradients of the loss with respect to each input, given the gradient of the output. Entries
     * for inputs that do not require grad may be null. Each returned gradient has its input's shape.
     */
    public abstract Tensor[] backward(Tensor gradOutput);

    private boolean gradOutputIsOnes;

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

    /** Drops references to saved tensors once the graph is released. */
    protected void release() {
    }

    final void releaseSaved() {
        release();
    }
}
