package dev.nabla.cuda.bench;


import dev.nabla.DType;
import dev.nabla.Device;
import dev.nabla.Nabla;
import dev.nabla.Rng;
import dev.nabla.Scope;
import dev.nabla.Tensor;
import dev.nabla.backend.Backend;
import dev.nabla.backend.Buffer;
import dev.nabla.backend.UnaryOp;
import dev.nabla.cuda.CudaBackend;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * GPU microbenchmarks shipped in the bundle and run by {@code dist/gpu-check.sh}: SGEMM with each
 * GEMM engine, ReLU bandwidth, softmax cross-entropy (the Tensor op forward and backward, and the fused
 * SPI kernel alone), and MLP training steps (forward,
 * backward, SGD). Each measurement warms up first, then times whole calls with
 * {@code synchronize()} + {@code System.nanoTime()} and keeps the median. Results are lines of
 * {@code metric, value, unit, pytorch key, better} (tab-separated) appended to {@code --out}, the same
 * keys {@code dist/bench_torch.py} writes, so the script can put them side by side.
 *
 * <pre>
 * GpuBench --backend cuda [--engines cublas-ffm,jcublas,own,portable] [--sgemm 1024,4096,8192]
 *          [--relu 67108864] [--softmax 8192x1024] [--mlp 784-1024-1024-10:512,4096-4096-4096-10:4096]
 *          [--only sgemm,relu,softmax,mlp,overhead] [--tiny] [--label opencl] [--out results.tsv]
 *          [--profile mlp.jfr] [--profile-seconds 5]
 * </pre>
 * {@code --profile FILE [--profile-seconds 5]} records the first MLP's steps after its measurement with
 * the Flight Recorder ({@link FlightRecording}).
 * {@code overhead} ({@link OverheadBench}, not in the default list) measures the host cost of single
 * calls and splits the first MLP's step into forward and forward+backward.
 * {@code --tiny} shrinks every size for a dry run on a CPU (or POCL) backend. {@code --label} names
 * the backend in metric keys (default: its name); on CUDA it is appended to the engine name.
 */
public final class GpuBench {
    private final Device device;
    private final Backend backend;
    private final String label;
    /** Appended to CUDA engine names in metric keys when {@code --label} is given (e.g. {@code tf32}). */
    private final String engineSuffix;
    private final PrintStream log;
    private final List<String> rows = new ArrayList<>();
    /** Seconds of warm-up calls before each measurement (see {@link #time}). */
    static final double WARMUP_SECONDS = 1.0;
    private double warmupSeconds = WARMUP_SECONDS;

    private GpuBench(Device device, String label, PrintStream log) {
        this.device = device;
        this.backend = device.backend();
        this.label = label == null ? backend.name() : label;
        this.engineSuffix = label == null ? "" : "-" + label;
        this.log = log;
    }

    public static void main(String[] args) throws IOException {
        Options o = Options.parse(args);
        Device device;
        try {
            device = Device.of(o.backend);
        } catch (IllegalStateException | IllegalArgumentException e) {
            System.err.println("GpuBench: " + e.getMessage());
            System.exit(2);
            return;
        }
        GpuBench bench = new GpuBench(device, o.label, System.out);
        if (o.tiny) {
            bench.warmupSeconds = 0.05;
        }
        System.out.println("GpuBench on " + device + (o.tiny ? " (tiny sizes: a dry run, not a measurement)" : ""));
        try {
            if (o.only.contains("sgemm")) {
                bench.sgemm(o.sizes, o.engines);
            }
            if (o.only.contains("relu")) {
                bench.relu(o.reluElements);
            }
            if (o.only.contains("softmax")) {
                bench.softmaxCrossEntropy(o.softmaxRows, o.softmaxCols);
            }
            if (o.only.contains("mlp")) {
                for (int i = 0; i < o.mlps.size(); i++) {
                    bench.mlp(o.mlps.get(i), i == 0 ? o.profile : null, o.profileSeconds);
                }
            }
            if (o.only.contains("overhead")) {
                new OverheadBench(bench, device, bench.label, o.tiny ? 200 : 10_000).run(o.mlps.get(0));
            }
        } finally {
            if (o.out != null) {
                Files.write(o.out, bench.rows, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            }
        }
    }

    void record(String metric, double value, String unit, String torchKey, String better) {
        rows.add(String.join("\t", metric, String.format(Locale.ROOT, "%.4g", value), unit, torchKey, better));
        log.printf(Locale.ROOT, "  %-40s %12.4g %s%n", metric, value, unit);
        log.flush();
    }

    // ------------------------------------------------------------------ sgemm

    private void sgemm(int[] sizes, List<String> engines) {
        List<String> paths = backend instanceof CudaBackend ? engines : List.of(label);
        for (String path : paths) {
            String engine = path + engineSuffix;
            if (backend instanceof CudaBackend cuda) {
                String inUse = cuda.useGemm(path);
                if (!inUse.equals(path)) {
                    log.println("  sgemm " + path + ": skipped, " + cuda.gemmStatus().get(path));
                    continue;
                }
            } else {
                engine = label;
            }
            for (int n : sizes) {
                long elements = (long) n * n;
                try (Buffer a = backend.allocate(DType.FLOAT32, elements);
                     Buffer b = backend.allocate(DType.FLOAT32, elements);
                     Buffer c = backend.allocate(DType.FLOAT32, elements)) {
                    backend.fill(a, 0, elements, 0.5);
                    backend.fill(b, 0, elements, 0.25);
                    double seconds = time(() -> backend.gemm(false, false, n, n, n, 1, a, 0, n, b, 0, n, 0, c, 0, n),
                            n >= 4096 ? 5 : 20);
                    record("sgemm_" + n + "_" + engine, 2.0 * n * n * n / seconds / 1e12, "TFLOP/s", "sgemm_" + n, "higher");
                } catch (RuntimeException e) {
                    log.println("  sgemm " + engine + " n=" + n + ": FAILED " + e.getMessage());
                }
            }
            // Which gemm.cl tiles ran and, when autotuned here, every candidate's GFLOP/s.
            if (!(backend instanceof CudaBackend) || path.equals("portable")) {
                String tiles = backend.report().details().get(backend instanceof CudaBackend ? "gemm portable" : "gemm");
                if (tiles != null) {
                    log.println("  gemm.cl " + engine + ": " + tiles);
                }
            }
        }
        if (backend instanceof CudaBackend cuda) {
            cuda.useGemm("auto");
        }
    }

    // ------------------------------------------------------------------ relu

    private void relu(long count) {
        try (Buffer x = backend.allocate(DType.FLOAT32, count); Buffer y = backend.allocate(DType.FLOAT32, count)) {
            backend.fill(x, 0, count, -0.5);
            double seconds = time(() -> backend.unary(UnaryOp.RELU, 0, x, 0, y, 0, count), 20);
            record("relu_" + mega(count) + "_" + label, 2.0 * 4 * count / seconds / 1e9, "GB/s", "relu_" + mega(count), "higher");
        }
    }

    private static String mega(long count) {
        return count % (1 << 20) == 0 ? count / (1 << 20) + "M" : Long.toString(count);
    }

    // ------------------------------------------------------------------ softmax cross-entropy

    /**
     * Mean softmax cross-entropy, forward and backward through the Tensor API, as PyTorch's
     * {@code F.cross_entropy(logits, labels).backward()} with {@code logits.grad = None} each time; and
     * the fused SPI call alone (losses and gradient rows, no mean, no backward).
     */
    private void softmaxCrossEntropy(int rows, int cols) {
        long count = (long) rows * cols;
        Rng rng = new Rng(1);
        int[] labels = new int[rows];
        for (int i = 0; i < rows; i++) {
            labels[i] = (int) Math.floorMod(rng.nextLong(), cols);
        }
        String key = "softmax_ce_" + rows + "x" + cols;
        try (Tensor logits = Tensor.full(device, 0.1, rows, cols).requiresGrad(true);
             Tensor y = Tensor.of(device, labels)) {
            double seconds = time(() -> {
                logits.clearGrad();
                try (Scope s = Nabla.scope()) {
                    logits.softmaxCrossEntropy(y).backward();
                }
            }, 50);
            record(key + "_" + label, seconds * 1e6, "us (fwd+bwd)", key, "lower");
            logits.clearGrad();
        }
        try (Buffer logits = backend.allocate(DType.FLOAT32, count);
             Buffer lab = backend.allocate(DType.INT32, rows);
             Buffer losses = backend.allocate(DType.FLOAT32, rows);
             Buffer grad = backend.allocate(DType.FLOAT32, count)) {
            backend.fill(logits, 0, count, 0.1);
            backend.copyFromHost(java.nio.IntBuffer.wrap(labels, 0, rows), lab, 0);
            double seconds = time(() -> backend.softmaxCrossEntropy(logits, 0, lab, 0, rows, cols, losses, 0, grad, 0), 50);
            record(key + "_spi_" + label, seconds * 1e6, "us (fused kernel)", key + "_spi", "lower");
        }
    }

    // ------------------------------------------------------------------ MLP training step

    /**
     * {@code 784-1024-1024-10:512}: layer widths, then the batch. With {@code profile}, the measurement
     * is followed by {@code profileSeconds} of steps under a Flight Recorder recording written there.
     */
    private void mlp(String spec, Path profile, double profileSeconds) {
        try (GpuStepMlp m = new GpuStepMlp(device, spec)) {
            double seconds = time(m::step, m.batch() >= 4096 ? 10 : 30);
            record(m.key() + "_" + label, seconds * 1e3, "ms/step", m.key(), "lower");
            if (profile != null) {
                long steps = Math.max(1, Math.round(profileSeconds / seconds));
                String result = FlightRecording.record(profile, () -> {
                    for (long i = 0; i < steps; i++) {
                        m.step();
                        backend.synchronize();
                    }
                });
                log.println("  " + m.key() + ": " + steps + " steps recorded; " + result);
            }
        }
    }

    // ------------------------------------------------------------------ timing

    /**
     * Median seconds of one call: warm-up calls for {@link #WARMUP_SECONDS} (at least 2), then
     * {@code reps} timed calls (fewer past ~3 s), each followed by {@code synchronize()}. The warm-up
     * lets the JIT compile the host path (a fresh JVM interprets it: steps 3 to 32 of an MLP cost
     * 60x the host time of later ones); {@code dist/bench_torch.py} warms up and times the same way.
     */
    double time(Runnable call, int reps) {
        long warmEnd = System.nanoTime() + (long) (warmupSeconds * 1e9);
        for (int i = 0; i < 2 || System.nanoTime() < warmEnd; i++) {
            call.run();
            backend.synchronize();
        }
        double[] t = new double[reps];
        int done = 0;
        long start = System.nanoTime();
        for (; done < reps; done++) {
            long t0 = System.nanoTime();
            call.run();
            backend.synchronize();
            t[done] = (System.nanoTime() - t0) / 1e9;
            if (System.nanoTime() - start > 3_000_000_000L && done >= 2) {
                done++;
                break;
            }
        }
        double[] measured = Arrays.copyOf(t, done);
        Arrays.sort(measured);
        // The median as Python's statistics.median takes it: the mean of the middle two for an even count.
        int mid = measured.length / 2;
        return measured.length % 2 == 1 ? measured[mid] : (measured[mid - 1] + measured[mid]) / 2;
    }

    /** Command-line options. */
    private static final class Options {
        String backend = "cuda";
        String label;
        List<String> engines = List.of("cublas-ffm", "jcublas", "own", "portable");
        int[] sizes = {1024, 4096, 8192};
        long reluElements = 64L << 20;
        int softmaxRows = 8192;
        int softmaxCols = 1024;
        List<String> mlps = List.of("784-1024-1024-10:512", "4096-4096-4096-10:4096");
        List<String> only = List.of("sgemm", "relu", "softmax", "mlp");
        boolean tiny;
        Path out;
        Path profile;
        double profileSeconds = 5;

        static Options parse(String[] args) {
            Options o = new Options();
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                if (a.equals("--tiny")) {
                    o.tiny = true;
                    o.sizes = new int[] {64, 96};
                    o.reluElements = 1 << 16;
                    o.softmaxRows = 64;
                    o.softmaxCols = 32;
                    o.mlps = List.of("16-32-32-10:8", "32-48-48-10:16");
                    continue;
                }
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("GpuBench: " + a + " needs a value");
                }
                String v = args[++i];
                switch (a) {
                    case "--backend" -> o.backend = v;
                    case "--label" -> o.label = v;
                    case "--engines" -> o.engines = List.of(v.split(","));
                    case "--sgemm" -> o.sizes = Arrays.stream(v.split(",")).mapToInt(Integer::parseInt).toArray();
                    case "--relu" -> o.reluElements = Long.parseLong(v);
                    case "--softmax" -> {
                        String[] rc = v.split("x");
                        o.softmaxRows = Integer.parseInt(rc[0]);
                        o.softmaxCols = Integer.parseInt(rc[1]);
                    }
                    case "--mlp" -> o.mlps = List.of(v.split(","));
                    case "--only" -> o.only = List.of(v.split(","));
                    case "--out" -> o.out = Path.of(v);
                    case "--profile" -> o.profile = Path.of(v);
                    case "--profile-seconds" -> o.profileSeconds = Double.parseDouble(v);
                    default -> throw new IllegalArgumentException("GpuBench: unknown option " + a);
                }
            }
            return o;
        }
    }
}
