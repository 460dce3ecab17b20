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
 */
@State(Scope.Thread)
@Fork(value = 1, jvmArgsAppend = {BenchmarkBase.ADD_MODULES, BenchmarkBase.VECTOR_MODULE, BenchmarkBase.NATIVE_ACCESS})
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
        device = BenchDevices.open(backend, threads);
        return device;
    }
}
