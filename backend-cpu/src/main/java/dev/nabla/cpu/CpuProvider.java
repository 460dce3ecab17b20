package dev.nabla.cpu;

import dev.nabla.backend.Backend;
import dev.nabla.backend.BackendProvider;
import dev.nabla.backend.BackendReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The CPU backend's provider: always available, priority 100. {@code nabla.threads} sets the
 * worker count (default: available processors), {@code nabla.cpu.gemm} forces the GEMM kernel.
 */
public final class CpuProvider implements BackendProvider {
    /** System property with the number of worker threads. */
    public static final String THREADS_PROPERTY = "nabla.threads";

    private volatile BackendReport report;

    @Override
    public String name() {
        return "cpu";
    }

    @Override
    public int priority() {
        return 100;
    }

    /** Threads from {@code nabla.threads}, or the available processors when unset or invalid. */
    static int configuredThreads() {
        String value = System.getProperty(THREADS_PROPERTY);
        if (value != null) {
            try {
                int n = Integer.parseInt(value.trim());
                if (n >= 1) {
                    return n;
                }
            } catch (NumberFormatException ignored) {
                // fall through to the default; the report shows the value in use
            }
        }
        return Runtime.getRuntime().availableProcessors();
    }

    @Override
    public BackendReport report() {
        BackendReport r = report;
        if (r == null) {
            r = probe();
            report = r;
        }
        return r;
    }

    private static BackendReport probe() {
        int threads = configuredThreads();
        String gemm;
        try {
            gemm = CpuKernels.select(System.getProperty(CpuKernels.PROPERTY)).description();
        } catch (RuntimeException | LinkageError e) {
            gemm = "unusable: " + e.getMessage();
        }
        Map<String, String> details = new LinkedHashMap<>();
        details.put("threads", String.valueOf(threads));
        details.put(THREADS_PROPERTY, String.valueOf(System.getProperty(THREADS_PROPERTY, "(unset)")));
        details.put("java", System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")");
        details.put("vector API", CpuKernels.vectorModulePresent() ? "jdk.incubator.vector present" : "absent");
        details.put("gemm kernel", gemm);
        details.put("max heap", Runtime.getRuntime().maxMemory() / (1 << 20) + " MiB");
        Map<String, String> props = new LinkedHashMap<>();
        props.put("arch", System.getProperty("os.arch"));
        props.put("processors", String.valueOf(Runtime.getRuntime().availableProcessors()));
        props.put("gemm kernel", gemm);
        BackendReport.DeviceInfo device = new BackendReport.DeviceInfo(0, cpuName(), Runtime.getRuntime().maxMemory(),
                props);
        return new BackendReport("cpu", true, threads + " threads, gemm " + gemm, List.of(device), details);
    }

    /** The CPU model from /proc/cpuinfo where readable, else the architecture. */
    static String cpuName() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    int colon = line.indexOf(':');
                    if (colon >= 0 && !line.substring(colon + 1).isBlank()) {
                        return line.substring(colon + 1).trim();
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or not readable: fall back to the architecture
        }
        return System.getProperty("os.arch");
    }

    @Override
    public Backend open(int index) {
        if (index != 0) {
            throw new IllegalArgumentException("cpu: device " + index + " does not exist (the CPU is device 0)");
        }
        return new CpuBackend(configuredThreads(), CpuKernels.select(System.getProperty(CpuKernels.PROPERTY)),
                report());
    }
}
