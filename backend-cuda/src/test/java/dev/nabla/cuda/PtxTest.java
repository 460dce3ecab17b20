package dev.nabla.cuda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The committed PTX is what {@code generate.sh} makes from today's sources, every file assembles
 * for sm_80 and sm_90 without spills, and its ISA stays loadable by CUDA 12 drivers. The tests that
 * need {@code nvcc}/{@code ptxas} skip, with that reason, where the CUDA toolkit is not on the PATH.
 */
class PtxTest {

    private static Path moduleDir() {
        return Path.of(System.getProperty("nabla.cuda.module.dir", System.getProperty("user.dir")));
    }

    private static Path committedDir() {
        return moduleDir().resolve("src/main/resources/dev/nabla/cuda/ptx");
    }

    @Test
    void committedFilesAreExactlyTheBuilds() throws IOException {
        TreeSet<String> onDisk;
        try (Stream<Path> files = Files.list(committedDir())) {
            onDisk = files.map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
        }
        TreeSet<String> expected = Ptx.tags().stream().map(t -> t + ".ptx").collect(Collectors.toCollection(TreeSet::new));
        assertThat(onDisk).isEqualTo(expected);
    }

    @Test
    void isaIsLoweredForCuda12DriversAndTargetsSm80() {
        for (String tag : Ptx.tags()) {
            String ptx = Ptx.text(tag);
            assertThat(Ptx.isa(ptx)).as(tag).isBetween(70, 78);
            assertThat(ptx).as(tag).containsPattern("(?m)^\\.target sm_80$");
        }
        assertThat(Ptx.summary()).startsWith("PTX ISA 7.0 for compute_80 (" + Ptx.tags().size() + " files)")
                .contains("CUDA >= 11.0 (R450+)");
    }

    @Test
    void isaToDriverTable() {
        assertThat(Ptx.minimumCuda(70)).isEqualTo(11000);
        assertThat(Ptx.minimumCuda(78)).isEqualTo(11080);
        assertThat(Ptx.minimumCuda(80)).isEqualTo(12000);
        assertThat(Ptx.minimumCuda(85)).isEqualTo(12050);
        assertThat(Ptx.minimumCuda(87)).isEqualTo(12080);
        assertThat(Ptx.minimumCuda(90)).isEqualTo(13000);
        assertThat(Ptx.requirement(90)).isEqualTo("PTX ISA 9.0 needs a driver for CUDA >= 13.0 (R580+)");
        assertThat(Ptx.requirement(78)).isEqualTo("PTX ISA 7.8 needs a driver for CUDA >= 11.8 (R520+)");
        assertThat(Ptx.isa("//\n.version 8.5\n.target sm_80\n")).isEqualTo(85);
    }

    @Test
    void committedPtxEqualsFreshNvccOutput(@TempDir Path dir) throws Exception {
        assumeTrue(onPath("nvcc") != null && onPath("ptxas") != null, "nvcc/ptxas are not on the PATH");
        Path builds = dir.resolve("builds.tsv");
        Files.write(builds, PtxBuilds.lines());
        Path out = Files.createDirectory(dir.resolve("out"));
        Path script = moduleDir().resolve("src/main/ptx/generate.sh");
        String log = run(List.of("bash", script.toString(), "--builds", builds.toString(), "--out", out.toString()), 600);
        assertThat(log).as("generate.sh output").doesNotStartWith("FAILED");
        for (String tag : Ptx.tags()) {
            Path fresh = out.resolve(tag + ".ptx");
            assertThat(fresh).as("generate.sh made " + tag).exists();
            assertThat(withoutComments(Files.readString(fresh)))
                    .as(tag + ".ptx differs from a fresh nvcc run: run backend-cuda/src/main/ptx/generate.sh and commit")
                    .isEqualTo(withoutComments(Ptx.text(tag)));
        }
    }

    @Test
    void ptxasAssemblesEveryFileForSm80AndSm90WithoutSpills(@TempDir Path dir) throws Exception {
        Path ptxas = onPath("ptxas");
        assumeTrue(ptxas != null, "ptxas is not on the PATH");
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<String>> results = new ArrayList<>();
            for (String tag : Ptx.tags()) {
                Path file = dir.resolve(tag + ".ptx");
                Files.writeString(file, Ptx.text(tag));
                for (String arch : List.of("sm_80", "sm_90")) {
                    results.add(pool.submit(() -> assemble(ptxas, file, arch, tag)));
                }
            }
            List<String> failures = new ArrayList<>();
            for (Future<String> f : results) {
                String failure = f.get(10, TimeUnit.MINUTES);
                if (failure != null) {
                    failures.add(failure);
                }
            }
            assertThat(failures).isEmpty();
        } finally {
            pool.shutdownNow();
        }
    }

    /** Null when ptxas assembles the file with no error and no spills, else what went wrong. */
    private static String assemble(Path ptxas, Path file, String arch, String tag) throws IOException, InterruptedException {
        String out = run(List.of(ptxas.toString(), "-arch=" + arch, "-v", file.toString(), "-o", "/dev/null"), 300);
        if (out.startsWith("FAILED")) {
            return tag + " " + arch + ": " + out;
        }
        Matcher spills = Pattern.compile("(\\d+) bytes spill stores").matcher(out);
        int functions = 0;
        while (spills.find()) {
            functions++;
            if (!spills.group(1).equals("0")) {
                return tag + " " + arch + ": spills registers: " + spills.group();
            }
        }
        return functions == 0 ? tag + " " + arch + ": no function properties in ptxas -v output:\n" + out : null;
    }

    static String withoutComments(String ptx) {
        return ptx.lines().filter(l -> !l.stripLeading().startsWith("//")).collect(Collectors.joining("\n"));
    }

    /** The command's output, or "FAILED (exit n)" and the output. */
    private static String run(List<String> cmd, long seconds) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] bytes = p.getInputStream().readAllBytes();
        if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return "FAILED (timeout) " + String.join(" ", cmd);
        }
        String out = new String(bytes, StandardCharsets.UTF_8);
        return p.exitValue() == 0 ? out : "FAILED (exit " + p.exitValue() + ") " + String.join(" ", cmd) + "\n" + out;
    }

    static Path onPath(String tool) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String d : path.split(File.pathSeparator)) {
            Path p = Path.of(d, tool);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }
}
