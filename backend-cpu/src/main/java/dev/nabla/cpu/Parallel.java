package dev.nabla.cpu;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Splits a range over {@code threads - 1} worker threads plus the calling thread, and only when
 * the work is large: below the grain the caller runs it alone, since per-op overhead is what small
 * networks pay.
 *
 * <p>Not a ForkJoinPool: parked pool workers took ~55 µs to wake on our machines, longer than a
 * 256³ GEMM half or a 32K-element exp takes, so a parallel call was slower than a serial one.
 * Workers here spin for {@code nabla.cpu.spin.us} (default 50) microseconds after their last
 * piece before parking, so the kernels of one training step hand over in about a microsecond,
 * like OpenBLAS's threads. One parallel call runs at a time; a second caller meanwhile (another
 * user thread), or a call from inside a piece, runs serially on its own thread.
 */
final class Parallel implements AutoCloseable {
    /** Elementwise work below this many elements runs on the calling thread. */
    static final int ELEMENTWISE_GRAIN = 1 << 16;
    private static final long SPIN_NANOS = Long.getLong("nabla.cpu.spin.us", 50) * 1000;

    /** A piece of a range: {@code [from, to)}. */
    @FunctionalInterface
    interface Range {
        void run(int from, int to);
    }

    /** One parallel call: pieces are claimed by index until none is left. */
    private static final class Job {
        final int[] bounds;
        final Range body;
        final AtomicInteger next = new AtomicInteger();
        final AtomicInteger done = new AtomicInteger();
        volatile Throwable failure;

        Job(int[] bounds, Range body) {
            this.bounds = bounds;
            this.body = body;
        }

        int pieces() {
            return bounds.length - 1;
        }

        /** Runs pieces until none is left to claim. */
        void work() {
            for (int p = next.getAndIncrement(); p < pieces(); p = next.getAndIncrement()) {
                try {
                    if (bounds[p] < bounds[p + 1]) {
                        body.run(bounds[p], bounds[p + 1]);
                    }
                } catch (Throwable t) {
                    if (failure == null) {
                        failure = t;
                    }
                } finally {
                    done.incrementAndGet();
                }
            }
        }
    }

    private final int threads;
    private final AtomicBoolean busy = new AtomicBoolean();
    private final Thread[] workers;
    private volatile Job job;
    private volatile long generation;
    private volatile boolean closed;

    Parallel(int threads) {
        this.threads = Math.max(1, threads);
        this.workers = new Thread[this.threads - 1];
    }

    int threads() {
        return threads;
    }

    private synchronized void start() {
        for (int i = 0; i < workers.length; i++) {
            if (workers[i] == null) {
                Thread t = new Thread(this::workerLoop, "nabla-cpu-" + (i + 1));
                t.setDaemon(true);
                workers[i] = t;
                t.start();
            }
        }
    }

    private void workerLoop() {
        long seen = generation;
        while (!closed) {
            long spinUntil = System.nanoTime() + SPIN_NANOS;
            while (generation == seen && !closed && System.nanoTime() < spinUntil) {
                Thread.onSpinWait();
                Thread.onSpinWait();
            }
            while (generation == seen && !closed) {
                LockSupport.parkNanos(this, 1_000_000_000L); // unparked by forRange; the timeout is a safety net
            }
            seen = generation;
            Job j = job;
            if (j != null) {
                j.work();
            }
        }
    }

    /**
     * Runs {@code body} over {@code [0, n)} in at most {@link #threads()} contiguous pieces whose
     * bounds are multiples of {@code align}, in parallel only when {@code work} (a cost estimate,
     * e.g. elements or flops) reaches {@code grain}. Returns when every piece has finished; the
     * first exception of a piece is rethrown.
     */
    void forRange(int n, int align, long work, long grain, Range body) {
        int pieces = (int) Math.min(threads, Math.max(1, (long) n / Math.max(1, align)));
        if (pieces <= 1 || work < grain || n <= 1 || closed || !busy.compareAndSet(false, true)) {
            body.run(0, n);
            return;
        }
        try {
            int[] bounds = new int[pieces + 1];
            int units = (n + align - 1) / align;
            for (int p = 0; p <= pieces; p++) {
                bounds[p] = (int) Math.min(n, (long) units * p / pieces * align);
            }
            bounds[pieces] = n;
            if (workers[0] == null) {
                start();
            }
            Job j = new Job(bounds, body);
            job = j;
            generation++; // publishes the job (volatile write after it)
            for (Thread w : workers) {
                LockSupport.unpark(w);
            }
            j.work();
            // Wait for the workers' pieces; after a short spin, yield, so that a worker descheduled
            // by an oversubscribed machine (more threads than free cores) gets the core back.
            long spinUntil = System.nanoTime() + 20_000;
            while (j.done.get() < j.pieces()) {
                if (System.nanoTime() < spinUntil) {
                    Thread.onSpinWait();
                } else {
                    Thread.yield();
                }
            }
            job = null;
            Throwable failure = j.failure;
            if (failure instanceof RuntimeException re) {
                throw re;
            } else if (failure instanceof Error err) {
                throw err;
            } else if (failure != null) {
                throw new IllegalStateException(failure);
            }
        } finally {
            busy.set(false);
        }
    }

    /** Elementwise helper: {@code [0, n)} split when {@code n} is large. */
    void elementwise(int n, Range body) {
        forRange(n, 1024, n, ELEMENTWISE_GRAIN, body);
    }

    @Override
    public void close() {
        closed = true;
        for (Thread w : workers) {
            if (w != null) {
                LockSupport.unpark(w);
            }
        }
    }
}
