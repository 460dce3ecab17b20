package dev.nabla;

import dev.nabla.backend.Buffer;
import java.lang.ref.Cleaner;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A device buffer shared by a tensor and its views, freed when the last of them is closed. If
 * they are all garbage-collected without being closed, a {@link Cleaner} frees the buffer and
 * counts it ({@link Nabla#memory()}): the safety net, not the plan.
 *
 * <p>The net is registered only once a view of the buffer is outside every {@link Scope}
 * ({@link #guard()}): a tensor in an open scope is held by the scope's list, so it cannot be
 * collected before the scope closes it, and a scope dropped without closing has its own net
 * (see {@code Scope}). Registering and clearing a {@link Cleaner} for every temporary cost ~15% of
 * a small network's training step.
 */
final class Storage {
    static final Cleaner CLEANER = Cleaner.create();
    static final AtomicLong FREED_BY_CLEANER = new AtomicLong();

    final Buffer buffer;
    private final Release release;
    private Cleaner.Cleanable cleanable;
    private int refs = 1;
    /**
     * Bumped by every in-place write through any view of this buffer (in-place tensor methods,
     * optimizer steps): autograd compares it with the value a saved tensor recorded, so that backward
     * never silently uses values changed after the forward pass read them.
     */
    private long version;
    /** A zero fill asked for but not yet done ({@link #zeroLater}): elements {@code [zeroFrom, zeroFrom + zeroCount)}. */
    private volatile boolean zeroPending;
    private long zeroFrom;
    private long zeroCount;

    Storage(Buffer buffer) {
        this.buffer = buffer;
        this.release = new Release(buffer);
    }

    /**
     * Asks for elements {@code [from, from + count)} to read as zeros: the fill is done by the next
     * {@link #buffer()} call, unless {@link #takeZeroPending} says the caller overwrites exactly that
     * range anyway (a gradient accumulated into a zeroed {@code grad()} is then a copy, not a fill and
     * an addition).
     */
    synchronized void zeroLater(long from, long count) {
        if (zeroPending && (zeroFrom != from || zeroCount != count)) {
            materialize();
        }
        zeroFrom = from;
        zeroCount = count;
        zeroPending = true;
    }

    /** The buffer, with any pending zero fill done first. */
    Buffer buffer() {
        if (zeroPending) {
            synchronized (this) {
                if (zeroPending) {
                    materialize();
                }
            }
        }
        return buffer;
    }

    /** Whether exactly {@code [from, from + count)} was waiting for a zero fill; the fill is then skipped. */
    synchronized boolean takeZeroPending(long from, long count) {
        if (zeroPending && zeroFrom == from && zeroCount == count) {
            zeroPending = false;
            return true;
        }
        return false;
    }

    private void materialize() {
        buffer.backend().fill(buffer, zeroFrom, zeroCount, 0);
        zeroPending = false;
    }

    /** The in-place write counter (see {@link #version}). */
    long version() {
        return version;
    }

    /** Records an in-place write; single writer per buffer is the rule, so a plain increment is enough. */
    void bumpVersion() {
        version++;
    }

    /** Registers the garbage-collection safety net, once (a view of this buffer has left the scopes). */
    synchronized void guard() {
        if (cleanable == null && refs > 0) {
            cleanable = CLEANER.register(this, release);
        }
    }


    synchronized void retain() {
        if (refs <= 0) {
            throw new IllegalStateException("storage already freed");
        }
        refs++;
    }

    /** Whether exactly one tensor holds this storage. */
    synchronized boolean exclusive() {
        return refs == 1;
    }

    void release() {
        Cleaner.Cleanable c;
        synchronized (this) {
            if (--refs != 0) {
                return;
            }
            c = cleanable;
        }
        release.explicit = true;
        if (c != null) {
            c.clean();
        } else {
            release.run();
        }
    }

    /** The cleaning action; must not reference the Storage itself. */
    private static final class Release implements Runnable {
        private final Buffer buffer;
        volatile boolean explicit;

        Release(Buffer buffer) {
            this.buffer = buffer;
        }

        @Override
        public void run() {
            if (!explicit && !buffer.isClosed()) {
                FREED_BY_CLEANER.incrementAndGet();
            }
            buffer.close();
        }
    }
}
