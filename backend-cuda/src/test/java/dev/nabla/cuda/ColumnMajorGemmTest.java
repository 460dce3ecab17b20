package dev.nabla.cuda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.nabla.DType;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The row-major → column-major mapping handed to cuBLAS: running cuBLAS's documented
 * (column-major) semantics on the mapped parameters must give the row-major product the SPI asks
 * for, for all four transpose combinations, padded leading dimensions, offsets and batches.
 */
class ColumnMajorGemmTest {

    /** Addresses in this test are byte offsets into one host array standing for device memory. */
    private static final int A_AT = 3, B_AT = 5000, C_AT = 11000;

    @ParameterizedTest(name = "transA={0} transB={1}")
    @CsvSource({"false,false", "false,true", "true,false", "true,true"})
    void cublasSemanticsOnMappedArgumentsGiveTheRowMajorProduct(boolean transA, boolean transB) {
        int m = 5, n = 7, k = 3, batch = 3;
        int lda = (transA ? m : k) + 2, ldb = (transB ? k : n) + 1, ldc = n + 3;
        long strideA = (long) (transA ? k : m) * lda + 4, strideB = (long) (transB ? n : k) * ldb, strideC = (long) m * ldc + 1;
        double[] memory = new double[20000];
        SplittableRandom r = new SplittableRandom(7);
        for (int i = 0; i < memory.length; i++) {
            memory[i] = r.nextDouble() * 2 - 1;
        }
        GemmArgs args = new GemmArgs(DType.FLOAT32, transA, transB, m, n, k, 1.5, 4L * A_AT, lda, strideA,
                4L * B_AT, ldb, strideB, -0.5, 4L * C_AT, ldc, strideC, batch);

        double[] expected = memory.clone();
        rowMajorReference(args, expected);
        double[] actual = memory.clone();
        ColumnMajorGemm g = ColumnMajorGemm.of(args);
        cublasReference(g, 1.5, -0.5, actual);

        assertThat(g.m()).isEqualTo(n);
        assertThat(g.n()).isEqualTo(m);
        assertThat(g.transa()).isEqualTo(transB ? ColumnMajorGemm.OP_T : ColumnMajorGemm.OP_N);
        assertThat(g.transb()).isEqualTo(transA ? ColumnMajorGemm.OP_T : ColumnMajorGemm.OP_N);
        // cuBLAS's own argument checks: lda >= rows of its stored A, and so on.
        assertThat(g.lda()).isGreaterThanOrEqualTo(g.transa() == ColumnMajorGemm.OP_N ? g.m() : g.k());
        assertThat(g.ldb()).isGreaterThanOrEqualTo(g.transb() == ColumnMajorGemm.OP_N ? g.k() : g.n());
        assertThat(g.ldc()).isGreaterThanOrEqualTo(g.m());
        for (int i = 0; i < memory.length; i++) {
            assertThat(actual[i]).as("element %d", i).isCloseTo(expected[i], within(1e-12));
        }
        // The product really changed C (the test cannot pass by doing nothing).
        assertThat(expected[C_AT]).isNotEqualTo(memory[C_AT]);
    }

    /** The SPI's definition, row-major. */
    private static void rowMajorReference(GemmArgs g, double[] mem) {
        long a0 = g.a() / 4, b0 = g.b() / 4, c0 = g.c() / 4;
        for (int i = 0; i < g.batch(); i++) {
            for (int row = 0; row < g.m(); row++) {
                for (int col = 0; col < g.n(); col++) {
                    double sum = 0;
                    for (int p = 0; p < g.k(); p++) {
                        double a = mem[(int) (a0 + i * g.strideA() + (g.transA() ? (long) p * g.lda() + row : (long) row * g.lda() + p))];
                        double b = mem[(int) (b0 + i * g.strideB() + (g.transB() ? (long) col * g.ldb() + p : (long) p * g.ldb() + col))];
                        sum += a * b;
                    }
                    int at = (int) (c0 + i * g.strideC() + (long) row * g.ldc() + col);
                    mem[at] = g.alpha() * sum + g.beta() * mem[at];
                }
            }
        }
    }

    /** cublasSgemmStridedBatched as documented: column-major, element (i, j) of X at x[i + j·ldx]. */
    private static void cublasReference(ColumnMajorGemm g, double alpha, double beta, double[] mem) {
        long a0 = g.a() / 4, b0 = g.b() / 4, c0 = g.c() / 4;
        for (int s = 0; s < g.batch(); s++) {
            for (int i = 0; i < g.m(); i++) {
                for (int j = 0; j < g.n(); j++) {
                    double sum = 0;
                    for (int p = 0; p < g.k(); p++) {
                        double a = mem[(int) (a0 + s * g.strideA() + (g.transa() == ColumnMajorGemm.OP_N
                                ? i + (long) p * g.lda() : p + (long) i * g.lda()))];
                        double b = mem[(int) (b0 + s * g.strideB() + (g.transb() == ColumnMajorGemm.OP_N
                                ? p + (long) j * g.ldb() : j + (long) p * g.ldb()))];
                        sum += a * b;
                    }
                    int at = (int) (c0 + s * g.strideC() + i + (long) j * g.ldc());
                    mem[at] = alpha * sum + beta * mem[at];
                }
            }
        }
    }
}
