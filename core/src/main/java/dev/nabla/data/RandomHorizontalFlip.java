package dev.nabla.data;

import dev.nabla.Rng;

/**
 * Mirrors an image left to right with probability {@code p}. Only for data whose classes survive
 * mirroring (a photographed cat is still a cat); not for digits or letters, where a mirrored 2 is
 * no 2. Features are one row-major {@code height × width} grey image.
 */
public final class RandomHorizontalFlip implements Transform {
    private final int height;
    private final int width;
    private final double p;

    /**
     * @throws IllegalArgumentException unless the sizes are positive and {@code 0 <= p <= 1}
     */
    public RandomHorizontalFlip(int height, int width, double p) {
        if (height < 1 || width < 1 || !(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("RandomHorizontalFlip: image size must be positive and p in [0, 1], got "
                    + height + "x" + width + ", p " + p);
        }
        this.height = height;
        this.width = width;
        this.p = p;
    }

    @Override
    public void apply(float[] x, Rng rng) {
        if (x.length != height * width) {
            throw new IllegalArgumentException("RandomHorizontalFlip: " + x.length + " features are not a " + height
                    + "x" + width + " image");
        }
        if (rng.nextDouble() < p) {
            flip(x, height, width);
        }
    }

    /** Mirrors the image left to right in place. */
    public static void flip(float[] x, int height, int width) {
        for (int r = 0; r < height; r++) {
            for (int a = r * width, b = a + width - 1; a < b; a++, b--) {
                float t = x[a];
                x[a] = x[b];
                x[b] = t;
            }
        }
    }

    @Override
    public String toString() {
        return "flip";
    }
}
