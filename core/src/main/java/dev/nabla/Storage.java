package dev.nabla;

import dev.nabla.backend.Buffer;
import java.lang.ref.Cleaner;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A device buffer shared by a tensor and its views, freed when the last of them is closed. If
 * they are all garbage-collected without being closed, a {@link Cleaner} frees the buffer and
 * counts it ({@link Nabla#memory()}): the safety net, not the plan.
 */
final class Storage {
    private static final Cleaner CLEANER = Cleaner.create();
    static final AtomicLong FREED_BY_CLEANER = new AtomicLong();

    final Buffer buffer;
    private final Release release;
    private final Cleaner.Cleanable cleanable;
    private int refs = 1;

    Storage(Buffer buffer) {
        this.buffer = buffer;
        this.release = new Release(buffer);
        this.cleanable = CLEANER.register(this, release);
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
        boolean last;
        synchronized (this) {
            last = --refs == 0;
        }
        if (last) {
            release.explicit = true;
            cleanable.clean();
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
