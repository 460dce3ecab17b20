package dev.nabla.autograd;

/**
 * Whether operations record the autograd graph on this thread. Off inside {@code Nabla.noGrad()}
 * and while {@code backward()} runs (Nabla does not build graphs of gradients).
 */
public final class GradMode {
    private static final ThreadLocal<int[]> DISABLED = ThreadLocal.withInitial(() -> new int[1]);

    private GradMode() {
    }

    /** Whether ops record gradients right now. */
    public static boolean isEnabled() {
        return DISABLED.get()[0] == 0;
    }

    /**
     * Turns recording off until the returned guard is closed; guards nest.
     * Used as {@code try (var g = GradMode.disable()) { ... }}.
     */
    public static Guard disable() {
        int[] depth = DISABLED.get();
        depth[0]++;
        return new Guard(depth);
    }

    /** Restores recording when closed. */
    public static final class Guard implements AutoCloseable {
        private final int[] depth;
        private boolean closed;

        private Guard(int[] depth) {
            this.depth = depth;
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                depth[0]--;
            }
        }
    }
}
