package dev.nabla.optim;

/**
 * Ramps the rate linearly up to the base rate over the first {@code warmup} steps
 * ({@code base·(t+1)/warmup}), then hands over to another schedule, whose own counter starts at 0
 * when the warm-up ends. Call {@link #step()} on this wrapper only, not on the wrapped schedule.
 */
public final class LinearWarmup extends LrScheduler {
    private final int warmup;
    private final LrScheduler after;

    /** Warm-up, then a constant rate. */
    public LinearWarmup(Optimizer optimizer, int warmup) {
        this(optimizer, warmup, null);
    }

    /** Warm-up, then {@code after} (which must drive the same optimizer; null for a constant rate). */
    public LinearWarmup(Optimizer optimizer, int warmup, LrScheduler after) {
        super(optimizer);
        if (warmup <= 0) {
            throw new IllegalArgumentException("LinearWarmup: warm-up length must be >= 1, got " + warmup);
        }
        if (after != null && after.optimizer != optimizer) {
            throw new IllegalArgumentException("LinearWarmup: the wrapped schedule drives another optimizer");
        }
        this.warmup = warmup;
        this.after = after;
        if (after != null) {
            useBaseRatesOf(after);
        }
        start();
    }

    @Override
    protected double lrAt(double base, long t) {
        if (t < warmup) {
            return base * (t + 1) / warmup;
        }
        return after == null ? base : after.lrAt(base, t - warmup);
    }
}
