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
 * Chooses the GEMM tile configuration of a device: timed once over {@link GemmConfig#CANDIDATES}
 * on a square problem, the winner remembered in {@code gemm-autotune.properties} under the cache
 * folder, keyed by device name and driver version. With autotuning off (tests:
 * {@code nabla.gpu.autotune=false}) it is {@link GemmConfig#DEFAULT}.
 */
final class GemmTuner {
    static final String CACHE_FILE = "gemm-autotune.properties";

    /** Runs the candidate's GEMM on an {@code n×n×n} problem and returns the best time in seconds. */
    interface Timer {
        double seconds(GemmConfig config, int n);
    }

    /** The configuration and where it came from (for the report). */
    record Choice(GemmConfig config, String source) {
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

    static Choice choose(GpuDeviceInfo info, boolean autotune, Path cacheDir, int n, Timer timer) {
        List<GemmConfig> candidates = feasible(info, 4);
        if (candidates.isEmpty()) {
            throw new IllegalStateException("no GEMM tile configuration fits " + info.name() + " (max work-group "
                    + info.maxWorkGroupSize() + ", local memory " + info.localMemoryBytes() + " bytes)");
        }
        GemmConfig fallback = candidates.get(0);
        if (!autotune) {
            return new Choice(fallback, "default, autotune off (nabla.gpu.autotune=false)");
        }
        String key = info.name() + " | driver " + info.driverVersion();
        Path file = cacheDir.resolve(CACHE_FILE);
        Properties cache = load(file);
        GemmConfig cached = GemmConfig.parse(cache.getProperty(key, ""));
        if (cached != null && candidates.contains(cached)) {
            return new Choice(cached, "autotuned earlier, cached in " + file);
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
            return new Choice(fallback, "default, every autotune candidate failed (" + timings + ")");
        }
        cache.setProperty(key, best.toString());
        String stored = store(cache, file) ? "cached in " + file : "cache not writable: " + file;
        return new Choice(best, "autotuned at n=" + n + " (GFLOP/s: " + timings + "), " + stored);
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
                p.store(out, "Nabla GEMM tile configuration per device (device | driver = BMxBNxBK/TMxTN)");
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return true;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }
}
