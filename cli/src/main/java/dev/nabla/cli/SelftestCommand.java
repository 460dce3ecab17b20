package dev.nabla.cli;

import dev.nabla.Device;
import dev.nabla.autograd.OpGradChecks;
import dev.nabla.backend.contract.ContractRunner;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code nabla selftest}: the backend contract (every SPI kernel against scalar references) and
 * every op's gradient check, on one device, without Maven or JUnit — for GPU hosts.
 */
@Command(name = "selftest", description = "Run the backend contract checks and every op's gradient check on one device.")
final class SelftestCommand implements Callable<Integer> {

    @Option(names = "--backend", description = "Device: auto, cpu, cuda, cuda:N, opencl, opencl:N (default: ${DEFAULT-VALUE}).",
            defaultValue = "auto")
    String backend;

    @Option(names = "--quiet", description = "Print failures and the summary only.")
    boolean quiet;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Device device = Device.of(backend);
        out.println("Self-test on " + device + ": " + device.report().summary());
        long start = System.nanoTime();
        List<String> failures = new ArrayList<>();
        int total = 0;
        for (ContractRunner.Result r : ContractRunner.run(device.backend())) {
            total++;
            if (!r.passed()) {
                failures.add(r.name() + ": " + r.message());
            }
            if (!quiet || !r.passed()) {
                out.printf("  %-4s %-60s %6d ms%s%n", r.passed() ? "ok" : "FAIL", r.name(), r.millis(),
                        r.passed() ? "" : "  " + r.message());
                out.flush();
            }
        }
        for (OpGradChecks.Case c : OpGradChecks.cases()) {
            total++;
            long t0 = System.nanoTime();
            String name = "op " + c.name();
            String message;
            boolean passed;
            try {
                OpGradChecks.Outcome o = OpGradChecks.run(c, device);
                passed = o.passed();
                message = String.format(java.util.Locale.ROOT, "max rel. error %.2e (%s)", o.maxRelError(), o.method());
            } catch (RuntimeException e) {
                passed = false;
                message = e.getClass().getSimpleName() + ": " + e.getMessage();
            }
            if (!passed) {
                failures.add(name + ": " + message);
            }
            if (!quiet || !passed) {
                out.printf("  %-4s %-60s %6d ms  %s%n", passed ? "ok" : "FAIL", name, (System.nanoTime() - t0) / 1_000_000,
                        message);
                out.flush();
            }
        }
        out.printf("%d checks, %d failed, %.1f s%n", total, failures.size(), (System.nanoTime() - start) / 1e9);
        return failures.isEmpty() ? 0 : 1;
    }
}
