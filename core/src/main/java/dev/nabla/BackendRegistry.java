package dev.nabla;

import dev.nabla.backend.Backend;
import dev.nabla.backend.BackendProvider;
import dev.nabla.backend.BackendReport;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;

/** The providers found through ServiceLoader and the devices opened from them (one per name, for the JVM's life). */
final class BackendRegistry {
    /** Found through ServiceLoader, not probed: a provider's probe may load native libraries. */
    private static volatile List<BackendProvider> loaded;
    /** Probed and sorted by priority, for {@code auto} and reports. */
    private static volatile List<BackendProvider> ranked;
    private static final List<BackendReport> LOAD_ERRORS = new ArrayList<>();
    private static final Map<String, Device> OPEN = new ConcurrentHashMap<>();

    private BackendRegistry() {
    }

    /**
     * Providers by descending priority, probing each (which loads their native libraries: an
     * OpenCL probe loads every installed driver), so only {@code auto} and reports call this.
     */
    static List<BackendProvider> providers() {
        List<BackendProvider> p = ranked;
        if (p == null) {
            synchronized (BackendRegistry.class) {
                p = ranked;
                if (p == null) {
                    List<BackendProvider> found = new ArrayList<>(loaded());
                    // Probe before sorting: priority may depend on what the probe found.
                    for (BackendProvider bp : found) {
                        bp.report();
                    }
                    found.sort(Comparator.comparingInt(BackendProvider::priority).reversed()
                            .thenComparing(BackendProvider::name));
                    p = List.copyOf(found);
                    ranked = p;
                }
            }
        }
        return p;
    }

    /** Providers in class-path order, none probed. */
    private static List<BackendProvider> loaded() {
        List<BackendProvider> p = loaded;
        if (p == null) {
            synchronized (BackendRegistry.class) {
                p = loaded;
                if (p == null) {
                    p = load();
                    loaded = p;
                }
            }
        }
        return p;
    }

    private static List<BackendProvider> load() {
        List<BackendProvider> found = new ArrayList<>();
        Iterator<BackendProvider> it = ServiceLoader.load(BackendProvider.class, BackendRegistry.class.getClassLoader())
                .iterator();
        while (true) {
            try {
                if (!it.hasNext()) {
                    break;
                }
                found.add(it.next());
            } catch (ServiceConfigurationError | LinkageError e) {
                // A provider compiled for a newer JDK, or one whose class fails to load: report it, go on.
                String msg = e.getMessage() == null ? e.toString() : e.getMessage();
                if (e.getCause() instanceof UnsupportedClassVersionError) {
                    msg = "needs a newer JDK (" + e.getCause().getMessage() + ")";
                }
                LOAD_ERRORS.add(BackendReport.unavailable("provider", msg));
            }
        }
        return List.copyOf(found);
    }

    static List<BackendReport> reports() {
        List<BackendReport> out = new ArrayList<>();
        for (BackendProvider p : providers()) {
            out.add(p.report());
        }
        synchronized (BackendRegistry.class) {
            out.addAll(LOAD_ERRORS);
        }
        return out;
    }

    /** Names of the providers on the class path, none probed. */
    static List<String> names() {
        List<String> names = new ArrayList<>();
        for (BackendProvider p : loaded()) {
            names.add(p.name());
        }
        return names;
    }

    /**
     * The provider named {@code name}, or null. Probes nothing: asking for {@code cpu} must not
     * load an OpenCL driver, whose signal handlers can outlive the probe (see OpenClProvider).
     */
    static BackendProvider provider(String name) {
        for (BackendProvider p : loaded()) {
            if (p.name().equals(name)) {
                return p;
            }
        }
        return null;
    }

    /** The device for {@code name} and {@code index}, opening its backend on first use. */
    static Device open(BackendProvider provider, int index) {
        String key = provider.name() + ":" + index;
        return OPEN.computeIfAbsent(key, k -> {
            Backend backend = provider.open(index);
            return new Device(backend);
        });
    }

    private static final Map<Backend, Device> WRAPPED = java.util.Collections.synchronizedMap(
            new java.util.IdentityHashMap<>());

    static Device wrap(Backend backend) {
        for (Device d : OPEN.values()) {
            if (d.backend() == backend) {
                return d;
            }
        }
        return WRAPPED.computeIfAbsent(backend, Device::new);
    }

    /** Devices opened so far. */
    static List<Device> openDevices() {
        List<Device> all = new ArrayList<>(OPEN.values());
        synchronized (WRAPPED) {
            for (Device d : WRAPPED.values()) {
                if (!all.contains(d)) {
                    all.add(d);
                }
            }
        }
        return all;
    }
}
