package dev.nabla.optim;

/**
 * Sets an optimizer's learning rates as a function of a counter {@code t} (epochs or steps, as the
 * caller chooses by when it calls {@link #step()}). Each parameter group keeps its own base rate,
 * the rate it had when the schedule was made, and the schedule maps each base to a rate at
 * {@code t} ({@link #lrAt}): with per-layer rates, every layer's rate follows the same curve from
 * its own start. At construction {@code t = 0} and every group's rate is set to its
 * {@code lrAt(base, 0)}.
 */
public abstract class LrScheduler {
    protected final Optimizer optimizer;
    private final double[] baseLrs;
    private long t;

    protected LrScheduler(Optimizer optimizer) {
        this.optimizer = optimizer;
        this.baseLrs = new double[optimizer.groupCount()];
        for (int g = 0; g < baseLrs.length; g++) {
            baseLrs[g] = optimizer.lr(g);
        }
    }

    /** The rate at counter {@code t} of a group whose base rate is {@code base}. */
    protected abstract double lrAt(double base, long t);

    /** Sets the rates for {@code t = 0}; subclass constructors call it last. */
    protected final void start() {
        apply();
    }

    /** Takes the base rates of {@code other} (a schedule this one wraps) as its own. */
    protected final void useBaseRatesOf(LrScheduler other) {
        System.arraycopy(other.baseLrs, 0, baseLrs, 0, Math.min(baseLrs.length, other.baseLrs.length));
    }

    private void apply() {
        for (int g = 0; g < baseLrs.length; g++) {
            optimizer.setLr(g, lrAt(baseLrs[g], t));
        }
    }

    /** Advances the counter by one and sets every group's rate. */
    public final void step() {
        t++;
        apply();
    }

    /** The counter (for checkpoints). */
    public final long t() {
        return t;
    }

    /** Restores the counter and sets the matching rates (resuming from a checkpoint). */
    public final void setT(long t) {
        if (t < 0) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": t must be >= 0, got " + t);
        }
        this.t = t;
        apply();
    }

    /** The rate group 0 started from. */
    public final double baseLr() {
        return baseLrs[0];
    }

    /** The rate group {@code group} started from. */
    public final double baseLr(int group) {
        return baseLrs[group];
    }
}
