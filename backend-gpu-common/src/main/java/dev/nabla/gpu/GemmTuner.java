package dev.nabla.gpu;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

/**
 * Chooses the GEMM tile configurations of a device: one for small problems, one for large ones,
 * each timed once over {@link GemmConfig#CANDIDATES} on a square problem (n = 1024 and n = 4096 by
 * default), the winners remembered in {@code gemm-autotune.properties} under the cache folder, keyed
 * by device name, driver version and n. A problem takes the large configuration when its tiles of
 * that size give every compute unit at least two work-groups, else the small one: large tiles leave
 * most of the device idle on small products (64 tiles of 128x128 at n = 1024 for 132 SMs), small
 * tiles waste bandwidth on large ones. With autotuning off (tests: {@code nabla.gpu.autotune=false})
 * both are {@link GemmConfig#DEFAULT}. A device too slow to time the large size within
 * {@link #LARGE_BUDGET_SECONDS} (a CPU OpenCL device) keeps the small choice for both.
 */
final class GemmTuner {
    static final String CACHE_FILE = "gemm-autotune.properties";
    /** Longest the large-size tuning may take, estimated from the small one (cube of the size ratio). */
    static final double LARGE_BUDGET_SECONDS = 10;
    /** Runs per candidate in {@link #tune}: two passes of one untimed and three timed runs. */
    private static final int RUNS_PER_CANDIDATE = 8;

    /** Runs the candidate's GEMM on an {@code n×n×n} problem and returns the best time in seconds. */
    interface Timer {
        double seconds(GemmConfig config, int n);
    }

    /**
     * The configurations and where they came from (for the report).
     *
     * @param small  for problems whose {@code large} tiles would not fill the device
     * @param large  for the others
     * @param source how they were chosen
     */
    record Choice(GemmConfig small, GemmConfig large, String source) {
        /** The configuration for a batch of {@code m×n} outputs on {@code computeUnits} compute units. */
        GemmConfig config(long m, long n, long batch, int computeUnits) {
            if (large.equals(small)) {
                return small;
            }
            long tiles = (m + large.bm() - 1) / large.bm() * ((n + large.bn() - 1) / large.bn()) * batch;
            return tiles >= 2L * computeUnits ? large : small;
        }

        /** For the report: both configurations and the rule between them. */
        String describe(int computeUnits) {
            if (large.equals(small)) {
                return "tiles " + small + " (BMxBNxBK/TMxTN), " + source;
            }
            return "tiles " + large + " (BMxBNxBK/TMxTN) when they give all " + computeUnits
                    + " compute units two work-groups, else " + small + "; " + source;
        }
    }

    /** The winner of one tuning and what the report says of it. */
    private record Tuned(GemmConfig config, double seconds, String text) {
    }

    private GemmTuner() {
    }

    static boolean autotuneEnabled() {
        return !"false".equalsIgnoreCase(System.getProperty("nabla.gpu.autotune", "true"));
    }

    /** Candidates the device can launch (work-group size and local memory). */
    static List<GemmConfig> feasible(GpuDeviceInfo info, int elementBytes) {
        List<GemmConfig> ok = new ArrayList<>();
        for (GemmConfig c : GemmConfig.CANDIDATES) {
            if (c.threadsX() * c.threadsY() <= info.maxWorkGroupSize() && c.localBytes(elementBytes) <= info.localMemoryBytes()) {
                ok.add(c);
            }
        }
        return ok;
    }

    static Choice choose(GpuDeviceInfo info, boolean autotune, Path cacheDir, int smallN, int largeN, Timer timer) {
        List<GemmConfig> candidates = feasible(info, 4);
        if (candidates.isEmpty()) {
            throw new IllegalStateException("no GEMM tile configuration fits " + info.name() + " (max work-group "
                    + info.maxWorkGroupSize() + ", local memory " + info.localMemoryBytes() + " bytes)");
        }
        GemmConfig fallback = candidates.get(0);
        if (!autotune) {
            return new Choice(fallback, fallback, "default, autotune off (nabla.gpu.autotune=false)");
        }
        String device = info.name() + " | driver " + info.driverVersion();
        Path file = cacheDir.resolve(CACHE_FILE);
        Properties cache = load(file);
        Tuned small = tuneOrCached(candidates, fallback, cache, device, file, smallN, timer);
        Tuned large;
        if (largeN <= smallN) {
            large = small;
        } else {
            GemmConfig cached = GemmConfig.parse(cache.getProperty(device + " | n=" + largeN, ""));
            double estimate = 0;
            if (cached == null || !candidates.contains(cached)) {
                double ratio = (double) largeN / smallN;
                estimate = smallSeconds(small, smallN, timer) * ratio * ratio * ratio * RUNS_PER_CANDIDATE
                        * candidates.size();
            }
            if (estimate > LARGE_BUDGET_SECONDS) {
                large = new Tuned(small.config(), 0, String.format(Locale.ROOT,
                        "not tuned at n=%d (about %.0f s on this device): the n=%d choice for all sizes", largeN,
                        estimate, smallN));
            } else {
                large = tuneOrCached(candidates, fallback, cache, device, file, largeN, timer);
            }
        }
        String stored = large.text().contains("autotuned at") || small.text().contains("autotuned at")
                ? (store(cache, file) ? "; cached in " + file : "; cache not writable: " + file) : "";
        return new Choice(small.config(), large.config(), small.text() + "; " + large.text() + stored);
    }

    /** The small winner's time, timed once when it came from the cache (infinite when that fails). */
    private static double smallSeconds(Tuned small, int n, Timer timer) {
        if (small.seconds() > 0) {
            return small.seconds();
        }
        try {
            return timer.seconds(small.config(), n);
        } catch (RuntimeException e) {
            return Double.POSITIVE_INFINITY;
        }
    }

    /** The cached winner at {@code n}, or the fastest candidate of two interleaved timed passes (then cached). */
    private static Tuned tuneOrCached(List<GemmConfig> candidates, GemmConfig fallback, Properties cache,
                                      String device, Path file, int n, Timer timer) {
        String key = device + " | n=" + n;
        GemmConfig cached = GemmConfig.parse(cache.getProperty(key, ""));
        if (cached != null && candidates.contains(cached)) {
            return new Tuned(cached, 0, "n=" + n + ": " + cached + ", autotuned earlier, cached in " + file);
        }
        // Two interleaved passes, best time per candidate: a transient load on the machine then
        // slows one pass of every candidate rather than all passes of one.
        double[] seconds = new double[candidates.size()];
        java.util.Arrays.fill(seconds, Double.MAX_VALUE);
        boolean[] failed = new boolean[candidates.size()];
        for (int pass = 0; pass < 2; pass++) {
            for (int i = 0; i < candidates.size(); i++) {
                if (failed[i]) {
                    continue;
                }
                try {
                    seconds[i] = Math.min(seconds[i], timer.seconds(candidates.get(i), n));
                } catch (RuntimeException e) {
                    failed[i] = true;
                }
            }
        }
        GemmConfig best = null;
        double bestSeconds = Double.MAX_VALUE;
        StringBuilder timings = new StringBuilder();
        for (int i = 0; i < candidates.size(); i++) {
            GemmConfig c = candidates.get(i);
            timings.append(timings.length() == 0 ? "" : ", ").append(c);
            if (failed[i]) {
                timings.append(" failed");
                continue;
            }
            timings.append(String.format(Locale.ROOT, " %.1f", 2.0 * n * n * n / seconds[i] / 1e9));
            if (seconds[i] < bestSeconds) {
                bestSeconds = seconds[i];
                best = c;
            }
        }
        if (best == null) {
            return new Tuned(fallback, 0, "n=" + n + ": default " + fallback + ", every autotune candidate failed ("
                    + timings + ")");
        }
        cache.setProperty(key, best.toString());
        return new Tuned(best, bestSeconds, "n=" + n + ": " + best + ", autotuned at n=" + n + " (GFLOP/s: " + timings
                + ")");
    }

    private static Properties load(Path file) {
        Properties p = new Properties();
        if (Files.isRegularFile(file)) {
            try (InputStream in = Files.newInputStream(file)) {
                p.load(in);
            } catch (IOException | IllegalArgumentException e) {
                // A damaged cache is only a cache: tune again and overwrite it.
            }
        }
        return p;
    }

    private static boolean store(Properties p, Path file) {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = Files.createTempFile(file.getParent(), CACHE_FILE, ".tmp");
            try (OutputStream out = Files.newOutputStream(tmp)) {
                p.store(out, "Nabla GEMM tile configuration per device and size (device | driver | n = BMxBNxBK/TMxTN)");
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return true;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }
}
