package dev.nabla.opencl;

import dev.nabla.backend.Backend;
import dev.nabla.backend.BackendReport;
import dev.nabla.backend.contract.ContractRunner;
import java.util.List;

/**
 * A check for a machine without Maven (the GPU host): the provider's report, the backend contract
 * on every device through {@link ContractRunner}, then sgemm throughput on device 0. Exit status 1
 * if any contract check fails. {@code java -cp ... dev.nabla.opencl.DeviceCheck [sizes...]}
 */
public final class DeviceCheck {
    private DeviceCheck() {
    }

    public static void main(String[] args) {
        OpenClProvider provider = new OpenClProvider();
        BackendReport report = provider.report();
        System.out.println(report.summary());
        System.out.println("priority " + provider.priority());
        report.devices().forEach(d -> System.out.println("  [" + d.index() + "] " + d.name() + " " + d.properties()));
        if (!report.available()) {
            System.exit(2);
        }
        int failed = 0;
        for (BackendReport.DeviceInfo d : report.devices()) {
            long t0 = System.nanoTime();
            try (Backend b = provider.open(d.index())) {
                List<ContractRunner.Result> results = ContractRunner.run(b);
                long bad = results.stream().filter(r -> !r.passed()).count();
                long skipped = results.stream().filter(ContractRunner.Result::skipped).count();
                results.stream().filter(r -> !r.passed() || r.skipped())
                        .forEach(r -> System.out.println("  " + (r.passed() ? "" : "FAILED ") + r.name() + ": " + r.message()));
                System.out.printf("contract on [%d] %s: %d passed, %d failed, %d skipped (%.1f s)%n", d.index(),
                        d.name(), results.size() - bad - skipped, bad, skipped, (System.nanoTime() - t0) / 1e9);
                System.out.println("  report: " + b.report().details());
                failed += (int) bad;
            }
        }
        SgemmThroughput.main(args);
        System.exit(failed == 0 ? 0 : 1);
    }
}
