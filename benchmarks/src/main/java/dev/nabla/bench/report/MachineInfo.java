package dev.nabla.bench.report;

import dev.nabla.Nabla;
import dev.nabla.backend.BackendReport;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The machine a report ran on: CPU model and cores, memory, OS, JVM and its flags, GPUs and driver
 * (from {@code nvidia-smi} where present) and what every Nabla backend reports. Only ratios
 * measured on one machine in one run count, so every report carries these.
 */
final class MachineInfo {
    private MachineInfo() {
    }

    static Map<String, String> collect() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("CPU", cpuModel());
        m.put("cores", Runtime.getRuntime().availableProcessors() + " available to the JVM"
                + cpuInfo("siblings").map(s -> " (" + s + " logical per socket)").orElse(""));
        m.put("memory", memTotal());
        m.put("OS", osRelease() + " (" + System.getProperty("os.name") + " " + System.getProperty("os.version") + ", "
                + System.getProperty("os.arch") + ")");
        m.put("JVM", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version",
                System.getProperty("java.version")) + " (" + System.getProperty("java.vendor") + ")");
        m.put("JVM flags", String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()));
        m.put("GPU", gpu());
        return m;
    }

    /** One line per backend: availability, devices, reason, and its details. */
    static List<String> backends() {
        List<String> lines = new ArrayList<>();
        for (BackendReport r : Nabla.backends()) {
            StringBuilder sb = new StringBuilder(r.summary());
            if (r.available() && !r.details().isEmpty()) {
                List<String> d = new ArrayList<>();
                r.details().forEach((k, v) -> d.add(k + ": " + v));
                sb.append("; ").append(String.join("; ", d));
            }
            lines.add(sb.toString());
        }
        return lines;
    }

    /** {@code /proc/loadavg}'s three averages, or "unknown". */
    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    /** The 1-minute figure of a {@link #loadAverage()} string, or NaN. */
    static double load1(String loadAverage) {
        try {
            return Double.parseDouble(loadAverage.split(" ")[0]);
        } catch (RuntimeException e) {
            return Double.NaN;
        }
    }

    static String cpuModel() {
        return cpuInfo("model name").orElse(System.getProperty("os.arch"));
    }

    private static Optional<String> cpuInfo(String key) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith(key)) {
                    int colon = line.indexOf(':');
                    if (colon > 0 && !line.substring(colon + 1).isBlank()) {
                        return Optional.of(line.substring(colon + 1).trim());
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return Optional.empty();
    }

    private static String memTotal() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    long kb = Long.parseLong(line.replaceAll("[^0-9]", ""));
                    return String.format(Locale.ROOT, "%.1f GiB", kb / (1024.0 * 1024.0));
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return "unknown; JVM max heap " + Runtime.getRuntime().maxMemory() / (1 << 20) + " MiB";
    }

    private static String osRelease() {
        try {
            for (String line : Files.readAllLines(Path.of("/etc/os-release"))) {
                if (line.startsWith("PRETTY_NAME=")) {
                    return line.substring("PRETTY_NAME=".length()).replace("\"", "");
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return System.getProperty("os.name");
    }

    private static String gpu() {
        String smi = PythonBaseline.resolve("nvidia-smi");
        if (smi == null) {
            return "no NVIDIA GPU seen (nvidia-smi not found); see the backends below for OpenCL devices";
        }
        try {
            Process p = new ProcessBuilder(smi, "--query-gpu=name,driver_version,memory.total",
                    "--format=csv,noheader").redirectErrorStream(true).start();
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "nvidia-smi did not answer in 20 s";
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (p.exitValue() != 0) {
                return "nvidia-smi failed: " + out.lines().findFirst().orElse("exit " + p.exitValue());
            }
            return out.lines().map(l -> {
                String[] f = l.split(",\\s*");
                return f.length == 3 ? f[0] + ", driver " + f[1] + ", " + f[2] : l;
            }).reduce((a, b) -> a + "; " + b).orElse("none");
        } catch (IOException e) {
            return "nvidia-smi failed: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }
}
