package dev.nabla;

import dev.nabla.backend.Backend;
import dev.nabla.backend.BackendProvider;
import dev.nabla.backend.BackendReport;
import dev.nabla.backend.reference.ReferenceBackend;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Where a tensor lives and its kernels run: one device of one backend ({@code cpu},
 * {@code cuda:0}, {@code opencl:1}). Devices are opened once and shared for the JVM's life.
 *
 * <p>{@link #auto()} chooses by policy: system property {@code nabla.backend}, else environment
 * variable {@code NABLA_BACKEND}, else {@code auto}. {@code auto} takes the available provider
 * with the highest priority (CUDA, then an OpenCL GPU, then the CPU) and, when a preferred one
 * is unavailable, logs one INFO line saying why. Naming a backend that is unavailable throws
 * with the provider's report.
 */
public final class Device {
    private static final System.Logger LOG = System.getLogger("dev.nabla");

    private final Backend backend;
    private final String name;

    Device(Backend backend) {
        this.backend = backend;
        // One-device backends are named without an index.
        boolean single = backend.name().equals("cpu") || backend.name().equals("reference");
        this.name = single ? backend.name() : backend.name() + ":" + backend.deviceIndex();
    }

    /** The CPU device (always available when {@code backend-cpu} is on the class path). */
    public static Device cpu() {
        return of("cpu");
    }

    /**
     * The reference backend: the plainest scalar loops over the op tables, slow and exact, with none
     * of the optional fast paths. It is what the contract suite compares every backend with, and what
     * core's own tests run on; it is never chosen by {@link #auto()}.
     */
    public static Device reference() {
        return ReferenceHolder.DEVICE;
    }

    private static final class ReferenceHolder {
        static final Device DEVICE = wrap(new ReferenceBackend());
    }

    /**
     * The device for a backend opened directly from its provider (tests, tools). The same backend
     * always gives the same device; the caller keeps ownership of the backend.
     */
    public static Device wrap(Backend backend) {
        return BackendRegistry.wrap(backend);
    }

    /** The device the policy ({@code nabla.backend}, {@code NABLA_BACKEND}, else {@code auto}) selects. */
    public static Device auto() {
        return select(policy()).device();
    }

    /**
     * The device named by {@code spec}: {@code auto}, {@code cpu}, {@code cuda}, {@code cuda:1},
     * {@code opencl}, {@code opencl:0}.
     *
     * @throws IllegalStateException    if that backend is unavailable (with its report)
     * @throws IllegalArgumentException if the spec names no known backend
     */
    public static Device of(String spec) {
        return select(spec).device();
    }

    /** The backend policy in force: {@code nabla.backend}, else {@code NABLA_BACKEND}, else {@code auto}. */
    public static String policy() {
        String p = System.getProperty("nabla.backend");
        if (p == null || p.isBlank()) {
            p = System.getenv("NABLA_BACKEND");
        }
        return p == null || p.isBlank() ? "auto" : p.trim().toLowerCase(Locale.ROOT);
    }

    /**
     * Resolves {@code spec} to a device and explains the choice (which preferred backends were
     * skipped and why), for front ends such as {@code nabla train}.
     */
    public static Selection select(String spec) {
        String s = spec == null ? "auto" : spec.trim().toLowerCase(Locale.ROOT);
        if (s.isEmpty() || s.equals("auto")) {
            List<String> skipped = new ArrayList<>();
            for (BackendProvider p : BackendRegistry.providers()) {
                BackendReport r = p.report();
                if (r.available()) {
                    Device d = BackendRegistry.open(p, 0);
                    if (!skipped.isEmpty()) {
                        LOG.log(System.Logger.Level.INFO, "nabla: " + String.join("; ", skipped) + "; using " + d);
                    }
                    return new Selection(d, "auto", skipped);
                }
                skipped.add(p.name() + " unavailable (" + r.reason() + ")");
            }
            throw new IllegalStateException("Device.auto: no backend is available: " + String.join("; ", skipped)
                    + ". Put nabla-backend-cpu on the class path.");
        }
        String name = s;
        int index = 0;
        int colon = s.indexOf(':');
        if (colon >= 0) {
            name = s.substring(0, colon);
            try {
                index = Integer.parseInt(s.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("device '" + spec + "': index after ':' must be a number");
            }
        }
        BackendProvider p = BackendRegistry.provider(name);
        if (p == null) {
            throw new IllegalArgumentException("device '" + spec + "': no backend named '" + name
                    + "' on the class path (found: " + String.join(", ", BackendRegistry.names()) + ")");
        }
        BackendReport r = p.report();
        if (!r.available()) {
            throw new IllegalStateException("device '" + spec + "': backend " + name + " is unavailable: " + r.reason());
        }
        return new Selection(BackendRegistry.open(p, index), s, List.of());
    }

    /**
     * The outcome of {@link #select}.
     *
     * @param device    the device chosen
     * @param requested what was asked for ({@code auto}, {@code cuda:0}...)
     * @param skipped   preferred backends passed over, each with its reason (empty unless {@code auto} fell back)
     */
    public record Selection(Device device, String requested, List<String> skipped) {
        /** Whether {@code auto} had to pass over a preferred backend. */
        public boolean fellBack() {
            return !skipped.isEmpty();
        }
    }

    /** The backend running this device's kernels. */
    public Backend backend() {
        return backend;
    }

    /** The device name: {@code cpu}, {@code cuda:0}, {@code opencl:1}. */
    public String name() {
        return name;
    }

    /** Whether tensors of this dtype can live here. */
    public boolean supports(DType dtype) {
        return backend.supports(dtype);
    }

    /** The backend's report for this device. */
    public BackendReport report() {
        return backend.report();
    }

    /** Waits for queued work on this device. */
    public void synchronize() {
        backend.synchronize();
    }

    @Override
    public String toString() {
        return name;
    }
}
