package dev.nabla.cli;

import dev.nabla.Device;
import dev.nabla.autograd.OpGradChecks;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code nabla gradcheck}: every differentiable op's backward against numerical gradients. */
@Command(name = "gradcheck", description = "Check every op's backward rule against central differences "
        + "(float64; on float32-only devices against the CPU's float64 results).")
final class GradcheckCommand implements Callable<Integer> {

    @Option(names = "--backend", description = "Device: auto, cpu, cuda, cuda:N, opencl, opencl:N (default: ${DEFAULT-VALUE}).",
            defaultValue = "auto")
    String backend;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Device device = Device.of(backend);
        out.println("Gradient check on " + device);
        int failed = 0;
        int width = 0;
        for (OpGradChecks.Case c : OpGradChecks.cases()) {
            width = Math.max(width, c.name().length());
        }
        String row = "%-" + width + "s  %-28s  %14s  %s%n";
        out.printf(row, "op", "method", "max rel. error", "pass");
        for (OpGradChecks.Case c : OpGradChecks.cases()) {
            OpGradChecks.Outcome o = OpGradChecks.run(c, device);
            if (!o.passed()) {
                failed++;
            }
            out.printf(row, o.name(), o.method(), String.format(Locale.ROOT, "%.2e", o.maxRelError()),
                    o.passed() ? "yes" : "NO (tolerance " + o.tolerance() + ")");
            out.flush();
        }
        out.println(failed == 0 ? "All " + OpGradChecks.cases().size() + " ops passed."
                : failed + " of " + OpGradChecks.cases().size() + " ops FAILED.");
        return failed == 0 ? 0 : 1;
    }
}
