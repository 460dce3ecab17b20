package dev.nabla.data;

import dev.nabla.Rng;
import java.util.Objects;

/**
 * A change to one training example's features, made on the fly as {@link DataLoader} draws a
 * batch: data augmentation ({@link RandomShift}, {@link RandomHorizontalFlip},
 * {@link GaussianNoise}) or preprocessing ({@link Standardizer}). A transform sees features only,
 * so labels never change. Random choices come from the generator passed in, the loader's own
 * seeded one, so an augmented run is reproducible from its seed and resumable from that
 * generator's state.
 *
 * <p>Write your own as a lambda: {@code (x, rng) -> { for (int i = 0; i < x.length; i++) x[i] *= 1.1f; }}.
 */
@FunctionalInterface
public interface Transform {
    /** Transforms {@code features} (one example, row-major) in place, drawing random choices from {@code rng}. */
    void apply(float[] features, Rng rng);

    /** This transform, then {@code next}. */
    default Transform andThen(Transform next) {
        Objects.requireNonNull(next, "next");
        return (x, rng) -> {
            apply(x, rng);
            next.apply(x, rng);
        };
    }

    /** The transforms in order (none: the identity). */
    static Transform compose(Transform... transforms) {
        Transform t = (x, rng) -> { };
        for (Transform next : transforms) {
            t = t.andThen(next);
        }
        return t;
    }
}
