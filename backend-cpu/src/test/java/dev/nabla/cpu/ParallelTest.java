package dev.nabla.cpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nabla.DType;
import dev.nabla.backend.Backend;
import dev.nabla.backend.BinaryOp;
import dev.nabla.backend.Buffer;
import dev.nabla.backend.ReduceOp;
import dev.nabla.backend.UnaryOp;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;

/**
 * The contract's sizes stay below the fork threshold, so the split paths are tested here: every
 * kernel gives bit-identical results on one and on three threads (splits never change what an
 * output element sums over), and the splitter covers a range exactly once.
 */
class ParallelTest {

    @Test
    void piecesCoverTheRangeOnceAlignedAndFailuresPropagate() {
        try (Parallel par = new Parallel(3)) {
            AtomicIntegerArray hits = new AtomicIntegerArray(1000);
            par.forRange(1000, 32, Long.MAX_VALUE, 0, (from, to) -> {
                assertThat(from % 32).isZero();
                for (int i = from; i < to; i++) {
                    hits.incrementAndGet(i);
                }
            });
            for (int i = 0; i < 1000; i++) {
                assertThat(hits.get(i)).as("element %d", i).isEqualTo(1);
            }
            assertThatThrownBy(() -> par.forRange(1000, 1, Long.MAX_VALUE, 0, (from, to) -> {
                if (from > 0) {
                    throw new IllegalStateException("piece at " + from);
                }
            })).isInstanceOf(IllegalStateException.class).hasMessageContaining("piece at");
        }
    }

    @Test
    void concurrentAndNestedCallsStillCoverEverything() throws Exception {
        try (Parallel par = new Parallel(2)) {
            AtomicIntegerArray hits = new AtomicIntegerArray(4000);
            Runnable caller = () -> {
                for (int round = 0; round < 200; round++) {
                    par.forRange(2000, 8, Long.MAX_VALUE, 0, (from, to) -> {
                        // nested: runs serially on this thread, and must not deadlock
                        par.forRange(to - from, 1, Long.MAX_VALUE, 0, (f, t) -> {
                            for (int i = from + f; i < from + t; i++) {
                                hits.incrementAndGet(i);
                            }
                        });
                    });
                }
            };
            Thread other = new Thread(() -> {
                for (int round = 0; round < 200; round++) {
                    par.forRange(2000, 8, Long.MAX_VALUE, 0, (from, to) -> {
                        for (int i = from; i < to; i++) {
                            hits.incrementAndGet(2000 + i);
                        }
                    });
                }
            });
            other.start();
            caller.run();
            other.join();
            for (int i = 0; i < 4000; i++) {
                assertThat(hits.get(i)).as("element %d", i).isEqualTo(200);
            }
        }
    }

    @Test
    void everyKernelGivesTheSameBitsOnOneAndThreeThreads() {
        for (DType t : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            same(t, "unary TANH", (b, x) -> b.unary(UnaryOp.TANH, 0, x[0], 0, x[1], 0, N));
            same(t, "unaryGrad SIGMOID", (b, x) -> b.unaryGrad(UnaryOp.SIGMOID, 0, x[0], 0, x[2], 0, x[3], 0, x[1], 0, N));
            same(t, "binary MUL broadcast", (b, x) -> b.binary(BinaryOp.MUL, x[0], 0, new long[] {1000, 1}, x[2], 0,
                    new long[] {0, 1}, x[1], 0, new int[] {N / 1000, 1000}));
            same(t, "reduce SUM rows", (b, x) -> b.reduce(ReduceOp.SUM, x[0], 0, N / 100, 100, 1, x[1], 0));
            same(t, "reduce MAX columns", (b, x) -> b.reduce(ReduceOp.MAX, x[0], 0, 50, N / 5000, 100, x[1], 0));
            same(t, "softmax", (b, x) -> b.softmax(false, x[0], 0, N / 500, 500, x[1], 0));
            same(t, "logSoftmax", (b, x) -> b.softmax(true, x[0], 0, N / 10, 10, x[1], 0));
            same(t, "dropout", (b, x) -> b.dropout(0.3, 99, x[0], 0, x[1], 0, x[2], 0, N));
            same(t, "sgdStep", (b, x) -> b.sgdStep(x[0], 0, x[2], 0, x[1], 0, N, 0.1, 0.9, 0, 1e-4, true, false));
            same(t, "adamStep", (b, x) -> b.adamStep(x[0], 0, x[2], 0, x[1], 0, x[3], 0, N, 1e-3, 0.9, 0.999, 1e-8,
                    0.01, true, 3));
            same(t, "copy transposed", (b, x) -> b.copy(x[0], 0, new long[] {1, 400}, x[1], 0, new long[] {N / 400, 1},
                    new int[] {400, N / 400}));
            same(t, "cast to int32 and back", (b, x) -> {
                try (Buffer ints = b.allocate(DType.INT32, N)) {
                    b.cast(x[0], 0, ints, 0, N);
                    b.cast(ints, 0, x[1], 0, N);
                }
            });
            same(t, "gemm", (b, x) -> b.gemm(false, true, 300, 200, 250, 1.5, x[0], 0, 250, x[2], 0, 250, 0.5, x[1], 0,
                    200));
        }
    }

    private static final int N = 100_000;

    /** Runs {@code op} on fresh copies of the same inputs with 1 and 3 threads and compares every buffer. */
    private static void same(DType t, String what, BiConsumer<Backend, Buffer[]> op) {
        double[][] results = new double[2][];
        int run = 0;
        for (int threads : new int[] {1, 3}) {
            try (CpuBackend b = new CpuBackend(threads, "auto")) {
                SplittableRandom r = new SplittableRandom(7);
                Buffer[] x = new Buffer[4];
                for (int i = 0; i < x.length; i++) {
                    double[] v = new double[N];
                    for (int j = 0; j < N; j++) {
                        v[j] = i == 3 ? r.nextDouble() : 4 * r.nextDouble() - 2; // x[3]: positive (Adam's v)
                    }
                    x[i] = b.allocate(t, N);
                    if (t == DType.FLOAT32) {
                        float[] f = new float[N];
                        for (int j = 0; j < N; j++) {
                            f[j] = (float) v[j];
                        }
                        b.copyFromHost(java.nio.FloatBuffer.wrap(f), x[i], 0);
                    } else {
                        b.copyFromHost(java.nio.DoubleBuffer.wrap(v, 0, N), x[i], 0);
                    }
                }
                op.accept(b, x);
                double[] out = new double[4 * N];
                for (int i = 0; i < x.length; i++) {
                    if (t == DType.FLOAT32) {
                        float[] f = new float[N];
                        b.copyToHost(x[i], 0, java.nio.FloatBuffer.wrap(f));
                        for (int j = 0; j < N; j++) {
                            out[i * N + j] = f[j];
                        }
                    } else {
                        b.copyToHost(x[i], 0, java.nio.DoubleBuffer.wrap(out, i * N, N));
                    }
                    x[i].close();
                }
                results[run++] = out;
            }
        }
        assertThat(results[1]).as(what + " " + t.shortName() + " on 3 threads").isEqualTo(results[0]);
    }
}
