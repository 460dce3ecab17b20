package dev.nabla.data;

import dev.nabla.Rng;

/**
 * Moves an image by a random whole number of pixels, {@code dx, dy} each uniform in
 * {@code [-maxShift, maxShift]}, filling the pixels uncovered with zeros: a handwritten 3 drawn a
 * pixel to the left is still a 3. Features are one row-major {@code height × width} grey image;
 * apply it to raw pixels (where 0 is the background), before standardising.
 */
public final class RandomShift implements Transform {
    private final int height;
    private final int width;
    private final int maxShift;

    /**
     * @throws IllegalArgumentException unless the sizes are positive and {@code maxShift >= 0}
     */
    public RandomShift(int height, int width, int maxShift) {
        if (height < 1 || width < 1 || maxShift < 0) {
            throw new IllegalArgumentException("RandomShift: image size must be positive and the shift >= 0, got "
                    + height + "x" + width + ", shift " + maxShift);
        }
        this.height = height;
        this.width = width;
        this.maxShift = maxShift;
    }

    @Override
    public void apply(float[] x, Rng rng) {
        if (x.length != height * width) {
            throw new IllegalArgumentException("RandomShift: " + x.length + " features are not a " + height + "x"
                    + width + " image");
        }
        int dx = rng.nextInt(2 * maxShift + 1) - maxShift;
        int dy = rng.nextInt(2 * maxShift + 1) - maxShift;
        shift(x, height, width, dx, dy);
    }

    /**
     * Moves the image {@code dx} pixels right and {@code dy} pixels down (negative: left, up) in
     * place; pixels moved in from outside are 0.
     */
    public static void shift(float[] x, int height, int width, int dx, int dy) {
        if (dx == 0 && dy == 0) {
            return;
        }
        float[] src = x.clone();
        for (int r = 0; r < height; r++) {
            for (int c = 0; c < width; c++) {
                int sr = r - dy;
                int sc = c - dx;
                x[r * width + c] = sr >= 0 && sr < height && sc >= 0 && sc < width ? src[sr * width + sc] : 0f;
            }
        }
    }

    @Override
    public String toString() {
        return "shift=" + maxShift;
    }
}
