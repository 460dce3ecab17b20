package dev.nabla.backend;

/**
 * Where an elementwise op is defined and smooth, for the checks that the op tables drive: inputs
 * are drawn from {@code [lo, hi]} (with random signs when {@code bothSigns}); a {@code kink} at 0
 * means the op is not differentiable there, so gradient checks keep inputs away from 0. Backend
 * checks put exact zeros in wherever the domain holds 0, which pins down signed zeros and the
 * convention at kinks (the derivative there is 0, as in PyTorch).
 *
 * @param lo        smallest magnitude (or value, without {@code bothSigns})
 * @param hi        largest magnitude (or value)
 * @param bothSigns draw {@code ±[lo, hi]}
 * @param kink      not differentiable at 0
 */
public record Domain(double lo, double hi, boolean bothSigns, boolean kink) {
    /** Any value in {@code [-4, 4]}. */
    public static final Domain ANY = new Domain(-4, 4, false, false);
    /** {@code [-4, 4]}, with a kink at 0 (relu, abs). */
    public static final Domain KINK = new Domain(-4, 4, false, true);
    /** {@code [0.05, 4]}: logs, roots. */
    public static final Domain POSITIVE = new Domain(0.05, 4, false, false);
    /** {@code ±[0.25, 2]}: denominators. */
    public static final Domain NONZERO = new Domain(0.25, 2, true, false);
    /** {@code [-6, 6]}: exponentials without overflow in float32 checks. */
    public static final Domain MODERATE = new Domain(-6, 6, false, false);

    /** Whether 0 is inside the domain. */
    public boolean holdsZero() {
        return !bothSigns && lo <= 0 && hi >= 0;
    }

    /** The value {@code u ∈ [0, 1)} maps to, with {@code sign} (±1) used when {@code bothSigns}. */
    public double sample(double u, double sign) {
        double v = lo + (hi - lo) * u;
        return bothSigns ? sign * v : v;
    }
}
