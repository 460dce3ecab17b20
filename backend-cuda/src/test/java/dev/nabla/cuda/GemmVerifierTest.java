package dev.nabla.cuda;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The check our own CUDA GEMM must pass before it is used, run here on host memory: a correct
 * candidate (summing in another order) passes; one with a wrong transpose, one that reads C when
 * beta is 0, and one that writes past the rows of C are each caught, with a reason that names the problem.
 */
class GemmVerifierTest {

    /** Host memory standing in for device memory. */
    private static final class Mem {
        final float[] data;

        Mem(long floats) {
            data = new float[Math.toIntExact(floats)];
        }
    }

    private interface Gemm {
        void run(GemmVerifier.Problem p, float[] a, float[] b, float[] c);
    }

    private static GemmVerifier.Target target(Gemm candidate) {
        return new GemmVerifier.Target() {
            @Override
            public Object allocate(long floats) {
                return new Mem(floats);
            }

            @Override
            public void write(Object memory, float[] data) {
                System.arraycopy(data, 0, ((Mem) memory).data, 0, data.length);
            }

            @Override
            public float[] read(Object memory, int floats) {
                return java.util.Arrays.copyOf(((Mem) memory).data, floats);
            }

            @Override
            public void candidate(GemmVerifier.Problem p, Object a, Object b, Object c) {
                candidate.run(p, ((Mem) a).data, ((Mem) b).data, ((Mem) c).data);
            }

            @Override
            public void portable(GemmVerifier.Problem p, Object a, Object b, Object c) {
                reference(p, ((Mem) a).data, ((Mem) b).data, ((Mem) c).data, false, false, false, false);
            }

            @Override
            public void free(Object memory) {
            }
        };
    }

    /** Row-major reference in float; the flags inject the faults a broken kernel could have. */
    private static void reference(GemmVerifier.Problem p, float[] a, float[] b, float[] c, boolean reverseSum,
                                  boolean ignoreTransA, boolean alwaysReadC, boolean overrun) {
        boolean ta = p.transA() && !ignoreTransA;
        for (int s = 0; s < p.batch(); s++) {
            for (int r = 0; r < p.m(); r++) {
                for (int j = 0; j < p.n(); j++) {
                    float sum = 0;
                    for (int q = 0; q < p.k(); q++) {
                        int i = reverseSum ? p.k() - 1 - q : q;
                        long ai = p.aOffset() + s * p.strideA() + (ta ? (long) i * p.lda() + r : (long) r * p.lda() + i);
                        long bi = p.bOffset() + s * p.strideB() + (p.transB() ? (long) j * p.ldb() + i : (long) i * p.ldb() + j);
                        sum += a[(int) Math.min(ai, a.length - 1)] * b[(int) bi];
                    }
                    int at = (int) (p.cOffset() + s * p.strideC() + (long) r * p.ldc() + j);
                    float v = p.alpha() * sum;
                    if (p.beta() != 0 || alwaysReadC) {
                        v += p.beta() * c[at];
                    }
                    c[at] = v;
                    if (overrun && j == p.n() - 1 && p.ldc() > p.n()) {
                        c[at + 1] = v;
                    }
                }
            }
        }
    }

    @Test
    void correctKernelSummingInAnotherOrderPasses() {
        String failure = GemmVerifier.verify(target((p, a, b, c) -> reference(p, a, b, c, true, false, false, false)));
        assertThat(failure).isNull();
    }

    @Test
    void wrongTransposeIsCaught() {
        String failure = GemmVerifier.verify(target((p, a, b, c) -> reference(p, a, b, c, false, true, false, false)));
        assertThat(failure).startsWith("disagrees with the portable kernel on TN").contains("relative error");
    }

    @Test
    void readingCWhenBetaIsZeroIsCaught() {
        String failure = GemmVerifier.verify(target((p, a, b, c) -> reference(p, a, b, c, false, false, true, false)));
        assertThat(failure).startsWith("disagrees with the portable kernel on NN m=131").contains("beta=0.0");
    }

    @Test
    void writingOutsideCIsCaught() {
        String failure = GemmVerifier.verify(target((p, a, b, c) -> reference(p, a, b, c, false, false, false, true)));
        assertThat(failure).startsWith("writes outside C on NN m=131");
    }

    @Test
    void aFailingLaunchIsAReasonNotAnException() {
        String failure = GemmVerifier.verify(target((p, a, b, c) -> {
            throw new IllegalStateException("cuLaunchKernel(sgemm_64x64_nn): CUDA_ERROR_LAUNCH_FAILED");
        }));
        assertThat(failure).isEqualTo("failed on NN m=131 n=67 k=45 batch=1 beta=0.0: "
                + "cuLaunchKernel(sgemm_64x64_nn): CUDA_ERROR_LAUNCH_FAILED");
    }

    @Test
    void problemsCoverEveryTransposeAlignmentAndBothTileSizes() {
        var problems = GemmVerifier.problems();
        for (boolean ta : new boolean[] {false, true}) {
            for (boolean tb : new boolean[] {false, true}) {
                assertThat(problems).anyMatch(p -> p.transA() == ta && p.transB() == tb && p.beta() == 0);
                assertThat(problems).anyMatch(p -> p.transA() == ta && p.transB() == tb && p.batch() > 1);
            }
        }
        // The 128x128 kernel runs when a problem has at least two tiles per SM (H100: 132 SMs).
        assertThat(problems).anyMatch(p -> OwnGemm.tile(p.m(), p.n(), p.batch(), 132) == 128);
        assertThat(problems).anyMatch(p -> OwnGemm.tile(p.m(), p.n(), p.batch(), 132) == 64);
        assertThat(problems).anyMatch(p -> p.lda() % 4 != 0 && p.aOffset() % 4 != 0);
        assertThat(problems).anyMatch(p -> p.lda() % 4 == 0 && p.ldb() % 4 == 0 && p.ldc() % 4 == 0);
    }

    @Test
    void vectorFlagsNeedAlignedAddressLeadingDimensionAndStride() {
        GemmArgs aligned = new GemmArgs(dev.nabla.DType.FLOAT32, false, false, 8, 8, 8, 1, 256, 8, 64, 512, 8, 64,
                0, 1024, 8, 64, 1);
        assertThat(OwnGemm.vectorFlags(aligned)).isEqualTo(7);
        GemmArgs mixed = new GemmArgs(dev.nabla.DType.FLOAT32, false, false, 8, 8, 8, 1, 260, 8, 64, 512, 9, 64,
                0, 1024, 8, 62, 1);
        assertThat(OwnGemm.vectorFlags(mixed)).isZero();
    }
}
