package dev.nabla.bench.report;

import dev.nabla.bench.ElementwiseBenchmark;
import dev.nabla.bench.GemmShape;
import dev.nabla.bench.GradientBenchmark;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.knowm.xchart.AnnotationText;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * PNG plots with XChart, drawn headless. Only loaded where {@code java.desktop} is in the runtime
 * ({@link ReportMain#canPlot()}): a jlink'd GPU bundle without it gets JSON and Markdown only.
 */
final class Plots {
    private static final Color[] COLORS = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c),
        new Color(0xff7f0e), new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f)};

    private final List<Measurement> ms;
    private final List<PyResult> py;

    Plots(List<Measurement> measurements, List<PyResult> python) {
        this.ms = measurements;
        this.py = python;
    }

    /** Writes every plot there is data for; returns the files written. */
    List<Path> write(Path dir) throws IOException {
        System.setProperty("java.awt.headless", "true");
        List<Path> files = new ArrayList<>();
        gradients(dir).ifPresent(files::add);
        gemm(dir).ifPresent(files::add);
        elementwise(dir).ifPresent(files::add);
        return files;
    }

    // ------------------------------------------------------------------ gradients

    private Optional<Path> gradients(Path dir) throws IOException {
        Map<String, double[][]> time = new LinkedHashMap<>();
        Map<String, double[][]> ratio = new LinkedHashMap<>();
        for (String backend : backends("GradientBenchmark")) {
            TreeMap<Double, Double> num = new TreeMap<>();
            TreeMap<Double, Double> bp = new TreeMap<>();
            for (Measurement m : ms) {
                if (m.benchmark().equals("GradientBenchmark") && m.backend().equals(backend)) {
                    double p = GradientBenchmark.parameters(Integer.parseInt(m.param("hidden")));
                    (m.method().equals("numerical") ? num : bp).put(p, m.ms());
                }
            }
            time.put("Nabla numerical (" + backend + ")", xy(num));
            time.put("Nabla backprop (" + backend + ")", xy(bp));
            ratio.put("Nabla (" + backend + ")", xy(divide(num, bp)));
        }
        if (time.isEmpty()) {
            return Optional.empty();
        }
        for (String lib : List.of("torch", "torch-cuda")) {
            TreeMap<Double, Double> tnum = new TreeMap<>();
            TreeMap<Double, Double> tbp = new TreeMap<>();
            for (PyResult r : py) {
                if (r.lib().equals(lib) && (r.benchmark().equals("numerical") || r.benchmark().equals("backprop"))) {
                    double p = GradientBenchmark.parameters(Integer.parseInt(r.key()));
                    (r.benchmark().equals("numerical") ? tnum : tbp).merge(p, r.ms(), Math::min);
                }
            }
            if (!tbp.isEmpty()) {
                String where = lib.equals("torch") ? "CPU" : "CUDA";
                time.put("PyTorch numerical (" + where + ")", xy(tnum));
                time.put("PyTorch backprop (" + where + ")", xy(tbp));
                ratio.put("PyTorch (" + where + ")", xy(divide(tnum, tbp)));
            }
        }
        XYChart t = logLog("Gradient of an MLP loss: time vs parameters", "parameters", "time per gradient (ms)");
        t.getStyler().setXAxisDecimalPattern("#,###");
        addAll(t, time);
        XYChart r = logLog("Numerical / backprop time", "parameters", "ratio (×)");
        r.getStyler().setXAxisDecimalPattern("#,###").setYAxisDecimalPattern("#,###");
        addAll(r, ratio);
        // Nabla's ratios written at their points: the number the plot exists for (room above the top one).
        double top = ratio.values().stream().flatMapToDouble(v -> java.util.Arrays.stream(v[1])).max().orElse(1);
        r.getStyler().setYAxisMax(top * 3);
        for (Map.Entry<String, double[][]> e : ratio.entrySet()) {
            if (e.getKey().startsWith("Nabla")) {
                double[][] v = e.getValue();
                for (int i = 0; i < v[0].length; i++) {
                    r.addAnnotation(new AnnotationText(String.format(java.util.Locale.ROOT, "%,.0f×", v[1][i]),
                            v[0][i], v[1][i] * 1.5, false));
                }
            }
        }
        Path file = dir.resolve("gradients.png");
        BitmapEncoder.saveBitmap(List.of(t, r), 1, 2, file.toString(), BitmapEncoder.BitmapFormat.PNG);
        return Optional.of(file);
    }

    private static TreeMap<Double, Double> divide(TreeMap<Double, Double> a, TreeMap<Double, Double> b) {
        TreeMap<Double, Double> out = new TreeMap<>();
        a.forEach((k, v) -> {
            Double d = b.get(k);
            if (d != null && d > 0) {
                out.put(k, v / d);
            }
        });
        return out;
    }

    // ------------------------------------------------------------------ GEMM

    private Optional<Path> gemm(Path dir) throws IOException {
        Map<String, double[][]> series = new LinkedHashMap<>();
        Map<String, TreeMap<Double, Double>> byLabel = new LinkedHashMap<>();
        List<Integer> cpuThreads = new ArrayList<>();
        for (Measurement m : ms) {
            if (!m.is("GemmBenchmark", "matmul")) {
                continue;
            }
            GemmShape s = GemmShape.parse(m.param("shape"));
            if (!s.square() || !Tables.layout(m).equals("nn")) {
                continue;
            }
            String label = "Nabla " + m.backend();
            if (m.backend().equals("cpu")) {
                int t = Integer.parseInt(m.param("threads"));
                label += t == 0 ? "" : ", " + t + (t == 1 ? " thread" : " threads");
                if (!cpuThreads.contains(t)) {
                    cpuThreads.add(t);
                }
            }
            byLabel.computeIfAbsent(label, k -> new TreeMap<>()).put(log2(s.n()), Tables.gflops(s, m.ms()));
        }
        if (byLabel.isEmpty()) {
            return Optional.empty();
        }
        boolean gpu = byLabel.keySet().stream().anyMatch(l -> !l.startsWith("Nabla cpu"));
        for (String lib : List.of("numpy", "torch", "torch-cuda")) {
            Map<Integer, TreeMap<Double, Double>> perThreads = new TreeMap<>();
            for (PyResult r : py) {
                if (r.lib().equals(lib) && r.benchmark().equals("gemm") && !r.key().contains(":")) {
                    GemmShape s = GemmShape.parse(r.key());
                    if (s.square()) {
                        perThreads.computeIfAbsent(r.threads(), k -> new TreeMap<>()).put(log2(s.n()),
                                Tables.gflops(s, r.ms()));
                    }
                }
            }
            perThreads.forEach((t, data) -> byLabel.put(switch (lib) {
                case "numpy" -> "numpy, " + t + (t == 1 ? " thread" : " threads");
                case "torch" -> "PyTorch CPU, " + t + (t == 1 ? " thread" : " threads");
                default -> "PyTorch CUDA";
            }, data));
        }
        byLabel.forEach((k, v) -> series.put(k, xy(v)));
        XYChart c = chart("Float32 matrix product, n×n @ n×n", "n", "GFLOP/s");
        // x is log2(n), labelled with n at the powers of two (XChart's log axis labels decades only).
        c.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        c.getStyler().setxAxisTickLabelsFormattingFunction(v -> Math.abs(v - Math.rint(v)) < 1e-6
                ? String.valueOf((long) Math.pow(2, Math.rint(v))) : "");
        if (gpu) {
            c.getStyler().setYAxisLogarithmic(true); // GPUs and CPUs are orders of magnitude apart
        } else {
            c.getStyler().setYAxisMin(0.0);
        }
        addAll(c, series);
        Path file = dir.resolve("gemm.png");
        BitmapEncoder.saveBitmap(c, file.toString(), BitmapEncoder.BitmapFormat.PNG);
        return Optional.of(file);
    }

    // ------------------------------------------------------------------ elementwise

    private Optional<Path> elementwise(Path dir) throws IOException {
        Map<String, TreeMap<Double, Double>> byLabel = new LinkedHashMap<>();
        for (Measurement m : ms) {
            if (m.benchmark().equals("ElementwiseBenchmark")) {
                long n = Long.parseLong(m.param("size"));
                byLabel.computeIfAbsent("Nabla " + m.backend() + " " + m.method(), k -> new TreeMap<>())
                        .put((double) n, Tables.gbs(ElementwiseBenchmark.bytes(m.method(), n), m.ms()));
            }
        }
        if (byLabel.isEmpty()) {
            return Optional.empty();
        }
        for (PyResult r : py) {
            if (r.lib().equals("numpy") && (r.benchmark().equals("relu") || r.benchmark().equals("add"))) {
                long n = Long.parseLong(r.key());
                byLabel.computeIfAbsent("numpy " + r.benchmark() + ", " + r.threads() + "t", k -> new TreeMap<>())
                        .put((double) n, Tables.gbs(ElementwiseBenchmark.bytes(r.benchmark(), n), r.ms()));
            }
        }
        XYChart c = chart("Elementwise ops, float32, out of place", "elements", "GB/s (read + written)");
        c.getStyler().setXAxisLogarithmic(true);
        c.getStyler().setXAxisDecimalPattern("#,###");
        c.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        c.getStyler().setYAxisMin(0.0);
        Map<String, double[][]> series = new LinkedHashMap<>();
        byLabel.forEach((k, v) -> series.put(k, xy(v)));
        addAll(c, series);
        Path file = dir.resolve("elementwise.png");
        BitmapEncoder.saveBitmap(c, file.toString(), BitmapEncoder.BitmapFormat.PNG);
        return Optional.of(file);
    }

    // ------------------------------------------------------------------ helpers

    private List<String> backends(String benchmark) {
        return ms.stream().filter(m -> m.benchmark().equals(benchmark)).map(Measurement::backend).distinct()
                .sorted(Comparator.naturalOrder()).toList();
    }

    private static double log2(int n) {
        return Math.log(n) / Math.log(2);
    }

    private static double[][] xy(TreeMap<Double, Double> data) {
        double[][] out = new double[2][data.size()];
        int i = 0;
        for (Map.Entry<Double, Double> e : data.entrySet()) {
            out[0][i] = e.getKey();
            out[1][i] = e.getValue();
            i++;
        }
        return out;
    }

    private static XYChart chart(String title, String x, String y) {
        XYChart c = new XYChartBuilder().width(900).height(600).title(title).xAxisTitle(x).yAxisTitle(y).build();
        var s = c.getStyler();
        s.setLegendPosition(Styler.LegendPosition.InsideNW);
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotGridLinesColor(new Color(0xdddddd));
        s.setSeriesColors(COLORS);
        s.setAntiAlias(true);
        s.setMarkerSize(7);
        return c;
    }

    private static XYChart logLog(String title, String x, String y) {
        XYChart c = chart(title, x, y);
        c.getStyler().setXAxisLogarithmic(true);
        c.getStyler().setYAxisLogarithmic(true);
        return c;
    }

    private static void addAll(XYChart c, Map<String, double[][]> series) {
        int i = 0;
        for (Map.Entry<String, double[][]> e : series.entrySet()) {
            if (e.getValue()[0].length == 0) {
                continue;
            }
            XYSeries s = c.addSeries(e.getKey(), e.getValue()[0], e.getValue()[1]);
            s.setMarker(SeriesMarkers.CIRCLE);
            if (e.getKey().startsWith("numpy") || e.getKey().startsWith("PyTorch")) {
                s.setLineStyle(new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f,
                        new float[] {6f, 4f}, 0f));
            }
            i++;
        }
        if (i == 0) {
            c.addSeries("no data", new double[] {1}, new double[] {1});
        }
    }
}
