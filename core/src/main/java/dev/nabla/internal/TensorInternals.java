package dev.nabla.internal;

import dev.nabla.Scope;
import dev.nabla.Tensor;
import dev.nabla.autograd.Node;

/**
 * Bridge to {@link Tensor}'s package-private mutators for the autograd package (the JDK's
 * "shared secrets" pattern), so that the graph can be wired without making those mutators public.
 * Not an API: the package is not exported, and it may change in any release.
 */
public final class TensorInternals {

    /** What the autograd engine may do to a tensor. */
    public interface Hooks {
        /** Marks {@code t} as the output of {@code node}. */
        void setGradFn(Tensor t, Node node);

        /** Adds {@code g} into the leaf's {@code grad()} (a copy when the leaf has none yet). */
        void accumulateGrad(Tensor leaf, Tensor g);

        /**
         * Makes {@code g} itself the leaf's {@code grad()}, without a copy, when the leaf has none yet
         * and {@code g} is open, contiguous from offset 0, matches the leaf, and is the only tensor on
         * its storage; returns whether it did. The caller must own {@code g} and not close it after.
         */
        boolean adoptGrad(Tensor leaf, Tensor g);

        /** The in-place write counter of {@code t}'s buffer (shared by all its views). */
        long version(Tensor t);

        /** Records an in-place write into {@code t}'s buffer. */
        void markModified(Tensor t);

        /** A new view of {@code t} for a saved tensor: same buffer, registered like any new tensor. */
        Tensor savedView(Tensor t);

        /** Makes the calling thread the owner of the leaf's gradient (see {@code Optimizer#useFromThisThread}). */
        void takeGradOwnership(Tensor leaf);

        /** Whether the leaf has post-accumulate hooks. */
        boolean hasPostAccumulateHooks(Tensor leaf);

        /** Runs the leaf's post-accumulate hooks. */
        void runPostAccumulateHooks(Tensor leaf);

        /**
         * Opens a scope that closes every tensor created on this thread while it is the innermost,
         * except those it keeps; for temporaries of the library's own code (no garbage-collection net
         * is registered, so it must be closed in a finally block or try-with-resources).
         */
        Scope openTemporaryScope();
    }

    private static volatile Hooks hooks;

    private TensorInternals() {
    }

    /** Called once by {@link Tensor}'s static initialiser. */
    public static void install(Hooks h) {
        if (hooks != null) {
            throw new IllegalStateException("TensorInternals already installed");
        }
        hooks = h;
    }

    /** The installed hooks (initialising {@link Tensor} if needed). */
    public static Hooks hooks() {
        Hooks h = hooks;
        if (h == null) {
            try {
                Class.forName(Tensor.class.getName(), true, Tensor.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException(e);
            }
            h = hooks;
        }
        return h;
    }
}
