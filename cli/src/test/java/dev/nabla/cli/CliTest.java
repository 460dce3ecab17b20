package dev.nabla.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** The command line through {@link NablaCommand#execute}: output, exit codes, one-line errors. */
class CliTest {

    record Run(int code, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = NablaCommand.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void devicesListsEveryProviderAndTheCpuWithDetails() {
        Run r = run("devices");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("cpu     available").contains("gemm kernel").contains("Selected: ");
    }

    @Test
    void gradcheckPrintsATableAndPasses() {
        Run r = run("gradcheck", "--backend", "cpu");
        assertThat(r.code()).as(r.out()).isZero();
        assertThat(r.out()).contains("max rel. error").contains("matmul [3,5] @ [5,2]").contains("All ");
    }

    @Test
    void selftestRunsTheContract() {
        Run r = run("selftest", "--backend", "cpu", "--quiet");
        assertThat(r.code()).as(r.out()).isZero();
        assertThat(r.out()).containsPattern("\\d+ checks, 0 failed");
    }

    @Test
    void unknownBackendIsOneLineAndExitCode2() {
        Run r = run("gradcheck", "--backend", "tpu");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().strip()).startsWith("nabla: device 'tpu': no backend named 'tpu'").doesNotContain("\n")
                .doesNotContain("Exception");
    }

    @Test
    void verboseAddsTheStackTrace() {
        Run r = run("--verbose", "gradcheck", "--backend", "tpu");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("IllegalArgumentException").contains("\tat ");
    }

    @Test
    void unknownOptionIsExitCode2() {
        Run r = run("devices", "--bogus");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("Unknown option");
    }
}
