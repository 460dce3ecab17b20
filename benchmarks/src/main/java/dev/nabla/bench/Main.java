package dev.nabla.bench;

import dev.nabla.bench.report.ReportMain;
import java.util.Arrays;

/**
 * Entry point of {@code benchmarks.jar}: {@code report ...} runs the benchmark report
 * ({@link ReportMain}); anything else goes to JMH ({@code -l} lists the benchmarks, {@code -h}
 * shows JMH's options).
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("report")) {
            System.exit(ReportMain.run(Arrays.copyOfRange(args, 1, args.length)));
        }
        org.openjdk.jmh.Main.main(args);
    }
}
