package dev.nabla.bench;

import dev.nabla.Device;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What every Nabla benchmark shares: the JVM flags of its forks (the one place they are written
 * for JMH; BUILD.md "JVM flags, in one place"), average time in milliseconds, and the
 * {@code backend} parameter. JMH's annotations are inherited, so subclasses only add their own
 * parameters and methods.
 *
 * <p>{@code backend} lists every backend Nabla has; {@code bench-report} asks the providers
 * first and passes {@code -p backend=...} with the available ones only. Run directly with an
 * unavailable backend, setup fails with the provider's reason.
 *
 * <p>The flags are {@code @Fork(jvmArgs)}, so that {@code -jvmArgsAppend} on JMH's command line
 * adds to them. {@code -jvmArgs} replaces them: a CPU benchmark whose fork then lacks the Vector
 * API fails in setup rather than quietly timing the scalar kernels.
 */
@State(Scope.Thread)
@Fork(value = 1, jvmArgs = {BenchmarkBase.ADD_MODULES, BenchmarkBase.VECTOR_MODULE, BenchmarkBase.NATIVE_ACCESS})
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public abstract class BenchmarkBase {
    static final String ADD_MODULES = "--add-modules";
    static final String VECTOR_MODULE = "jdk.incubator.vector";
    static final String NATIVE_ACCESS = "--enable-native-access=ALL-UNNAMED";
    /** The flags above as one list, for JVMs the report starts itself. */
    public static final String[] JVM_FLAGS = {ADD_MODULES, VECTOR_MODULE, NATIVE_ACCESS};

    /** Backend to run on: {@code cpu}, {@code opencl} or {@code cuda}. */
    @Param({"cpu", "opencl", "cuda"})
    public String backend;

    /** The device of {@link #backend}, opened by the subclass's setup. */
    protected Device device;

    /** Opens {@link #backend} with the default thread count. */
    protected Device open() {
        return open(0);
    }

    /** Opens {@link #backend}; {@code threads > 0} sets the CPU backend's worker count. */
    protected Device open(int threads) {
        checkVectorApi(backend, ModuleLayer.boot().findModule(VECTOR_MODULE).isPresent(),
                System.getProperty("nabla.cpu.gemm"));
        device = BenchDevices.open(backend, threads);
        return device;
    }

    /**
     * Refuses to time the CPU backend in a JVM without the Vector API (its scalar kernels are an
     * order of magnitude slower) unless {@code -Dnabla.cpu.gemm=scalar} asks for them.
     */
    static void checkVectorApi(String backend, boolean vectorModule, String gemmProperty) {
        if ("cpu".equals(backend) && !vectorModule && !"scalar".equals(gemmProperty)) {
            throw new IllegalStateException("this benchmark JVM runs without " + ADD_MODULES + " " + VECTOR_MODULE
                    + ", so the CPU backend would time its scalar kernels: JMH's -jvmArgs replaces the jar's fork"
                    + " flags, so give them again (" + String.join(" ", JVM_FLAGS) + ") or use -jvmArgsAppend;"
                    + " -Dnabla.cpu.gemm=scalar times the scalar kernels on purpose");
        }
    }
}
