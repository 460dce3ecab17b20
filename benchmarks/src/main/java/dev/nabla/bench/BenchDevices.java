package dev.nabla.bench;

import dev.nabla.Device;
import dev.nabla.backend.BackendProvider;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Opens the device a benchmark asked for. The CPU backend reads {@code nabla.threads} when it
 * opens, and {@code Device.of} keeps one device per JVM, so a thread count is set before the
 * first open (JMH forks a JVM per parameter set) — and, when a device with another count is
 * already open (several parameter sets in one JVM, as in tests or {@code -f 0}), a separate CPU
 * backend with that count is opened from a fresh provider.
 */
public final class BenchDevices {
    /** The CPU backend's thread-count property (read by its provider when it opens). */
    public static final String THREADS_PROPERTY = "nabla.threads";
    private static final Map<Integer, Device> CPU_BY_THREADS = new ConcurrentHashMap<>();

    private BenchDevices() {
    }

    /**
     * The device of {@code backend}; {@code threads > 0} fixes the CPU backend's worker count
     * (ignored by GPU backends).
     *
     * @throws IllegalStateException if the backend is unavailable (with the provider's reason)
     */
    public static Device open(String backend, int threads) {
        if (!"cpu".equals(backend) || threads <= 0) {
            return Device.of(backend);
        }
        System.setProperty(THREADS_PROPERTY, Integer.toString(threads));
        Device d = Device.of("cpu");
        if (threadsOf(d) == threads) {
            return d;
        }
        return CPU_BY_THREADS.computeIfAbsent(threads, t -> {
            for (BackendProvider p : ServiceLoader.load(BackendProvider.class, BenchDevices.class.getClassLoader())) {
                if (p.name().equals("cpu")) {
                    return Device.wrap(p.open(0));
                }
            }
            throw new IllegalStateException("no cpu backend provider on the class path");
        });
    }

    /** Worker threads of a CPU device, from its report ({@code -1} when it does not say). */
    public static int threadsOf(Device d) {
        String t = d.report().details().get("threads");
        try {
            return t == null ? -1 : Integer.parseInt(t.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
