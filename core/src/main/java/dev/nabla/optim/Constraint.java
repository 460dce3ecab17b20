package dev.nabla.optim;

/**
 * A change made to parameters after every optimizer step, such as {@link MaxNorm}: register it
 * with {@link Optimizer#addConstraint} and it runs inside {@link Optimizer#step()}, with grad mode
 * off and temporaries freed, whatever the optimizer.
 */
@FunctionalInterface
public interface Constraint {
    /** Applies the constraint to its parameters, in place. */
    void apply();
}
