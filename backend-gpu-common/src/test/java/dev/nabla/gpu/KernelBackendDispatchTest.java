package dev.nabla.gpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nabla.DType;
import dev.nabla.backend.Backend;
import dev.nabla.backend.BinaryOp;
import dev.nabla.backend.Buffer;
import dev.nabla.backend.ReduceOp;
import dev.nabla.backend.UnaryOp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Argument checks and kernel choice of KernelBackend, on a recording fake device (no GPU). */
class KernelBackendDispatchTest {
    private final FakeDevice device = new FakeDevice(false);
    private final Backend backend = device.backend();

    @Test
    void foreignNullAndClosedBuffersAreRejectedBeforeAnyLaunch() {
        Buffer x = backend.allocate(DType.FLOAT32, 10);
        Buffer other = new FakeDevice(false).backend().allocate(DType.FLOAT32, 10);
        assertThatThrownBy(() -> backend.unary(UnaryOp.EXP, 0, other, 0, x, 0, 10))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unary: x")
                .hasMessageContaining("not allocated by this backend");
        assertThatThrownBy(() -> backend.unary(UnaryOp.EXP, 0, null, 0, x, 0, 10))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("x is null");
        Buffer closed = backend.allocate(DType.FLOAT32, 10);
        closed.close();
        assertThatThrownBy(() -> backend.unary(UnaryOp.EXP, 0, closed, 0, x, 0, 10))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThatThrownBy(() -> backend.unary(UnaryOp.EXP, 0, x, 5, x, 0, 6))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[5, 5 + 6)");
        assertThatThrownBy(() -> backend.copyFromHost(java.nio.FloatBuffer.wrap(new float[3]), x, 9))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[9, 9 + 3)");
        assertThatThrownBy(() -> backend.unary(null, 0, x, 0, x, 0, 10))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unary: op is null");
        assertThatThrownBy(() -> backend.reduce(null, x, 0, 1, 10, 1, x, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("reduce: op is null");
        assertThatThrownBy(() -> backend.copyFromHost(java.nio.IntBuffer.wrap(new int[3], 0, 3), x, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("IntBuffer carries int32");
        assertThat(device.launches).isEmpty();
    }

    @Test
    void unsupportedDtypesNameBackendOpAndDtype() {
        assertThat(backend.supports(DType.FLOAT64)).isFalse();
        assertThatThrownBy(() -> backend.allocate(DType.FLOAT64, 4))
                .isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("fake: allocate: float64 is not supported on fake device");
        Buffer i = backend.allocate(DType.INT32, 4);
        assertThatThrownBy(() -> backend.unary(UnaryOp.NEG, 0, i, 0, i, 0, 4))
                .isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("fake: unary NEG: no kernel for int32");
    }

    @Test
    void badLabelsAreRejectedOnTheHostWithRowAndLabelAndNothingRuns() {
        Buffer logits = backend.allocate(DType.FLOAT32, 6);
        Buffer labels = backend.allocate(DType.INT32, 2);
        Buffer losses = backend.allocate(DType.FLOAT32, 2);
        backend.copyFromHost(java.nio.IntBuffer.wrap(new int[] {1, 3}, 0, 2), labels, 0);
        assertThatThrownBy(() -> backend.softmaxCrossEntropy(logits, 0, labels, 0, 2, 3, losses, 0, null, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("label 3 of row 1 is outside [0, 3)");
        assertThat(device.launches).isEmpty();
    }

    @Test
    void argMaxOfAnEmptyAxisIsRefusedLikeOnTheCpu() {
        Buffer x = backend.allocate(DType.FLOAT32, 1);
        Buffer idx = backend.allocate(DType.INT32, 6);
        assertThatThrownBy(() -> backend.argMax(x, 0, 2, 0, 3, idx, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty axis");
        backend.argMax(x, 0, 0, 0, 3, idx, 0);
        assertThat(device.launches).isEmpty();
    }

    @Test
    void contiguousOperandsTakeTheContiguousKernelAndBroadcastsTheStridedOne() {
        Buffer a = backend.allocate(DType.FLOAT32, 24);
        Buffer b = backend.allocate(DType.FLOAT32, 4);
        Buffer out = backend.allocate(DType.FLOAT32, 24);
        backend.binary(BinaryOp.ADD, a, 0, new long[] {12, 4, 1}, a, 0, new long[] {12, 4, 1}, out, 0, new int[] {2, 3, 4});
        assertThat(device.launches.get(0).kernel()).isEqualTo("binary_contiguous");
        backend.binary(BinaryOp.ADD, a, 0, new long[] {12, 4, 1}, b, 0, new long[] {0, 0, 1}, out, 0, new int[] {2, 3, 4});
        FakeDevice.Launch l = device.launches.get(1);
        assertThat(l.kernel()).isEqualTo("binary_strided");
        // Axes 0 and 1 merge in every operand: rank 2, extents innermost first 4, 6.
        assertThat(l.args()).startsWith(0, ((GpuBuffer) a).memory(), 0L, ((GpuBuffer) b).memory(), 0L,
                ((GpuBuffer) out).memory(), 0L, 24L, 2, 4, 6, 1);
    }

    @Test
    void layoutsOfMoreThanEightAxesAreSplitIntoSeveralLaunches() {
        int[] shape = {2, 2, 2, 2, 2, 2, 2, 2, 2, 2};
        long[] transposed = new long[10];
        for (int d = 0; d < 10; d++) {
            transposed[d] = 1L << d;
        }
        Buffer src = backend.allocate(DType.FLOAT32, 1024);
        Buffer dst = backend.allocate(DType.FLOAT32, 1024);
        backend.copy(src, 0, transposed, dst, 0, KernelStrides.contiguous(shape), shape);
        assertThat(device.launches).hasSize(4).allMatch(l -> l.kernel().equals("copy_strided_u32"));
        Set<Object> srcOffsets = new HashSet<>();
        device.launches.forEach(l -> srcOffsets.add(l.args()[1]));
        assertThat(srcOffsets).containsExactlyInAnyOrder(0L, 1L, 2L, 3L);
    }

    @Test
    void launchesUseWholeWorkGroupsAndOnlyEnumeratedBuilds() {
        Buffer x = backend.allocate(DType.FLOAT32, 100_000);
        Buffer y = backend.allocate(DType.FLOAT32, 100_000);
        Buffer idx = backend.allocate(DType.INT32, 1000);
        backend.unary(UnaryOp.RELU, 0, x, 0, y, 0, 1001);
        backend.reduce(ReduceOp.SUM, x, 0, 10, 5000, 1, y, 0);
        backend.reduce(ReduceOp.MAX, x, 0, 100, 7, 3, y, 0);
        backend.argMax(x, 0, 1000, 100, 1, idx, 0);
        backend.softmax(true, x, 0, 7, 11, y, 0);
        backend.gemm(true, false, 300, 200, 10, 1, x, 0, 300, y, 0, 200, 0, x, 40_000, 200);
        backend.fill(x, 0, 5, 1);
        for (FakeDevice.Launch l : device.launches) {
            for (int d = 0; d < l.global().length; d++) {
                assertThat(l.global()[d] % l.local()[d]).as(l.kernel()).isZero();
            }
        }
        assertThat(device.launches).extracting(FakeDevice.Launch::kernel).containsExactly(
                "unary", "reduce_groups", "reduce_items", "argmax_groups", "softmax_rows", "gemm", "fill_u32");
        assertThat(KernelSources.builds(true)).containsAll(device.loaded);
    }

    @Test
    void gemmUsesVectorLoadsOnlyWhenEveryRowIsSixteenByteAligned() {
        Buffer x = backend.allocate(DType.FLOAT32, 10_000);
        backend.gemm(false, true, 10, 12, 8, 1, x, 4, 8, x, 100, 8, 0, x, 1000, 12);
        backend.gemm(false, true, 10, 12, 8, 1, x, 4, 9, x, 100, 8, 0, x, 1000, 12);
        backend.gemm(false, true, 10, 12, 8, 1, x, 2, 8, x, 100, 8, 0, x, 1000, 12);
        backend.gemmBatched(false, false, 4, 4, 4, 1, x, 0, 4, 18, x, 100, 4, 16, 0, x, 1000, 4, 16, 2);
        backend.gemmBatched(false, false, 4, 4, 4, 1, x, 0, 4, 18, x, 100, 4, 16, 0, x, 1000, 4, 16, 1);
        assertThat(device.launches).extracting(l -> l.defines().get("VEC")).containsExactly("1", "0", "0", "0", "1");
    }

    @Test
    void gemmSplitsGridsThatWouldExceedCudasBlockLimits() {
        Buffer big = backend.allocate(DType.FLOAT32, 5_000_000);
        int tallM = 65535 * 64 + 10;
        backend.gemm(false, false, tallM, 1, 1, 1, big, 0, 1, big, 0, 1, 0, big, 0, 1);
        assertThat(device.launches).hasSize(2);
        FakeDevice.Launch second = device.launches.get(1);
        assertThat(second.global()[1] / second.local()[1]).isEqualTo(1);
        assertThat(second.args()[2]).as("rows of the second launch").isEqualTo(10);
        assertThat(second.args()[7]).as("A offset advanced by the rows done").isEqualTo(65535L * 64);
        device.launches.clear();
        backend.gemmBatched(false, false, 1, 1, 1, 1, big, 0, 1, 1, big, 0, 1, 1, 0, big, 0, 1, 1, 70_000);
        assertThat(device.launches).extracting(l -> l.global()[2]).containsExactly(65535L, 70_000L - 65535);
        assertThat(device.launches).extracting(l -> l.args()[l.args().length - 1]).containsExactly(0, 65535);
    }

    @Test
    void gemmTakesTheLargeTilesOnlyForProblemsThatFillTheDevice(@TempDir Path dir) throws Exception {
        String candidates = GemmConfig.CANDIDATES.stream().map(GemmConfig::toString)
                .collect(java.util.stream.Collectors.joining(","));
        Files.writeString(dir.resolve(GemmTuner.CACHE_FILE), "fake\\ device\\ |\\ driver\\ 1.0\\ |\\ n\\=1024=64x64x16/4x4\n"
                + "fake\\ device\\ |\\ driver\\ 1.0\\ |\\ n\\=1024\\ |\\ candidates=" + candidates + "\n"
                + "fake\\ device\\ |\\ driver\\ 1.0\\ |\\ n\\=4096=128x128x8/8x8\n"
                + "fake\\ device\\ |\\ driver\\ 1.0\\ |\\ n\\=4096\\ |\\ candidates=" + candidates + "\n");
        String oldDir = System.setProperty("nabla.cache.dir", dir.toString());
        String oldTune = System.setProperty("nabla.gpu.autotune", "true");
        try {
            Buffer x = backend.allocate(DType.FLOAT32, 1_000_000);
            backend.gemm(false, false, 128, 128, 8, 1, x, 0, 8, x, 0, 128, 0, x, 0, 128);
            // The fake device has 4 compute units: 8 tiles of 128x128 fill it twice.
            backend.gemm(false, false, 256, 512, 8, 1, x, 0, 8, x, 0, 512, 0, x, 0, 512);
            assertThat(device.launches).extracting(l -> l.defines().get("BM")).containsExactly("64", "128");
            assertThat(backend.report().details().get("gemm")).contains("128x128x8/8x8 (BMxBNxBK/TMxTN) when",
                    "else 64x64x16/4x4", "autotuned earlier");
        } finally {
            restore("nabla.cache.dir", oldDir);
            restore("nabla.gpu.autotune", oldTune);
        }
    }

    @Test
    void aForcedWarpTiledConfigRunsFloat32AndFloat64RunsThePlainKernelOfItsTile() {
        String old = System.setProperty(GemmConfig.FORCE_PROPERTY, "128x128x16/8x8w");
        try {
            FakeDevice fp64 = new FakeDevice(true);
            Backend b = fp64.backend();
            Buffer x = b.allocate(DType.FLOAT32, 100_000);
            Buffer d = b.allocate(DType.FLOAT64, 100_000);
            b.gemm(false, false, 200, 130, 24, 1, x, 0, 24, x, 0, 132, 0, x, 50_000, 132);
            b.gemm(true, true, 200, 130, 24, 1, x, 1, 200, x, 3, 24, 1, x, 50_000, 130);
            b.gemm(false, false, 200, 130, 24, 1, d, 0, 24, d, 0, 130, 0, d, 50_000, 130);
            assertThat(fp64.launches).extracting(l -> l.defines().get("WT")).containsExactly("1", "1", null);
            assertThat(fp64.launches).extracting(l -> l.defines().get("BK")).containsExactly("16", "16", "8");
            assertThat(fp64.launches).extracting(l -> l.defines().get("VEC")).containsExactly("1", "0", "0");
            for (FakeDevice.Launch l : fp64.launches) {
                assertThat(l.local()).containsExactly(16, 16, 1);
                assertThat(l.global()).containsExactly(2 * 16, 2 * 16, 1);
            }
            assertThat(b.report().details().get("gemm")).contains("128x128x16/8x8w", "w: warp-tiled",
                    "forced by nabla.gpu.gemm.tiles=128x128x16/8x8w");
            assertThat(KernelSources.builds(true)).containsAll(fp64.loaded);
        } finally {
            restore(GemmConfig.FORCE_PROPERTY, old);
        }
    }

    private static void restore(String key, String value) {
        if (value == null) {
            System.clearProperty(key);
        } else {
            System.setProperty(key, value);
        }
    }

    @Test
    void gemmChecksEveryOperandExtent() {
        Buffer a = backend.allocate(DType.FLOAT32, 12);
        Buffer c = backend.allocate(DType.FLOAT32, 9);
        assertThatThrownBy(() -> backend.gemm(false, false, 3, 4, 4, 1, a, 0, 4, a, 0, 4, 0, c, 0, 4))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("B (1 x 4x4, ld 4");
        assertThatThrownBy(() -> backend.gemm(false, false, 3, 3, 4, 1, a, 0, 3, a, 0, 3, 0, c, 0, 3))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("leading dimension of A is 3");
        assertThatThrownBy(() -> backend.gemmBatched(false, false, 3, 3, 0, 1, a, 0, 0, 0, a, 0, 3, 0, 0, c, 0, 3, 9, 2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("C (2 x 3x3");
        assertThat(device.launches).isEmpty();
    }

    @Test
    void closedBackendRefusesWork() {
        Buffer x = backend.allocate(DType.FLOAT32, 4);
        backend.close();
        assertThat(x.isClosed()).isTrue();
        assertThatThrownBy(() -> backend.allocate(DType.FLOAT32, 4))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("backend is closed");
        x.close();
        backend.close();
    }
}
