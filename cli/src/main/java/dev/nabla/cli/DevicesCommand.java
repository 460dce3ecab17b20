package dev.nabla.cli;

import dev.nabla.Device;
import dev.nabla.Nabla;
import dev.nabla.backend.BackendReport;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code nabla devices}: what each backend found and why it is or is not usable. */
@Command(name = "devices", description = "List the backends found, their devices, and why any is unusable.")
final class DevicesCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        out.println("Backends (highest priority first; policy: " + Device.policy() + ")");
        for (BackendReport r : Nabla.backends()) {
            print(out, r);
        }
        try {
            Device.Selection sel = Device.select(Device.policy());
            out.println();
            out.println("Selected: " + sel.device() + (sel.fellBack() ? "  (" + String.join("; ", sel.skipped()) + ")" : ""));
        } catch (RuntimeException e) {
            out.println();
            out.println("Selected: none (" + e.getMessage() + ")");
        }
        return 0;
    }

    static void print(PrintWriter out, BackendReport r) {
        out.printf("%n  %-7s %s%n", r.backend(), r.available() ? "available" : "unavailable: " + r.reason());
        if (r.available() && !r.reason().isEmpty()) {
            out.printf("          %s%n", r.reason());
        }
        for (Map.Entry<String, String> e : r.details().entrySet()) {
            out.printf("          %-22s %s%n", e.getKey(), e.getValue());
        }
        for (BackendReport.DeviceInfo d : r.devices()) {
            out.printf("    [%d] %s%s%n", d.index(), d.name(),
                    d.memoryBytes() > 0 ? String.format("  (%.1f GiB)", d.memoryBytes() / (double) (1L << 30)) : "");
            for (Map.Entry<String, String> e : d.properties().entrySet()) {
                out.printf("          %-22s %s%n", e.getKey(), e.getValue());
            }
        }
    }
}
