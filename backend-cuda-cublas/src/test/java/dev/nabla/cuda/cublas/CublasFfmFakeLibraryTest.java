package dev.nabla.cuda.cublas;

import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nabla.DType;
import dev.nabla.cuda.GemmArgs;
import dev.nabla.cuda.GemmEngineProvider;
import java.io.File;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The FFM engine end to end against {@code src/test/c/fake_cublas.c}, a libcublas stand-in with
 * cuBLAS's column-major semantics and argument checks on host memory: downcall types, argument
 * order, the row-major mapping for all transposes, batches, FP64, stream and TF32 math mode.
 * Skips where gcc is not on the PATH.
 */
class CublasFfmFakeLibraryTest {
    private static final long STREAM = 0x5eed0L;

    @TempDir
    static Path dir;
    private static CublasLocator.Result library;

    @BeforeAll
    static void buildFakeLibrary() throws Exception {
        Path gcc = onPath("gcc");
        assumeTrue(gcc != null, "gcc is not on the PATH");
        Path module = Path.of(System.getProperty("user.dir"));
        Path so = dir.resolve("libcublas.so.13");
        Process p = new ProcessBuilder(gcc.toString(), "-shared", "-fPIC", "-O1", "-o", so.toString(),
                module.resolve("src/test/c/fake_cublas.c").toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        library = new CublasLocator(List.of(dir), false).locate(Arena.global());
        assertThat(library.found()).as(library.failure()).isTrue();
    }

    @Test
    void engineBindsTheStreamAndTf32AndNamesTheLibrary() throws Throwable {
        try (CublasFfmEngine engine = CublasFfmEngine.create(library, new GemmEngineProvider.Context(STREAM, true, 0))) {
            assertThat(engine.description()).isEqualTo("cuBLAS 13.1.0 via FFM (" + dir.resolve("libcublas.so.13")
                    + "), TF32 tensor-op math (nabla.cuda.tf32=true)");
            assertThat((long) fake("nabla_fake_stream", JAVA_LONG)).isEqualTo(STREAM);
            assertThat((int) fake("nabla_fake_math_mode", JAVA_INT)).isEqualTo(3);
            assertThat((int) fake("nabla_fake_live_handles", JAVA_INT)).isEqualTo(1);
        }
        assertThat((int) fake("nabla_fake_live_handles", JAVA_INT)).as("handle destroyed by close()").isZero();
    }

    @ParameterizedTest(name = "transA={0} transB={1} batch={2} {3}")
    @CsvSource({"false,false,1,FLOAT32", "false,true,1,FLOAT32", "true,false,3,FLOAT32", "true,true,3,FLOAT32",
            "false,true,2,FLOAT64", "true,false,1,FLOAT64"})
    void rowMajorProductsThroughTheFakeLibrary(boolean transA, boolean transB, int batch, DType dtype) {
        int m = 7, n = 5, k = 4, es = dtype.byteSize();
        int lda = (transA ? m : k) + 1, ldb = (transB ? k : n) + 2, ldc = n + 3;
        long sa = (long) (transA ? k : m) * lda, sb = (long) (transB ? n : k) * ldb + 1, sc = (long) m * ldc;
        long offA = 1, offB = 2, offC = 3;
        int sizeA = (int) (offA + sa * batch), sizeB = (int) (offB + sb * batch), sizeC = (int) (offC + sc * batch);
        SplittableRandom r = new SplittableRandom(3);
        double[] a = r.doubles(sizeA, -1, 1).toArray(), b = r.doubles(sizeB, -1, 1).toArray();
        double[] c = r.doubles(sizeC, -1, 1).toArray();
        if (dtype == DType.FLOAT32) {
            // Values exactly representable in float, so the reference below matches to rounding.
            for (double[] v : new double[][] {a, b, c}) {
                for (int i = 0; i < v.length; i++) {
                    v[i] = (float) v[i];
                }
            }
        }
        double alpha = 1.25, beta = -0.5;
        try (Arena arena = Arena.ofConfined();
             CublasFfmEngine engine = CublasFfmEngine.create(library, new GemmEngineProvider.Context(STREAM, false, 0))) {
            MemorySegment ma = segment(arena, a, dtype), mb = segment(arena, b, dtype), mc = segment(arena, c, dtype);
            engine.gemm(new GemmArgs(dtype, transA, transB, m, n, k, alpha, ma.address() + offA * es, lda, sa,
                    mb.address() + offB * es, ldb, sb, beta, mc.address() + offC * es, ldc, sc, batch));
            double[] expected = c.clone();
            for (int s = 0; s < batch; s++) {
                for (int i = 0; i < m; i++) {
                    for (int j = 0; j < n; j++) {
                        double sum = 0;
                        for (int p = 0; p < k; p++) {
                            sum += a[(int) (offA + s * sa + (transA ? (long) p * lda + i : (long) i * lda + p))]
                                    * b[(int) (offB + s * sb + (transB ? (long) j * ldb + p : (long) p * ldb + j))];
                        }
                        int at = (int) (offC + s * sc + (long) i * ldc + j);
                        expected[at] = alpha * sum + beta * c[at];
                    }
                }
            }
            for (int i = 0; i < sizeC; i++) {
                double got = dtype == DType.FLOAT32 ? mc.getAtIndex(JAVA_FLOAT, i) : mc.getAtIndex(JAVA_DOUBLE, i);
                assertThat(got).as("C[%d]", i).isCloseTo(expected[i], within(dtype == DType.FLOAT32 ? 1e-5 : 1e-12));
            }
            assertThat(expected[(int) offC]).isNotEqualTo(c[(int) offC]);
        }
    }

    @Test
    void argumentsCublasRejectsAreNamedErrors() {
        try (Arena arena = Arena.ofConfined();
             CublasFfmEngine engine = CublasFfmEngine.create(library, new GemmEngineProvider.Context(STREAM, false, 0))) {
            MemorySegment m = arena.allocate(64 * 4, 16);
            // lda 1 < k 4: cuBLAS (and the fake) answer CUBLAS_STATUS_INVALID_VALUE.
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> engine.gemm(new GemmArgs(DType.FLOAT32, false, false,
                    4, 4, 4, 1, m.address(), 1, 0, m.address(), 4, 0, 0, m.address(), 4, 0, 1)))
                    .isInstanceOf(IllegalStateException.class).hasMessage("cublasSgemm_v2: CUBLAS_STATUS_INVALID_VALUE");
        }
    }

    private static MemorySegment segment(Arena arena, double[] v, DType dtype) {
        MemorySegment s = arena.allocate((long) v.length * dtype.byteSize(), 16);
        for (int i = 0; i < v.length; i++) {
            if (dtype == DType.FLOAT32) {
                s.setAtIndex(JAVA_FLOAT, i, (float) v[i]);
            } else {
                s.setAtIndex(JAVA_DOUBLE, i, v[i]);
            }
        }
        return s;
    }

    private Object fake(String symbol, java.lang.foreign.ValueLayout result) throws Throwable {
        MemorySegment f = library.lookup().find(symbol).orElseThrow();
        return Linker.nativeLinker().downcallHandle(f, FunctionDescriptor.of(result)).invoke();
    }

    private static Path onPath(String tool) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path p = Path.of(d, tool);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }
}
