package dev.nabla.cuda;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nabla.DType;
import dev.nabla.backend.Backend;
import dev.nabla.backend.BinaryOp;
import dev.nabla.backend.Buffer;
import dev.nabla.backend.ReduceOp;
import dev.nabla.backend.UnaryOp;
import dev.nabla.gpu.GpuDevice;
import dev.nabla.gpu.GpuDeviceInfo;
import dev.nabla.gpu.KernelBackend;
import dev.nabla.gpu.KernelSources;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every launch KernelBackend makes passes arguments whose Java types match the parameters of the
 * kernel in the committed PTX, one for one ({@code .u32/.s32} Integer, {@code .u64/.s64} Long or
 * Memory, {@code .f32} Float, {@code .f64} Double), so {@link KernelParams} packs them where the
 * kernel reads them. Launches are recorded on a device that runs nothing.
 */
class LaunchSignatureTest {
    private static final Pattern ENTRY = Pattern.compile("\\.entry\\s+(\\w+)\\s*\\(([^)]*)\\)");
    private static final Pattern PARAM = Pattern.compile("\\.param\\s+\\.(\\w+)");

    private record Launch(String tag, String kernel, Object[] args) {
    }

    /** Records launches; memory is a handle, nothing runs. */
    private static final class Recorder implements GpuDevice {
        private record Mem(long bytes) implements Memory {
        }

        private record Mod(String tag) implements Module {
        }

        private record Fn(String tag, String name) implements Kernel {
        }

        final List<Launch> launches = new ArrayList<>();
        final GpuDeviceInfo info = new GpuDeviceInfo("recorder", "0", 1L << 34, 1L << 34, true, 8, 1024, 49152,
                Map.of());

        public GpuDeviceInfo info() {
            return info;
        }

        public Memory allocate(long bytes) {
            return new Mem(bytes);
        }

        public void free(Memory memory) {
        }

        public void write(Memory dst, long off, float[] src, int so, int count) {
        }

        public void write(Memory dst, long off, double[] src, int so, int count) {
        }

        public void write(Memory dst, long off, int[] src, int so, int count) {
        }

        public void read(Memory src, long off, float[] dst, int o, int count) {
        }

        public void read(Memory src, long off, double[] dst, int o, int count) {
        }

        public void read(Memory src, long off, int[] dst, int o, int count) {
        }

        public Module load(String file, Map<String, String> defines) {
            return new Mod(new KernelSources.Build(file, defines).tag());
        }

        public Kernel kernel(Module module, String name) {
            return new Fn(((Mod) module).tag(), name);
        }

        public void launch(Kernel kernel, long[] global, long[] local, Object... args) {
            Fn f = (Fn) kernel;
            launches.add(new Launch(f.tag(), f.name(), args.clone()));
        }

        public void synchronize() {
        }

        public void close() {
        }
    }

    /** The parameter types of every entry point of a committed PTX file. */
    private static Map<String, List<String>> entries(String tag) {
        Map<String, List<String>> entries = new HashMap<>();
        Matcher m = ENTRY.matcher(Ptx.text(tag));
        while (m.find()) {
            List<String> types = new ArrayList<>();
            Matcher p = PARAM.matcher(m.group(2));
            while (p.find()) {
                types.add(p.group(1));
            }
            entries.put(m.group(1), types);
        }
        return entries;
    }

    private static String javaType(Object arg) {
        if (arg instanceof GpuDevice.Memory) {
            return "u64";
        }
        if (arg instanceof Integer) {
            return "u32";
        }
        if (arg instanceof Long) {
            return "u64";
        }
        if (arg instanceof Float) {
            return "f32";
        }
        return arg instanceof Double ? "f64" : String.valueOf(arg);
    }

    private static void everyKernel(Backend b, DType t) {
        Buffer x = b.allocate(t, 4096);
        Buffer y = b.allocate(t, 4096);
        Buffer z = b.allocate(t, 4096);
        Buffer i = b.allocate(DType.INT32, 4096);
        b.unary(UnaryOp.RELU, 0, x, 0, y, 0, 100);
        b.unaryGrad(UnaryOp.TANH, 0, x, 0, y, 0, z, 0, x, 0, 100);
        b.binary(BinaryOp.ADD, x, 0, new long[] {1}, y, 0, new long[] {1}, z, 0, new int[] {100});
        b.binary(BinaryOp.MUL, x, 0, new long[] {10, 1}, y, 0, new long[] {0, 1}, z, 0, new int[] {10, 10});
        b.binary(BinaryOp.ADD, i, 0, new long[] {1}, i, 0, new long[] {1}, i, 0, new int[] {100});
        b.binary(BinaryOp.MAX, i, 0, new long[] {10, 1}, i, 0, new long[] {0, 1}, i, 0, new int[] {10, 10});
        b.cast(x, 0, i, 0, 10);
        b.cast(i, 0, x, 0, 10);
        b.dropout(0.5, 7, x, 0, y, 0, z, 0, 100);
        b.sgdStep(x, 0, y, 0, null, 0, 100, 0.1, 0, 0, 0, false, false);
        b.sgdStep(x, 0, y, 0, z, 0, 100, 0.1, 0.9, 0, 1e-4, true, true);
        b.adamStep(x, 0, y, 0, z, 0, z, 100, 100, 1e-3, 0.9, 0.999, 1e-8, 0.01, true, 3);
        b.reduce(ReduceOp.SUM, x, 0, 2, 2000, 1, y, 0);
        b.reduce(ReduceOp.MAX, x, 0, 30, 5, 7, y, 0);
        b.argMax(x, 0, 2, 2000, 1, i, 0);
        b.argMax(x, 0, 30, 5, 7, i, 0);
        b.softmax(false, x, 0, 10, 100, y, 0);
        b.softmaxCrossEntropy(x, 0, i, 0, 10, 100, y, 0, z, 0);
        b.gemm(false, true, 20, 30, 40, 1, x, 0, 40, y, 0, 40, 0.5, z, 0, 30);
        b.gemm(true, false, 21, 31, 41, 1, x, 1, 21, y, 1, 31, 0, z, 1, 31);
        b.fill(x, 0, 100, 1);
        b.fill(i, 0, 100, 1);
        b.copy(x, 0, new long[] {1}, y, 0, new long[] {1}, new int[] {100});
        b.copy(x, 0, new long[] {1, 10}, y, 0, new long[] {10, 1}, new int[] {10, 10});
    }

    @Test
    void everyLaunchMatchesTheKernelsParametersInThePtx() {
        Recorder device = new Recorder();
        Backend backend = new KernelBackend("recorder", 0, device) {
        };
        System.setProperty("nabla.gpu.autotune", "false");
        everyKernel(backend, DType.FLOAT32);
        everyKernel(backend, DType.FLOAT64);
        Buffer f = backend.allocate(DType.FLOAT32, 100);
        Buffer d = backend.allocate(DType.FLOAT64, 100);
        backend.cast(f, 0, d, 0, 10);
        backend.cast(d, 0, f, 0, 10);

        Map<String, Map<String, List<String>>> ptx = new HashMap<>();
        Set<String> seen = new LinkedHashSet<>();
        ByteBuffer scratch = KernelParams.order(ByteBuffer.allocate(KernelParams.CAPACITY));
        for (Launch l : device.launches) {
            List<String> params = ptx.computeIfAbsent(l.tag(), LaunchSignatureTest::entries).get(l.kernel());
            assertThat(params).as("%s in %s.ptx", l.kernel(), l.tag()).isNotNull();
            List<String> passed = new ArrayList<>();
            int end = 0;
            for (int a = 0; a < l.args().length; a++) {
                passed.add(javaType(l.args()[a]));
                int size = params.size() > a && params.get(a).endsWith("64") ? 8 : 4;
                end = (end + size - 1) / size * size + size;
            }
            List<String> expected = params.stream().map(p -> p.replace('s', 'u').replace("b", "u")).toList();
            assertThat(passed).as("arguments of %s (%s)", l.kernel(), l.tag()).isEqualTo(expected);
            assertThat(KernelParams.pack(scratch, l.kernel(), l.args(), m -> 0x1000L)).as("packed size of %s", l.kernel())
                    .isEqualTo(end);
            seen.add(l.tag() + "#" + l.kernel());
        }
        assertThat(seen).as("kernels launched").hasSizeGreaterThan(40);
    }
}
