package dev.nabla;

import dev.nabla.autograd.GradMode;
import dev.nabla.backend.BackendReport;
import dev.nabla.backend.MemoryStats;
import java.util.List;

/**
 * Entry points that are not about one tensor: backends found on this machine, the default
 * device, memory scopes, grad mode and memory accounting.
 */
public final class Nabla {
    private static volatile Device defaultDevice;

    private Nabla() {
    }

    /**
     * One report per backend provider on the class path, highest priority first: available or
     * not, devices, versions, and the reason when unusable.
     */
    public static List<BackendReport> backends() {
        return BackendRegistry.reports();
    }

    /** The device used when none is given: {@link Device#auto()} unless set with {@link #setDefaultDevice}. */
    public static Device defaultDevice() {
        Device d = defaultDevice;
        if (d == null) {
            synchronized (Nabla.class) {
                d = defaultDevice;
                if (d == null) {
                    d = Device.auto();
                    defaultDevice = d;
                }
            }
        }
        return d;
    }

    /** Sets the device used when none is given. */
    public static void setDefaultDevice(Device device) {
        defaultDevice = device;
    }

    /**
     * Opens a memory scope on this thread: every tensor created until it closes is closed with it,
     * except those kept with {@link Scope#keep}, parameters and gradients. Use with
     * try-with-resources.
     */
    public static Scope scope() {
        return Scope.open();
    }

    /** Turns off graph recording on this thread until the guard closes (evaluation, optimizer updates). */
    public static GradMode.Guard noGrad() {
        return GradMode.disable();
    }

    /** Device memory of every opened backend plus tensor counts. */
    public static MemoryReport memory() {
        MemoryStats total = new MemoryStats(0, 0, 0, 0);
        for (Device d : BackendRegistry.openDevices()) {
            total = total.plus(d.backend().memoryStats());
        }
        return new MemoryReport(total, Tensor.LIVE.get(), Storage.FREED_BY_CLEANER.get());
    }

    /** Number of tensors created and not yet closed (views count separately). */
    public static long liveTensors() {
        return Tensor.LIVE.get();
    }

    /**
     * Memory accounting.
     *
     * @param device         device memory summed over opened backends
     * @param liveTensors    tensors created and not closed
     * @param freedByCleaner buffers the garbage-collection safety net had to free (ideally 0)
     */
    public record MemoryReport(MemoryStats device, long liveTensors, long freedByCleaner) {
    }
}
