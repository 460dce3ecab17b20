package dev.nabla.opencl;


import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nabla.DType;
import dev.nabla.backend.Backend;
import dev.nabla.backend.BackendReport;
import dev.nabla.backend.Buffer;
import dev.nabla.backend.contract.BackendContract;
import dev.nabla.backend.contract.ContractCheck;
import dev.nabla.gpu.GemmConfig;
import dev.nabla.testing.HostArrays;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every GEMM tile configuration the autotuner may pick, forced with {@code nabla.gpu.gemm.tiles} on
 * a backend of its own: the contract's GEMM checks (odd shapes, all transposes, padded leading
 * dimensions, offsets, alpha/beta, beta = 0 with NaN in C, k = 0, batches with shared B, float32 and
 * float64), then shapes with several tiles in m, n and k whose operands are 16-byte aligned (the
 * VEC=1 build) with C aligned or not, on every transpose.
 */
class OpenClGemmConfigsTest {

    static Stream<String> candidates() {
        return GemmConfig.CANDIDATES.stream().map(GemmConfig::toString);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("candidates")
    void gemmChecksPassWithTheConfigForced(String tiles) {
        BackendReport r = OpenClTestSupport.report();
        assumeTrue(r.available(), () -> "OpenCL unavailable: " + r.reason());
        String old = System.setProperty(GemmConfig.FORCE_PROPERTY, tiles);
        Backend b;
        try {
            b = new OpenClProvider().open(0);
            // The report makes the backend choose its tiles: while the property is set.
            assertThat(b.report().details().get("gemm")).contains("forced by " + GemmConfig.FORCE_PROPERTY + "=" + tiles);
        } finally {
            if (old == null) {
                System.clearProperty(GemmConfig.FORCE_PROPERTY);
            } else {
                System.setProperty(GemmConfig.FORCE_PROPERTY, old);
            }
        }
        try {
            List<String> ran = new ArrayList<>();
            for (ContractCheck check : BackendContract.checks()) {
                if (!check.name().startsWith("gemm")) {
                    continue;
                }
                try {
                    check.body().accept(b);
                    ran.add(check.name());
                } catch (ContractCheck.Skipped skipped) {
                    assertThat(check.name()).as("only float64 checks may skip: " + skipped.getMessage()).contains("f64");
                }
            }
            assertThat(ran).as("contract GEMM checks run").hasSizeGreaterThanOrEqualTo(7);
            Random rnd = new Random(tiles.hashCode());
            int[][] shapes = {{4, 4, 4}, {129, 131, 17}, {200, 260, 37}, {257, 64, 70}, {64, 128, 24}};
            for (int[] s : shapes) {
                for (int t = 0; t < 4; t++) {
                    boolean ta = (t & 1) != 0, tb = (t & 2) != 0;
                    checkAligned(b, rnd, s[0], s[1], s[2], ta, tb, t % 2 == 0, t < 2 ? 0.0 : -0.5);
                }
            }
        } finally {
            b.close();
        }
    }

    /**
     * A batch of two with A, B (and, if {@code alignedC}, C) rows starting on 16-byte boundaries;
     * beta == 0 runs with NaN in C.
     */
    private static void checkAligned(Backend b, Random rnd, int m, int n, int k, boolean ta, boolean tb,
                                     boolean alignedC, double beta) {
        int batch = 2;
        int lda = round4(ta ? m : k) + 4, ldb = round4(tb ? k : n), ldc = alignedC ? round4(n) : n + 1;
        int offA = 8, offB = 4, offC = alignedC ? 4 : 3;
        long strideA = (long) (ta ? k : m) * lda + 4, strideB = (long) (tb ? n : k) * ldb, strideC = (long) m * ldc + 4;
        float[] a = random(rnd, (int) (offA + strideA * batch));
        float[] bm = random(rnd, (int) (offB + strideB * batch));
        float[] c = random(rnd, (int) (offC + strideC * batch + 4));
        if (beta == 0) {
            for (int p = 0; p < batch; p++) {
                for (int i = 0; i < m; i++) {
                    java.util.Arrays.fill(c, (int) (offC + p * strideC + (long) i * ldc),
                            (int) (offC + p * strideC + (long) i * ldc + n), Float.NaN);
                }
            }
        }
        double alpha = 1.25;
        double[] ref = new double[c.length];
        for (int i = 0; i < c.length; i++) {
            ref[i] = c[i];
        }
        for (int p = 0; p < batch; p++) {
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double acc = 0;
                    for (int q = 0; q < k; q++) {
                        double av = a[(int) (offA + p * strideA + (ta ? (long) q * lda + i : (long) i * lda + q))];
                        double bv = bm[(int) (offB + p * strideB + (tb ? (long) j * ldb + q : (long) q * ldb + j))];
                        acc += av * bv;
                    }
                    int at = (int) (offC + p * strideC + (long) i * ldc + j);
                    ref[at] = alpha * acc + (beta == 0 ? 0 : beta * c[at]);
                }
            }
        }
        try (Buffer da = upload(b, a); Buffer db = upload(b, bm); Buffer dc = upload(b, c)) {
            b.gemmBatched(ta, tb, m, n, k, alpha, da, offA, lda, strideA, db, offB, ldb, strideB, beta, dc, offC, ldc,
                    strideC, batch);
            float[] got = new float[c.length];
            b.copyToHost(dc, 0, HostArrays.wrap(got, 0, got.length));
            double maxDiff = 0, maxRef = 0;
            for (int i = 0; i < ref.length; i++) {
                assertThat(Float.isNaN(got[i])).as("NaN at %d", i).isFalse();
                maxDiff = Math.max(maxDiff, Math.abs(got[i] - ref[i]));
                maxRef = Math.max(maxRef, Math.abs(ref[i]));
            }
            assertThat(maxDiff / maxRef).as("m=%d n=%d k=%d ta=%s tb=%s ldc=%d beta=%s", m, n, k, ta, tb, ldc, beta)
                    .isLessThan(1e-5);
        }
    }

    private static int round4(int x) {
        return (x + 3) / 4 * 4;
    }

    private static float[] random(Random rnd, int size) {
        float[] v = new float[size];
        for (int i = 0; i < size; i++) {
            v[i] = (float) rnd.nextGaussian();
        }
        return v;
    }

    private static Buffer upload(Backend b, float[] v) {
        Buffer buf = b.allocate(DType.FLOAT32, v.length);
        b.copyFromHost(HostArrays.wrap(v, 0, v.length), buf, 0);
        return buf;
    }
}
