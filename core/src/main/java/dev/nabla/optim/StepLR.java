package dev.nabla.optim;

/** Multiplies the rate by {@code gamma} every {@code stepSize} steps: {@code lr = base · gamma^⌊t / stepSize⌋}. */
public final class StepLR extends LrScheduler {
    private final int stepSize;
    private final double gamma;

    public StepLR(Optimizer optimizer, int stepSize, double gamma) {
        super(optimizer);
        if (stepSize <= 0 || !(gamma > 0)) {
            throw new IllegalArgumentException("StepLR: stepSize must be >= 1 and gamma > 0, got " + stepSize + ", "
                    + gamma);
        }
        this.stepSize = stepSize;
        this.gamma = gamma;
        start();
    }

    @Override
    protected double lrAt(double base, long t) {
        return base * Math.pow(gamma, (double) (t / stepSize));
    }
}
