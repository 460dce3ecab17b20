package dev.nabla.backend.contract;

import static dev.nabla.backend.contract.CheckSupport.assertMentions;
import static dev.nabla.backend.contract.CheckSupport.assertMentionsDtype;
import static dev.nabla.backend.contract.CheckSupport.check;
import static dev.nabla.backend.contract.CheckSupport.expectRefused;
import static dev.nabla.backend.contract.CheckSupport.expectThrows;

import dev.nabla.DType;
import dev.nabla.backend.Backend;
import dev.nabla.backend.BackendProvider;
import dev.nabla.backend.BinaryOp;
import dev.nabla.backend.Buffer;
import dev.nabla.backend.ReduceOp;
import dev.nabla.backend.UnaryOp;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/** Bad arguments give the SPI's clear exceptions, never a crash or an index error. */
final class BadInputChecks {

    private BadInputChecks() {
    }

    static List<ContractCheck> all() {
        List<ContractCheck> list = new ArrayList<>();
        list.add(new ContractCheck("bad input: foreign buffers are IllegalArgumentException", BadInputChecks::foreign));
        list.add(new ContractCheck("bad input: closed buffers are IllegalStateException", BadInputChecks::closed));
        list.add(new ContractCheck("bad input: ranges past the end are IllegalArgumentException",
                BadInputChecks::ranges));
        list.add(new ContractCheck("bad input: dtype mismatches are IllegalArgumentException",
                BadInputChecks::mismatch));
        list.add(new ContractCheck("bad input: unsupported dtypes are UnsupportedOperationException naming"
                + " backend, op and dtype", BadInputChecks::unsupported));
        return list;
    }

    /** A buffer no backend made, claiming to belong to {@code backend}. */
    private record StubBuffer(Backend backend, DType dtype, long size) implements Buffer {
        @Override
        public boolean isClosed() {
            return false;
        }

        @Override
        public void close() {
        }
    }

    private static void foreign(Backend backend) {
        try (CheckBuffers s = new CheckBuffers(backend)) {
            Buffer own = s.alloc(DType.FLOAT32, 100);
            Buffer stub = new StubBuffer(backend, DType.FLOAT32, 100);
            rejectsForeign(backend, own, stub, "a Buffer implementation the backend did not make");
        }
        // A second instance of the same provider: its buffers are someone else's too.
        for (BackendProvider p : ServiceLoader.load(BackendProvider.class, backend.getClass().getClassLoader())) {
            if (!p.name().equals(backend.name())) {
                continue;
            }
            Backend other;
            try {
                other = p.open(backend.deviceIndex());
            } catch (IllegalStateException e) {
                return; // the provider opens a device only once: nothing more to check here
            }
            try (CheckBuffers s = new CheckBuffers(backend); Buffer theirs = other.allocate(DType.FLOAT32, 100)) {
                rejectsForeign(backend, s.alloc(DType.FLOAT32, 100), theirs, "a buffer of another " + backend.name()
                        + " backend instance");
            } finally {
                other.close();
            }
            return;
        }
    }

    private static void rejectsForeign(Backend backend, Buffer own, Buffer foreign, String what) {
        expectThrows(IllegalArgumentException.class, "copyToHost from " + what,
                () -> backend.copyToHost(foreign, 0, FloatBuffer.allocate(4)));
        expectThrows(IllegalArgumentException.class, "copyFromHost into " + what,
                () -> backend.copyFromHost(FloatBuffer.allocate(4), foreign, 0));
        expectThrows(IllegalArgumentException.class, "fill of " + what, () -> backend.fill(foreign, 0, 4, 1));
        expectThrows(IllegalArgumentException.class, "unary into " + what,
                () -> backend.unary(UnaryOp.NEG, 0, own, 0, foreign, 0, 4));
        expectThrows(IllegalArgumentException.class, "gemm reading " + what,
                () -> backend.gemm(false, false, 2, 2, 2, 1, own, 0, 2, foreign, 0, 2, 0, own, 10, 2));
        expectThrows(IllegalArgumentException.class, "copy from " + what,
                () -> backend.copy(foreign, 0, new long[] {1}, own, 0, new long[] {1}, new int[] {4}));
    }

    private static void closed(Backend backend) {
        try (CheckBuffers s = new CheckBuffers(backend)) {
            Buffer open = s.alloc(DType.FLOAT32, 100);
            Buffer gone = backend.allocate(DType.FLOAT32, 100);
            gone.close();
            expectThrows(IllegalStateException.class, "copyToHost from a closed buffer",
                    () -> backend.copyToHost(gone, 0, FloatBuffer.allocate(4)));
            expectThrows(IllegalStateException.class, "copyFromHost into a closed buffer",
                    () -> backend.copyFromHost(FloatBuffer.allocate(4), gone, 0));
            expectThrows(IllegalStateException.class, "fill of a closed buffer", () -> backend.fill(gone, 0, 4, 1));
            expectThrows(IllegalStateException.class, "unary reading a closed buffer",
                    () -> backend.unary(UnaryOp.EXP, 0, gone, 0, open, 0, 4));
            expectThrows(IllegalStateException.class, "gemm writing a closed buffer",
                    () -> backend.gemm(false, false, 2, 2, 2, 1, open, 0, 2, open, 4, 2, 0, gone, 0, 2));
            expectThrows(IllegalStateException.class, "reduce reading a closed buffer",
                    () -> backend.reduce(ReduceOp.SUM, gone, 0, 1, 4, 1, open, 0));
        }
    }

    private static void ranges(Backend backend) {
        try (CheckBuffers s = new CheckBuffers(backend)) {
            Buffer b = s.alloc(DType.FLOAT32, 100);
            Buffer out = s.alloc(DType.FLOAT32, 100);
            Buffer ints = s.alloc(DType.INT32, 100);
            expectThrows(IllegalArgumentException.class, "copyToHost past the buffer's end",
                    () -> backend.copyToHost(b, 90, FloatBuffer.allocate(11)));
            expectThrows(IllegalArgumentException.class, "copyFromHost past the buffer's end",
                    () -> backend.copyFromHost(IntBuffer.allocate(6), ints, 95));
            expectThrows(IllegalArgumentException.class, "copyToHost at a negative offset",
                    () -> backend.copyToHost(b, -1, FloatBuffer.allocate(2)));
            expectThrows(IllegalArgumentException.class, "negative offset",
                    () -> backend.fill(b, -1, 2, 0));
            expectThrows(IllegalArgumentException.class, "fill past the end", () -> backend.fill(b, 1, 100, 0));
            expectThrows(IllegalArgumentException.class, "unary output past the end",
                    () -> backend.unary(UnaryOp.NEG, 0, b, 0, out, 50, 51));
            expectThrows(IllegalArgumentException.class, "gemm C past the end",
                    () -> backend.gemm(false, false, 10, 10, 5, 1, b, 0, 5, b, 0, 10, 0, out, 1, 10));
            expectThrows(IllegalArgumentException.class, "gemm A past the end (lda)",
                    () -> backend.gemm(false, false, 10, 5, 5, 1, b, 0, 11, b, 0, 5, 0, out, 0, 5));
            expectThrows(IllegalArgumentException.class, "gemm lda smaller than a row",
                    () -> backend.gemm(false, false, 2, 2, 5, 1, b, 0, 4, b, 0, 2, 0, out, 0, 2));
            expectThrows(IllegalArgumentException.class, "gemmBatched B past the end (batch stride)",
                    () -> backend.gemmBatched(false, false, 2, 2, 2, 1, b, 0, 2, 4, b, 0, 2, 50, 0, out, 0, 2, 4, 3));
            expectThrows(IllegalArgumentException.class, "binary output past the end",
                    () -> backend.binary(BinaryOp.ADD, b, 0, new long[] {1}, b, 0, new long[] {0}, out, 1,
                            new int[] {100}));
            expectThrows(IllegalArgumentException.class, "binary input past the end (strides)",
                    () -> backend.binary(BinaryOp.ADD, b, 0, new long[] {10, 1}, b, 0, new long[] {0, 1}, out, 0,
                            new int[] {10, 11}));
            expectThrows(IllegalArgumentException.class, "binary strides and shape of different rank",
                    () -> backend.binary(BinaryOp.ADD, b, 0, new long[] {1}, b, 0, new long[] {1, 1}, out, 0,
                            new int[] {2, 2}));
            expectThrows(IllegalArgumentException.class, "copy destination past the end",
                    () -> backend.copy(b, 0, new long[] {1, 10}, out, 0, new long[] {11, 1}, new int[] {10, 10}));
            expectThrows(IllegalArgumentException.class, "reduce input past the end",
                    () -> backend.reduce(ReduceOp.SUM, b, 0, 3, 7, 5, out, 0));
            expectThrows(IllegalArgumentException.class, "argMax output past the end",
                    () -> backend.argMax(b, 0, 10, 1, 10, ints, 1));
            expectRefused(IllegalArgumentException.class, "softmax past the end",
                    () -> backend.softmax(false, b, 0, 11, 10, out, 0));
            expectThrows(IllegalArgumentException.class, "cast past the end", () -> backend.cast(b, 1, ints, 0, 100));
            expectRefused(IllegalArgumentException.class, "dropout mask past the end",
                    () -> backend.dropout(0.5, 1, b, 0, out, 0, s.alloc(DType.FLOAT32, 10), 0, 11));
            expectRefused(IllegalArgumentException.class, "sgdStep velocity past the end",
                    () -> backend.sgdStep(b, 0, out, 0, s.alloc(DType.FLOAT32, 10), 0, 11, 0.1, 0.9, 0, 0, false,
                            false));
            expectRefused(IllegalArgumentException.class, "sgdStep without velocity but with momentum",
                    () -> backend.sgdStep(b, 0, out, 0, null, 0, 11, 0.1, 0.9, 0, 0, false, false));
            expectRefused(IllegalArgumentException.class, "adamStep v past the end",
                    () -> backend.adamStep(b, 0, out, 0, b, 0, s.alloc(DType.FLOAT32, 10), 0, 11, 1e-3, 0.9, 0.999,
                            1e-8, 0, false, 1));
            IllegalArgumentException e = expectThrows(IllegalArgumentException.class, "allocate(-1)",
                    () -> backend.allocate(DType.FLOAT32, -1));
            assertMentions("allocate(-1)", e.getMessage(), "-1");
        }
    }

    private static void mismatch(Backend backend) {
        try (CheckBuffers s = new CheckBuffers(backend)) {
            Buffer f = s.alloc(DType.FLOAT32, 100);
            Buffer i = s.alloc(DType.INT32, 100);
            expectThrows(IllegalArgumentException.class, "copyFromHost(FloatBuffer) into an INT32 buffer",
                    () -> backend.copyFromHost(FloatBuffer.allocate(4), i, 0));
            expectThrows(IllegalArgumentException.class, "copyToHost(IntBuffer) from a FLOAT32 buffer",
                    () -> backend.copyToHost(f, 0, IntBuffer.allocate(4)));
            expectThrows(IllegalArgumentException.class, "copy from FLOAT32 to INT32",
                    () -> backend.copy(f, 0, new long[] {1}, i, 0, new long[] {1}, new int[] {4}));
            expectRefused(IllegalArgumentException.class, "softmaxCrossEntropy with FLOAT32 labels",
                    () -> backend.softmaxCrossEntropy(f, 0, f, 50, 2, 3, f, 10, null, 0));
            expectThrows(IllegalArgumentException.class, "argMax into a FLOAT32 output",
                    () -> backend.argMax(f, 0, 2, 3, 1, f, 50));
            if (backend.supports(DType.FLOAT64)) {
                Buffer d = s.alloc(DType.FLOAT64, 100);
                expectThrows(IllegalArgumentException.class, "copyFromHost(DoubleBuffer) into a FLOAT32 buffer",
                        () -> backend.copyFromHost(DoubleBuffer.allocate(4), f, 0));
                expectThrows(IllegalArgumentException.class, "unary FLOAT32 -> FLOAT64",
                        () -> backend.unary(UnaryOp.EXP, 0, f, 0, d, 0, 4));
                expectThrows(IllegalArgumentException.class, "binary FLOAT32 with FLOAT64",
                        () -> backend.binary(BinaryOp.MUL, f, 0, new long[] {1}, d, 0, new long[] {1}, f, 50,
                                new int[] {4}));
                expectThrows(IllegalArgumentException.class, "gemm with FLOAT64 C and FLOAT32 A, B",
                        () -> backend.gemm(false, false, 2, 2, 2, 1, f, 0, 2, f, 4, 2, 0, d, 0, 2));
                expectRefused(IllegalArgumentException.class, "adamStep with FLOAT64 state",
                        () -> backend.adamStep(f, 0, f, 10, d, 0, d, 10, 4, 1e-3, 0.9, 0.999, 1e-8, 0, false, 1));
            }
        }
    }

    private static void unsupported(Backend backend) {
        if (!backend.supports(DType.FLOAT64)) {
            UnsupportedOperationException e = expectThrows(UnsupportedOperationException.class,
                    "allocate FLOAT64 on a backend without it", () -> backend.allocate(DType.FLOAT64, 4).close());
            assertMentions("allocate FLOAT64", e.getMessage(), backend.name());
            assertMentionsDtype("allocate FLOAT64", e.getMessage(), DType.FLOAT64);
        }
        check(backend.supports(DType.FLOAT32) && backend.supports(DType.INT32),
                "%s: FLOAT32 and INT32 are required", backend.name());
        try (CheckBuffers s = new CheckBuffers(backend)) {
            Buffer i = s.alloc(DType.INT32, 100);
            Buffer f = s.alloc(DType.FLOAT32, 100);
            expectUnsupported(backend, "unary", () -> backend.unary(UnaryOp.EXP, 0, i, 0, i, 50, 4));
            expectUnsupportedOrDeclined(backend, "unaryGrad",
                    () -> backend.unaryGrad(UnaryOp.TANH, 0, i, 0, i, 10, i, 20, i, 30, 4));
            expectUnsupported(backend, "gemm", () -> backend.gemm(false, false, 2, 2, 2, 1, i, 0, 2, i, 4, 2, 0, i, 8,
                    2));
            expectUnsupportedOrDeclined(backend, "softmax", () -> backend.softmax(false, i, 0, 2, 3, i, 10));
            expectUnsupportedOrDeclined(backend, "dropout", () -> backend.dropout(0.5, 1, i, 0, i, 10, i, 20, 4));
            expectUnsupportedOrDeclined(backend, "softmaxCrossEntropy",
                    () -> backend.softmaxCrossEntropy(i, 0, i, 50, 2, 3, i, 10, null, 0));
            expectUnsupportedOrDeclined(backend, "sgdStep",
                    () -> backend.sgdStep(i, 0, i, 10, null, 0, 4, 0.1, 0, 0, 0, false, true));
            check(!f.isClosed(), "closed a buffer");
        }
    }

    /** An optional kernel on INT32: refused with an UnsupportedOperationException, or not provided at all. */
    private static void expectUnsupportedOrDeclined(Backend backend, String op, java.util.function.BooleanSupplier call) {
        boolean ran;
        try {
            ran = call.getAsBoolean();
        } catch (UnsupportedOperationException e) {
            String what = op + " on INT32";
            assertMentions(what, e.getMessage(), backend.name(), op);
            assertMentionsDtype(what, e.getMessage(), DType.INT32);
            return;
        }
        check(!ran, "%s on INT32: expected UnsupportedOperationException (or false: not provided), but it ran", op);
    }

    private static void expectUnsupported(Backend backend, String op, Runnable action) {
        String what = op + " on INT32";
        UnsupportedOperationException e = expectThrows(UnsupportedOperationException.class, what, action);
        assertMentions(what, e.getMessage(), backend.name(), op);
        assertMentionsDtype(what, e.getMessage(), DType.INT32);
    }
}
