package dev.nabla.bench.report;

import dev.nabla.bench.ElementwiseBenchmark;
import dev.nabla.bench.GemmShape;
import dev.nabla.bench.GradientBenchmark;
import dev.nabla.bench.BenchModel;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The report's tables, computed from JMH measurements and the Python baseline. Ratios against a
 * library are speeds: its time divided by ours (above 1: Nabla is faster). A CPU row is compared
 * with the library at the same thread count; a GPU row with PyTorch on the GPU ({@code torch-cuda})
 * and with numpy at its most threads.
 */
final class Tables {
    private final List<Measurement> ms;
    private final List<PyResult> py;

    Tables(List<Measurement> measurements, List<PyResult> python) {
        this.ms = measurements;
        this.py = python;
    }

    List<Table> all() {
        return List.of(gradients(), gemm(), trainSteps(), elementwise(), softmax());
    }

    // ------------------------------------------------------------------ lookups

    Optional<Measurement> find(String benchmark, String method, String... kv) {
        return ms.stream().filter(m -> m.is(benchmark, method) && matches(m, kv)).findFirst();
    }

    private static boolean matches(Measurement m, String... kv) {
        for (int i = 0; i < kv.length; i += 2) {
            if (!m.param(kv[i]).equals(kv[i + 1])) {
                return false;
            }
        }
        return true;
    }

    /** The library's time for {@code benchmark key} at {@code threads} (or at its most threads when {@code threads <= 0}). */
    Optional<PyResult> python(String lib, String benchmark, String key, int threads) {
        return py.stream().filter(r -> r.lib().equals(lib) && r.benchmark().equals(benchmark) && r.key().equals(key))
                .filter(r -> threads <= 0 || r.threads() == threads)
                .max(Comparator.comparingInt(PyResult::threads));
    }

    private Set<String> values(String benchmark, String param) {
        Set<String> v = new LinkedHashSet<>();
        for (Measurement m : ms) {
            if (m.benchmark().equals(benchmark)) {
                v.add(m.param(param));
            }
        }
        return v;
    }

    /** PyTorch's results to compare a backend with: on the GPU for GPU backends. */
    static String torch(String backend) {
        return backend.equals("cpu") ? "torch" : "torch-cuda";
    }

    /** CPU thread count of a measurement (0 for GPU rows and the default). */
    private static int threads(Measurement m) {
        return m.backend().equals("cpu") ? parseInt(m.param("threads")) : 0;
    }

    private static int parseInt(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    // ------------------------------------------------------------------ tables

    Table gradients() {
        List<List<String>> rows = new ArrayList<>();
        for (String backend : values("GradientBenchmark", "backend")) {
            for (String hidden : sortedNumerically(values("GradientBenchmark", "hidden"))) {
                Optional<Measurement> num = find("GradientBenchmark", "numerical", "backend", backend, "hidden", hidden);
                Optional<Measurement> bp = find("GradientBenchmark", "backprop", "backend", backend, "hidden", hidden);
                if (num.isEmpty() && bp.isEmpty()) {
                    continue;
                }
                Optional<PyResult> tn = python(torch(backend), "numerical", hidden, 0);
                Optional<PyResult> tb = python(torch(backend), "backprop", hidden, 0);
                rows.add(List.of(String.format(Locale.ROOT, "%,d", GradientBenchmark.parameters(Integer.parseInt(hidden))),
                        hidden, backend, ms(num), ms(bp), ratio(num.map(Measurement::ms), bp.map(Measurement::ms)),
                        msPy(tn), msPy(tb), ratio(tn.map(PyResult::ms), tb.map(PyResult::ms))));
            }
        }
        return new Table("Numerical vs backprop gradients",
                "MLP 10 → hidden (ReLU) → 3, softmax cross-entropy, batch " + GradientBenchmark.BATCH
                        + ", float32. Numerical: central differences one parameter at a time (h = "
                        + GradientBenchmark.STEP + "), two forward passes per parameter. Both agree (checked in setup). "
                        + "Ratio = numerical time / backprop time.",
                List.of("parameters", "hidden", "backend", "numerical (ms)", "backprop (ms)", "ratio",
                        "PyTorch numerical (ms)", "PyTorch backprop (ms)", "PyTorch ratio"), rows);
    }

    Table gemm() {
        List<List<String>> rows = new ArrayList<>();
        for (Measurement m : sorted("GemmBenchmark", "matmul")) {
            GemmShape s = GemmShape.parse(m.param("shape"));
            int t = threads(m);
            String layout = layout(m);
            String key = layout.equals("nn") ? m.param("shape") : layout + ":" + m.param("shape");
            Optional<PyResult> np = python("numpy", "gemm", key, t);
            Optional<PyResult> tc = python(torch(m.backend()), "gemm", key, t);
            String product = switch (layout) {
                case "tn" -> "Aᵀ·B";
                case "nt" -> "A·Bᵀ";
                default -> "A·B";
            };
            rows.add(List.of(m.backend(), threadsCell(m), s.m() + "×" + s.k() + "×" + s.n(), product, fmt(m.ms()),
                    fmt(gflops(s, m.ms())), np.map(r -> fmt(gflops(s, r.ms()))).orElse("—"),
                    speed(np.map(PyResult::ms), m.ms()), tc.map(r -> fmt(gflops(s, r.ms()))).orElse("—"),
                    speed(tc.map(PyResult::ms), m.ms())));
        }
        return new Table("Matrix product (float32 GEMM)",
                "GFLOP/s = 2·m·k·n / time. Aᵀ·B and A·Bᵀ are the products backward runs (transposed views, no "
                        + "copies). Speed vs a library = its time / Nabla's time (above 1: Nabla faster).",
                List.of("backend", "threads", "m×k×n", "product", "time (ms)", "GFLOP/s", "numpy GFLOP/s", "speed vs numpy",
                        "PyTorch GFLOP/s", "speed vs PyTorch"), rows);
    }

    /** A GEMM measurement's layout ({@code nn} when it has none). */
    static String layout(Measurement m) {
        return m.param("layout").isEmpty() ? "nn" : m.param("layout");
    }

    static double gflops(GemmShape s, double ms) {
        return s.flops() / (ms * 1e-3) / 1e9;
    }

    Table trainSteps() {
        List<List<String>> rows = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (Measurement m : sorted("TrainStepBenchmark", null)) {
            String key = m.backend() + "|" + m.param("threads") + "|" + m.param("model");
            if (!seen.add(key)) {
                continue;
            }
            String[] kv = {"backend", m.backend(), "threads", m.param("threads"), "model", m.param("model")};
            Optional<Measurement> f = find("TrainStepBenchmark", "forward", kv);
            Optional<Measurement> fb = find("TrainStepBenchmark", "forwardBackward", kv);
            Optional<Measurement> st = find("TrainStepBenchmark", "step", kv);
            int t = threads(m);
            String lib = torch(m.backend());
            Optional<PyResult> tf = python(lib, "train_forward", m.param("model"), t);
            Optional<PyResult> tfb = python(lib, "train_forward_backward", m.param("model"), t);
            Optional<PyResult> ts = python(lib, "train_step", m.param("model"), t);
            BenchModel spec = BenchModel.parse(m.param("model"));
            rows.add(List.of(m.backend(), threadsCell(m), m.param("model").replace(":", " b"),
                    String.format(Locale.ROOT, "%,d", spec.parameters()), ms(f), ms(fb), ms(st),
                    ratio(fb.map(Measurement::ms), f.map(Measurement::ms)), msPy(ts),
                    speed(ts.map(PyResult::ms), st.map(Measurement::ms).orElse(Double.NaN)),
                    ratio(tfb.map(PyResult::ms), tf.map(PyResult::ms))));
        }
        return new Table("Training step (forward + backward + SGD update)",
                "Model widths and batch (b). (fwd+bwd)/fwd is the cheap-gradient principle: backward costs a small "
                        + "constant times forward. Speed vs PyTorch = PyTorch's step time / Nabla's.",
                List.of("backend", "threads", "model", "parameters", "forward (ms)", "fwd+bwd (ms)", "step (ms)",
                        "(fwd+bwd)/fwd", "PyTorch step (ms)", "speed vs PyTorch", "PyTorch (fwd+bwd)/fwd"), rows);
    }

    Table elementwise() {
        List<List<String>> rows = new ArrayList<>();
        for (Measurement m : sorted("ElementwiseBenchmark", null)) {
            long n = Long.parseLong(m.param("size"));
            long bytes = ElementwiseBenchmark.bytes(m.method(), n);
            Optional<PyResult> np = python("numpy", m.method(), m.param("size"), 0);
            Optional<PyResult> tc = python(torch(m.backend()), m.method(), m.param("size"), 0);
            rows.add(List.of(m.backend(), m.method(), elements(n), fmt(m.ms()), fmt(gbs(bytes, m.ms())),
                    np.map(r -> fmt(gbs(bytes, r.ms()))).orElse("—"), speed(np.map(PyResult::ms), m.ms()),
                    tc.map(r -> fmt(gbs(bytes, r.ms()))).orElse("—"), speed(tc.map(PyResult::ms), m.ms())));
        }
        return new Table("Elementwise bandwidth (float32, out of place)",
                "GB/s counts bytes read and written: 8 per element for relu, 12 for add.",
                List.of("backend", "op", "elements", "time (ms)", "GB/s", "numpy GB/s", "speed vs numpy",
                        "PyTorch GB/s", "speed vs PyTorch"), rows);
    }

    static double gbs(long bytes, double ms) {
        return bytes / (ms * 1e-3) / 1e9;
    }

    Table softmax() {
        List<List<String>> rows = new ArrayList<>();
        for (Measurement m : sorted("SoftmaxCrossEntropyBenchmark", "forwardBackward")) {
            Optional<PyResult> tc = python(torch(m.backend()), "softmax_ce", m.param("shape"), 0);
            rows.add(List.of(m.backend(), m.param("shape").replace("x", "×"), fmt(m.ms()), msPy(tc),
                    speed(tc.map(PyResult::ms), m.ms())));
        }
        return new Table("Softmax cross-entropy, forward + backward",
                "Fused kernel: loss and gradient (softmax − one-hot) in one pass; rows × classes logits.",
                List.of("backend", "rows×classes", "time (ms)", "PyTorch (ms)", "speed vs PyTorch"), rows);
    }

    // ------------------------------------------------------------------ formatting

    private List<Measurement> sorted(String benchmark, String method) {
        return ms.stream().filter(m -> m.benchmark().equals(benchmark) && (method == null || m.method().equals(method)))
                .sorted(Comparator.comparing(Measurement::backend).thenComparingInt(Tables::threads)
                        .thenComparingDouble(Tables::size))
                .toList();
    }

    /** A sort key for a measurement's size parameter (elements or flops). */
    private static double size(Measurement m) {
        if (!m.param("shape").isEmpty() && m.benchmark().equals("GemmBenchmark")) {
            GemmShape s = GemmShape.parse(m.param("shape"));
            int layout = List.of("nn", "tn", "nt").indexOf(layout(m));
            return layout * 1e15 + (s.square() ? s.flops() : 1e14);
        }
        if (!m.param("size").isEmpty()) {
            return Double.parseDouble(m.param("size"));
        }
        if (!m.param("model").isEmpty()) {
            return -BenchModel.parse(m.param("model")).forwardFlops();
        }
        return 0;
    }

    private static List<String> sortedNumerically(Set<String> values) {
        return values.stream().sorted(Comparator.comparingDouble(Double::parseDouble)).toList();
    }

    private static String threadsCell(Measurement m) {
        return m.backend().equals("cpu") ? (m.param("threads").equals("0") ? "all" : m.param("threads")) : "—";
    }

    static String elements(long n) {
        return n % (1 << 20) == 0 ? (n >> 20) + "M" : String.format(Locale.ROOT, "%,d", n);
    }

    static String fmt(double v) {
        if (Double.isNaN(v)) {
            return "—";
        }
        double a = Math.abs(v);
        if (a >= 100) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        if (a >= 10) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        if (a >= 1) {
            return String.format(Locale.ROOT, "%.2f", v);
        }
        return String.format(Locale.ROOT, "%.3g", v);
    }

    private static String ms(Optional<Measurement> m) {
        return m.map(x -> fmt(x.ms())).orElse("—");
    }

    private static String msPy(Optional<PyResult> r) {
        return r.map(x -> fmt(x.ms())).orElse("—");
    }

    static String ratio(Optional<Double> a, Optional<Double> b) {
        if (a.isEmpty() || b.isEmpty() || !(b.get() > 0)) {
            return "—";
        }
        return fmt(a.get() / b.get()) + "×";
    }

    /** Library time / Nabla time. */
    static String speed(Optional<Double> libraryMs, double nablaMs) {
        return ratio(libraryMs, Double.isNaN(nablaMs) ? Optional.empty() : Optional.of(nablaMs));
    }
}
