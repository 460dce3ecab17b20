package dev.nabla.cpu;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.RecursiveAction;

/**
 * Splits a range over a ForkJoin pool of {@code threads} workers, and only when the work is large:
 * below the grain the caller's thread runs it alone, since per-op overhead is what small networks pay.
 */
final class Parallel implements AutoCloseable {
    /** Elementwise work below this many elements runs on the calling thread. */
    static final int ELEMENTWISE_GRAIN = 1 << 15;

    /** A piece of a range: {@code [from, to)}. */
    @FunctionalInterface
    interface Range {
        void run(int from, int to);
    }

    private final int threads;
    private volatile ForkJoinPool pool;

    Parallel(int threads) {
        this.threads = Math.max(1, threads);
    }

    int threads() {
        return threads;
    }

    private ForkJoinPool pool() {
        ForkJoinPool p = pool;
        if (p == null) {
            synchronized (this) {
                p = pool;
                if (p == null) {
                    ForkJoinPool.ForkJoinWorkerThreadFactory factory = fj -> {
                        var t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(fj);
                        t.setDaemon(true);
                        t.setName("nabla-cpu-" + t.getPoolIndex());
                        return t;
                    };
                    p = new ForkJoinPool(threads, factory, null, false);
                    pool = p;
                }
            }
        }
        return p;
    }

    /**
     * Runs {@code body} over {@code [0, n)} in at most {@link #threads()} contiguous pieces whose
     * bounds are multiples of {@code align}, forking only when {@code work} (a cost estimate, e.g.
     * elements or flops) reaches {@code grain}.
     */
    void forRange(int n, int align, long work, long grain, Range body) {
        int pieces = (int) Math.min(threads, Math.max(1, (long) n / Math.max(1, align)));
        if (pieces <= 1 || work < grain || n <= 1) {
            body.run(0, n);
            return;
        }
        int[] bounds = new int[pieces + 1];
        int units = (n + align - 1) / align;
        for (int p = 0; p <= pieces; p++) {
            bounds[p] = (int) Math.min(n, (long) units * p / pieces * align);
        }
        bounds[pieces] = n;
        // The calling thread runs the first piece itself: one fewer worker to wake (tens of
        // microseconds, which is what a 256^3 GEMM takes on two threads).
        boolean onWorker = ForkJoinTask.inForkJoinPool() && ForkJoinTask.getPool() == pool;
        ForkJoinPool p = onWorker ? null : pool();
        RecursiveAction[] tasks = new RecursiveAction[pieces - 1];
        for (int i = 1; i < pieces; i++) {
            int from = bounds[i];
            int to = bounds[i + 1];
            tasks[i - 1] = new RecursiveAction() {
                @Override
                protected void compute() {
                    if (from < to) {
                        body.run(from, to);
                    }
                }
            };
            if (onWorker) {
                tasks[i - 1].fork();
            } else {
                p.execute(tasks[i - 1]);
            }
        }
        Throwable failure = null;
        try {
            if (bounds[0] < bounds[1]) {
                body.run(bounds[0], bounds[1]);
            }
        } catch (RuntimeException | Error e) {
            failure = e;
        }
        for (int i = tasks.length - 1; i >= 0; i--) {
            try {
                tasks[i].join();
            } catch (RuntimeException | Error e) {
                if (failure == null) {
                    failure = e;
                }
            }
        }
        if (failure instanceof RuntimeException re) {
            throw re;
        } else if (failure instanceof Error err) {
            throw err;
        }
    }

    /** Elementwise helper: {@code [0, n)} split when {@code n} is large. */
    void elementwise(int n, Range body) {
        forRange(n, 1024, n, ELEMENTWISE_GRAIN, body);
    }

    @Override
    public void close() {
        ForkJoinPool p = pool;
        if (p != null) {
            p.shutdown();
        }
    }
}
