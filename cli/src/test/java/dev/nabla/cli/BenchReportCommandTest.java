package dev.nabla.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** {@code nabla bench-report}: finding benchmarks.jar, the child JVM's command line, errors. */
class BenchReportCommandTest {

    @Test
    void aMissingJarIsOneLineAndExitCode2() {
        CliTest.Run r = CliTest.run("bench-report", "--jar", "/nonexistent/benchmarks.jar");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().strip()).isEqualTo(
                "nabla: benchmarks jar /nonexistent/benchmarks.jar (from --jar) does not exist");
    }

    @Test
    void helpListsTheOptions() {
        CliTest.Run r = CliTest.run("bench-report", "--help");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("--quick", "--full", "--compare-cpu", "--out=DIR", "--backends=B", "--jar=PATH");
    }

    @Test
    void profilesExcludeEachOther() {
        CliTest.Run r = CliTest.run("bench-report", "--quick", "--full");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("mutually exclusive");
    }

    @Test
    void theChildJvmGetsTheFlagsTheJarAndTheOptions() {
        BenchReportCommand c = new BenchReportCommand();
        c.profile = new BenchReportCommand.Profile();
        c.profile.full = true;
        c.out = Path.of("results");
        c.backends = List.of("cpu", "cuda");
        c.threads = List.of(1, 2);
        c.noPython = true;
        c.dryRun = true;
        List<String> cmd = c.command("/jdk/bin/java", Path.of("/x/benchmarks.jar"));
        assertThat(cmd.get(0)).isEqualTo("/jdk/bin/java");
        assertThat(cmd).contains("--enable-native-access=ALL-UNNAMED")
                .containsSubsequence("-jar", "/x/benchmarks.jar", "report", "--full", "--out", "results", "--backends",
                        "cpu,cuda", "--threads", "1,2", "--no-python", "--dry-run");
        assertThat(BenchReportCommand.jvmFlags()).as("filled in from the root pom's nabla.jvm.flags")
                .contains("--enable-native-access=ALL-UNNAMED").noneMatch(f -> f.contains("${"));
    }

    @Test
    void theJarIsFoundBesideTheCliOrInTheSourceCheckout() {
        Path root = Path.of("/src/nabla");
        assertThat(BenchReportCommand.candidates(root.resolve("cli/target/nabla-cli-0.1.0.jar")))
                .contains(root.resolve("benchmarks/target/benchmarks.jar"), root.resolve("cli/target/benchmarks.jar"));
        assertThat(BenchReportCommand.candidates(Path.of("/opt/nabla/lib/nabla-cli.jar")))
                .contains(Path.of("/opt/nabla/lib/benchmarks.jar"));
    }

    /** Runs the real jar (built before the CLI in the reactor) as far as its plan. */
    @Test
    void dryRunPrintsThePlanFromTheRealJar() {
        Path jar = BenchReportCommand.candidates(BenchReportCommand.codeLocation()).stream()
                .filter(Files::isRegularFile).findFirst().orElse(null);
        Assumptions.assumeTrue(jar != null, "benchmarks.jar is not built (e.g. mvn -pl cli): nothing to start");
        CliTest.Run r = CliTest.run("bench-report", "--dry-run", "--backends", "cpu,cuda");
        assertThat(r.code()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("planned  GEMM, cpu").contains("planned  numerical gradient, cpu")
                .containsPattern("skipped  cuda: (unavailable|not in this build)");
        assertThat(r.err()).doesNotContain("WARNING: Using incubator modules");
    }
}
