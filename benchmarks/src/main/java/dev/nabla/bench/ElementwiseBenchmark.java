package dev.nabla.bench;

import dev.nabla.Nabla;
import dev.nabla.Rng;
import dev.nabla.Scope;
import dev.nabla.Tensor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Memory bandwidth of elementwise ops on float32 vectors, out of place as users write them
 * ({@code x.relu()}, {@code a.add(b)}). The report counts bytes read and written: 8 per element
 * for relu, 12 for add.
 */
public class ElementwiseBenchmark extends BenchmarkBase {
    /** Elements: 1M, 4M, 16M, 64M. */
    @Param({"1048576", "4194304", "16777216", "67108864"})
    public int size;

    private Tensor a;
    private Tensor b;

    /** Bytes one op moves: read and written. */
    public static long bytes(String op, long elements) {
        return switch (op) {
            case "relu" -> 8 * elements;
            case "add" -> 12 * elements;
            default -> throw new IllegalArgumentException("elementwise op '" + op + "': expected relu or add");
        };
    }

    @Setup
    public void setup() {
        open();
        Rng rng = new Rng(3);
        float[] av = new float[size];
        float[] bv = new float[size];
        for (int i = 0; i < size; i++) {
            av[i] = rng.nextFloat() - 0.5f;
            bv[i] = rng.nextFloat() - 0.5f;
        }
        a = Tensor.of(device, av);
        b = Tensor.of(device, bv);
        check(av, bv);
    }

    private void check(float[] av, float[] bv) {
        float[] r;
        float[] s;
        try (Scope scope = Nabla.scope()) {
            r = a.relu().toFloatArray();
            s = a.add(b).toFloatArray();
        }
        for (int i = 0; i < size; i += Math.max(1, size / 997)) {
            if (r[i] != Math.max(av[i], 0f) || s[i] != av[i] + bv[i]) {
                throw new IllegalStateException("elementwise ops on " + device + " are wrong at element " + i
                        + ": relu " + r[i] + ", add " + s[i] + " for inputs " + av[i] + ", " + bv[i]);
            }
        }
    }

    @Benchmark
    public void relu() {
        try (Scope s = Nabla.scope()) {
            a.relu();
            device.synchronize();
        }
    }

    @Benchmark
    public void add() {
        try (Scope s = Nabla.scope()) {
            a.add(b);
            device.synchronize();
        }
    }

    @TearDown
    public void tearDown() {
        a.close();
        b.close();
    }
}
