package dev.nabla.optim;

/**
 * Cosine decay from the base rate to {@code minLr} over {@code tMax} steps (Loshchilov and Hutter,
 * SGDR, without restarts): {@code lr = minLr + (base − minLr)·(1 + cos(π·t/tMax))/2} for each group's base rate, then
 * {@code minLr} once {@code t >= tMax}.
 */
public final class CosineAnnealing extends LrScheduler {
    private final long tMax;
    private final double minLr;

    public CosineAnnealing(Optimizer optimizer, long tMax, double minLr) {
        super(optimizer);
        if (tMax <= 0 || !(minLr >= 0)) {
            throw new IllegalArgumentException("CosineAnnealing: tMax must be >= 1 and minLr >= 0, got " + tMax
                    + ", " + minLr);
        }
        this.tMax = tMax;
        this.minLr = minLr;
        start();
    }

    @Override
    protected double lrAt(double base, long t) {
        if (t >= tMax) {
            return minLr;
        }
        return minLr + (base - minLr) * (1 + Math.cos(Math.PI * t / tMax)) / 2;
    }
}
