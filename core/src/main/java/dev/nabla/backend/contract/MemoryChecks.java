package dev.nabla.backend.contract;

import static dev.nabla.backend.contract.CheckSupport.assertClose;
import static dev.nabla.backend.contract.CheckSupport.check;

import dev.nabla.DType;
import dev.nabla.backend.Backend;
import dev.nabla.backend.Buffer;
import dev.nabla.backend.MemoryStats;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** allocate, host copies, fill, strided copy, cast and memory accounting. */
final class MemoryChecks {
    private static final DType[] ALL = DType.values();

    private MemoryChecks() {
    }

    static List<ContractCheck> all() {
        List<ContractCheck> list = new ArrayList<>();
        list.add(new ContractCheck("allocate: sizes, close, zero elements", MemoryChecks::allocate));
        list.add(new ContractCheck("memoryStats: live, peak and buffer counts", MemoryChecks::memoryStats));
        for (DType t : ALL) {
            list.add(new ContractCheck("copyFromHost/copyToHost " + t.shortName() + ": offsets",
                    b -> hostCopies(b, t)));
            list.add(new ContractCheck("fill " + t.shortName(), b -> fill(b, t)));
            list.add(new ContractCheck("copy " + t.shortName() + ": strided, transposed, broadcast, rank 0..4",
                    b -> stridedCopy(b, t)));
        }
        list.add(new ContractCheck("cast: every dtype pair", MemoryChecks::castAllPairs));
        return list;
    }

    private static List<DType> types(Backend backend) {
        List<DType> types = new ArrayList<>();
        for (DType t : ALL) {
            if (t != DType.FLOAT64 || backend.supports(DType.FLOAT64)) {
                types.add(t);
            }
        }
        return types;
    }

    private static void allocate(Backend backend) {
        for (DType t : types(backend)) {
            try (Buffer b = backend.allocate(t, 1000)) {
                check(b.dtype() == t, "allocate(%s): dtype %s", t, b.dtype());
                check(b.size() == 1000, "allocate(%s, 1000): size %d", t, b.size());
                check(b.byteSize() == 1000L * t.byteSize(), "allocate(%s): byteSize %d", t, b.byteSize());
                check(b.backend() == backend, "allocate(%s): backend() is not the allocating backend", t);
                check(!b.isClosed(), "allocate(%s): new buffer is closed", t);
                b.close();
                check(b.isClosed(), "allocate(%s): isClosed() false after close()", t);
                b.close(); // idempotent
            }
            Buffer empty = backend.allocate(t, 0);
            check(empty.size() == 0 || empty.size() == 1, "allocate(%s, 0): size %d", t, empty.size());
            backend.fill(empty, 0, 0, 1.0);
            backend.synchronize();
            empty.close();
        }
    }

    private static void memoryStats(Backend backend) {
        backend.synchronize();
        MemoryStats before = backend.memoryStats();
        Buffer a = backend.allocate(DType.FLOAT32, 1 << 16);
        Buffer b = backend.allocate(DType.INT32, 1000);
        MemoryStats during = backend.memoryStats();
        check(during.liveBuffers() == before.liveBuffers() + 2, "liveBuffers %d after 2 allocations from %d",
                during.liveBuffers(), before.liveBuffers());
        check(during.liveBytes() >= before.liveBytes() + (4L << 16) + 4000,
                "liveBytes %d after allocating %d bytes from %d", during.liveBytes(), (4L << 16) + 4000,
                before.liveBytes());
        check(during.peakBytes() >= during.liveBytes(), "peakBytes %d < liveBytes %d", during.peakBytes(),
                during.liveBytes());
        a.close();
        b.close();
        a.close();
        MemoryStats after = backend.memoryStats();
        check(after.liveBuffers() == before.liveBuffers(), "liveBuffers %d after closing, expected %d",
                after.liveBuffers(), before.liveBuffers());
        check(after.liveBytes() == before.liveBytes(), "liveBytes %d after closing, expected %d",
                after.liveBytes(), before.liveBytes());
        check(after.peakBytes() >= during.liveBytes(), "peakBytes %d forgot the peak %d", after.peakBytes(),
                during.liveBytes());
    }

    private static void hostCopies(Backend backend, DType t) {
        CheckSupport.requireSupport(backend, t);
        SplittableRandom r = CheckSupport.random("hostCopies" + t);
        try (CheckBuffers s = new CheckBuffers(backend)) {
            for (int n : new int[] {1, 3, 17, 1031}) {
                double[] initial = CheckSupport.sentinels(n + 7);
                Buffer buf = s.upload(t, initial);
                double[] values = CheckSupport.uniform(r, t, n, -100, 100);
                final int srcOffset = 2;
                final long dstOffset = 5;
                // Host side with an offset: values[from..n) lands at dstOffset.
                int from = n > srcOffset ? srcOffset : 0;
                int count = n - from;
                switch (t) {
                    case FLOAT32 -> {
                        float[] f = new float[n];
                        for (int i = 0; i < n; i++) {
                            f[i] = (float) values[i];
                        }
                        backend.copyFromHost(FloatBuffer.wrap(f, from, count), buf, dstOffset);
                    }
                    case FLOAT64 -> backend.copyFromHost(DoubleBuffer.wrap(values.clone(), from, count), buf, dstOffset);
                    case INT32 -> {
                        int[] v = new int[n];
                        for (int i = 0; i < n; i++) {
                            v[i] = (int) values[i];
                        }
                        backend.copyFromHost(IntBuffer.wrap(v, from, count), buf, dstOffset);
                    }
                }
                double[] expected = initial.clone();
                System.arraycopy(values, from, expected, (int) dstOffset, count);
                assertClose("copyFromHost " + t.shortName() + " n=" + n, expected, s.read(buf), 0);
                // Device side with an offset, host side with an offset: untouched host elements stay.
                double[] back = readWithHostOffset(backend, buf, t, dstOffset, count, 3);
                for (int i = 0; i < 3; i++) {
                    check(back[i] == -1, "copyToHost %s: host element %d before the offset changed to %s", t, i,
                            back[i]);
                    check(back[3 + count + i] == -1, "copyToHost %s: host element after the range changed", t);
                }
                for (int i = 0; i < count; i++) {
                    check(back[3 + i] == values[from + i], "copyToHost %s n=%d: element %d is %s, expected %s", t,
                            n, i, back[3 + i], values[from + i]);
                }
            }
        }
    }

    private static double[] readWithHostOffset(Backend backend, Buffer buf, DType t, long offset, int count, int pad) {
        double[] out = new double[count + 2 * pad];
        switch (t) {
            case FLOAT32 -> {
                float[] f = new float[out.length];
                java.util.Arrays.fill(f, -1);
                backend.copyToHost(buf, offset, FloatBuffer.wrap(f, pad, count));
                for (int i = 0; i < f.length; i++) {
                    out[i] = f[i];
                }
            }
            case FLOAT64 -> {
                java.util.Arrays.fill(out, -1);
                backend.copyToHost(buf, offset, DoubleBuffer.wrap(out, pad, count));
            }
            case INT32 -> {
                int[] v = new int[out.length];
                java.util.Arrays.fill(v, -1);
                backend.copyToHost(buf, offset, IntBuffer.wrap(v, pad, count));
                for (int i = 0; i < v.length; i++) {
                    out[i] = v[i];
                }
            }
        }
        return out;
    }

    private static void fill(Backend backend, DType t) {
        CheckSupport.requireSupport(backend, t);
        try (CheckBuffers s = new CheckBuffers(backend)) {
            for (int n : new int[] {1, 7, 1000, 4099}) {
                double[] initial = CheckSupport.sentinels(n + 9);
                Buffer buf = s.upload(t, initial);
                double value = t == DType.INT32 ? -7 : -2.5;
                backend.fill(buf, 4, n, value);
                double[] expected = initial.clone();
                java.util.Arrays.fill(expected, 4, 4 + n, value);
                assertClose("fill " + t.shortName() + " n=" + n, expected, s.read(buf), 0);
            }
            Buffer one = s.alloc(t, 3);
            backend.fill(one, 0, 3, 1.75);
            double[] expected = new double[3];
            java.util.Arrays.fill(expected, CheckSupport.round(t, 1.75));
            assertClose("fill " + t.shortName() + " with 1.75 (converted to the dtype)", expected, s.read(one), 0);
        }
    }

    /** One strided-copy case: shape, source strides/offset, destination strides/offset. */
    private record CopyCase(String name, int[] shape, long srcOffset, long[] srcStrides, long dstOffset,
                            long[] dstStrides) {
    }

    private static List<CopyCase> copyCases() {
        List<CopyCase> cases = new ArrayList<>();
        cases.add(new CopyCase("rank 0", new int[0], 3, new long[0], 1, new long[0]));
        cases.add(new CopyCase("rank 1 contiguous", new int[] {1031}, 5, new long[] {1}, 2, new long[] {1}));
        cases.add(new CopyCase("rank 1 every third", new int[] {17}, 1, new long[] {3}, 0, new long[] {1}));
        cases.add(new CopyCase("rank 1 broadcast", new int[] {9}, 4, new long[] {0}, 0, new long[] {1}));
        cases.add(new CopyCase("rank 2 transposed 5x7", new int[] {5, 7}, 0, new long[] {1, 5}, 0,
                new long[] {7, 1}));
        cases.add(new CopyCase("rank 2 transposed 33x65", new int[] {33, 65}, 2, new long[] {1, 33}, 3,
                new long[] {65, 1}));
        cases.add(new CopyCase("rank 2 into strided destination", new int[] {3, 4}, 0, new long[] {4, 1}, 1,
                new long[] {10, 2}));
        cases.add(new CopyCase("rank 2 column broadcast", new int[] {6, 5}, 1, new long[] {1, 0}, 0,
                new long[] {5, 1}));
        cases.add(new CopyCase("rank 3 permuted", new int[] {2, 3, 4}, 0, new long[] {1, 8, 2}, 0,
                new long[] {12, 4, 1}));
        cases.add(new CopyCase("rank 3 two broadcast axes", new int[] {3, 4, 5}, 2, new long[] {0, 1, 0}, 0,
                new long[] {20, 5, 1}));
        cases.add(new CopyCase("rank 4 slice of a larger tensor", new int[] {2, 3, 1, 5}, 7,
                new long[] {120, 20, 5, 2}, 0, new long[] {15, 5, 5, 1}));
        cases.add(new CopyCase("rank 4 size-1 and empty-free axes", new int[] {1, 7, 1, 3}, 0,
                new long[] {0, 3, 0, 1}, 4, new long[] {99, 1, 99, 7}));
        cases.add(new CopyCase("empty shape", new int[] {3, 0, 2}, 0, new long[] {0, 2, 1}, 0,
                new long[] {0, 2, 1}));
        return cases;
    }

    private static long extent(long offset, int[] shape, long[] strides) {
        long max = offset;
        for (int d = 0; d < shape.length; d++) {
            if (shape[d] == 0) {
                return offset + 1;
            }
            max += (long) (shape[d] - 1) * strides[d];
        }
        return max + 1;
    }

    private static void stridedCopy(Backend backend, DType t) {
        CheckSupport.requireSupport(backend, t);
        SplittableRandom r = CheckSupport.random("copy" + t);
        try (CheckBuffers s = new CheckBuffers(backend)) {
            for (CopyCase c : copyCases()) {
                int srcSize = (int) extent(c.srcOffset(), c.shape(), c.srcStrides()) + 2;
                int dstSize = (int) extent(c.dstOffset(), c.shape(), c.dstStrides()) + 2;
                double[] src = CheckSupport.uniform(r, t, srcSize, -1000, 1000);
                double[] dstInit = CheckSupport.sentinels(dstSize);
                Buffer sb = s.upload(t, src);
                Buffer db = s.upload(t, dstInit);
                backend.copy(sb, c.srcOffset(), c.srcStrides().clone(), db, c.dstOffset(), c.dstStrides().clone(),
                        c.shape().clone());
                double[] expected = dstInit.clone();
                Index.forEach(c.shape(), idx -> {
                    long so = c.srcOffset();
                    long d0 = c.dstOffset();
                    for (int d = 0; d < idx.length; d++) {
                        so += idx[d] * c.srcStrides()[d];
                        d0 += idx[d] * c.dstStrides()[d];
                    }
                    expected[(int) d0] = src[(int) so];
                });
                assertClose("copy " + t.shortName() + " " + c.name(), expected, s.read(db), 0);
            }
        }
    }

    private static void castAllPairs(Backend backend) {
        List<DType> types = types(backend);
        double[] values = {0, 1, -1, 2.7, -2.7, 0.5, -0.5, 1e6 + 0.25, -123456.875, 3.999, 7, -8, 65.5, 1e-3};
        try (CheckBuffers s = new CheckBuffers(backend)) {
            for (DType from : types) {
                for (DType to : types) {
                    double[] src = new double[values.length];
                    for (int i = 0; i < values.length; i++) {
                        src[i] = CheckSupport.round(from, values[i]);
                    }
                    double[] withPad = new double[src.length + 3];
                    System.arraycopy(src, 0, withPad, 3, src.length);
                    Buffer sb = s.upload(from, withPad);
                    Buffer db = s.upload(to, CheckSupport.sentinels(src.length + 2));
                    backend.cast(sb, 3, db, 1, src.length);
                    double[] expected = CheckSupport.sentinels(src.length + 2);
                    for (int i = 0; i < src.length; i++) {
                        expected[1 + i] = CheckSupport.round(to, src[i]);
                    }
                    assertClose("cast " + from.shortName() + " -> " + to.shortName(), expected, s.read(db), 0);
                }
            }
        }
    }
}
