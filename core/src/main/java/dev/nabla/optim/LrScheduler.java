package dev.nabla.optim;

/**
 * Sets an optimizer's learning rate as a function of a counter {@code t} (epochs or steps, as the
 * caller chooses by when it calls {@link #step()}). At construction {@code t = 0} and the rate is
 * set to {@code lrAt(0)}; the optimizer's rate at that moment is the base rate.
 */
public abstract class LrScheduler {
    protected final Optimizer optimizer;
    protected final double baseLr;
    private long t;

    protected LrScheduler(Optimizer optimizer) {
        this.optimizer = optimizer;
        this.baseLr = optimizer.lr();
    }

    /** The rate at counter {@code t}. */
    protected abstract double lrAt(long t);

    /** Sets the rate for {@code t = 0}; subclass constructors call it last. */
    protected final void start() {
        optimizer.setLr(lrAt(0));
    }

    /** Advances the counter by one and sets the optimizer's rate. */
    public final void step() {
        t++;
        optimizer.setLr(lrAt(t));
    }

    /** The counter (for checkpoints). */
    public final long t() {
        return t;
    }

    /** Restores the counter and sets the matching rate (resuming from a checkpoint). */
    public final void setT(long t) {
        if (t < 0) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": t must be >= 0, got " + t);
        }
        this.t = t;
        optimizer.setLr(lrAt(t));
    }

    /** The rate the schedule started from. */
    public final double baseLr() {
        return baseLr;
    }
}
