package dev.nabla.cuda;

import dev.nabla.gpu.KernelSources;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The committed PTX (resources {@code dev/nabla/cuda/ptx/<tag>.ptx}, made by
 * {@code backend-cuda/src/main/ptx/generate.sh}) and what a driver needs to JIT it. nvcc 13 writes
 * PTX ISA 9.0, which only CUDA 13 drivers (R580+) load; the script lowers each file's
 * {@code .version} to the oldest ISA that {@code ptxas} still accepts, so older drivers JIT it too.
 */
public final class Ptx {
    /** Resource folder of the committed PTX. */
    public static final String ROOT = "/dev/nabla/cuda/ptx/";
    /** Virtual architecture every file is compiled for ({@code nvcc -arch=compute_80}). */
    public static final String ARCH = "compute_80";

    private static final Pattern VERSION = Pattern.compile("^\\s*\\.version\\s+(\\d+)\\.(\\d+)", Pattern.MULTILINE);
    private static volatile String summary;

    private Ptx() {
    }

    /** Tags of every committed file: the shared kernels' builds and our own GEMM. */
    public static List<String> tags() {
        List<String> tags = new ArrayList<>();
        for (KernelSources.Build b : KernelSources.builds(true)) {
            tags.add(b.tag());
        }
        tags.add(OwnGemm.PTX_TAG);
        return tags;
    }

    /** The PTX text of {@code tag}. */
    public static String text(String tag) {
        try (InputStream in = Ptx.class.getResourceAsStream(ROOT + tag + ".ptx")) {
            if (in == null) {
                throw new IllegalStateException("no committed PTX " + ROOT + tag
                        + ".ptx: run backend-cuda/src/main/ptx/generate.sh");
            }
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException("reading PTX " + tag, e);
        }
    }

    /** The PTX as the NUL-terminated image {@code cuModuleLoadData} takes. */
    static byte[] image(String tag) {
        byte[] text = text(tag).getBytes(StandardCharsets.US_ASCII);
        byte[] image = java.util.Arrays.copyOf(text, text.length + 1);
        image[text.length] = 0;
        return image;
    }

    /** The ISA of a PTX text as {@code major * 10 + minor} (e.g. 78 for 7.8), or -1. */
    public static int isa(String ptx) {
        Matcher m = VERSION.matcher(ptx);
        return m.find() ? Integer.parseInt(m.group(1)) * 10 + Integer.parseInt(m.group(2)) : -1;
    }

    /** {@code 7.8} for 78. */
    public static String isaName(int isa) {
        return isa / 10 + "." + isa % 10;
    }

    /**
     * The oldest CUDA version (as {@code cuDriverGetVersion} reports it: 11080 for 11.8) whose
     * driver JITs PTX of this ISA. From the PTX ISA release notes: 7.x came with CUDA 11.x,
     * 8.0-8.5 with 12.0-12.5, 8.6-8.8 with 12.7-12.9, 9.x with 13.x.
     */
    public static int minimumCuda(int isa) {
        int major = isa / 10, minor = isa % 10;
        if (major <= 6) {
            return 10000;
        }
        if (major == 7) {
            return 11000 + minor * 10;
        }
        if (major == 8) {
            return 12000 + (minor <= 5 ? minor : minor + 1) * 10;
        }
        return (major + 4) * 1000 + minor * 10;
    }

    /** The first Linux driver branch of a CUDA version, e.g. {@code R520} for 11.8 (for messages). */
    public static String minimumDriver(int cudaVersion) {
        int[][] table = {{11000, 450}, {11010, 455}, {11020, 460}, {11030, 465}, {11040, 470}, {11050, 495},
                {11060, 510}, {11070, 515}, {11080, 520}, {12000, 525}, {12010, 530}, {12020, 535}, {12030, 545},
                {12040, 550}, {12050, 555}, {12060, 560}, {12080, 570}, {12090, 575}, {13000, 580}};
        int branch = 0;
        for (int[] row : table) {
            if (cudaVersion >= row[0]) {
                branch = row[1];
            }
        }
        return branch == 0 ? "an older driver" : "R" + branch;
    }

    /** {@code 11.8} for 11080. */
    public static String cudaName(int version) {
        return version / 1000 + "." + version % 1000 / 10;
    }

    /** What a driver needs for PTX of this ISA, e.g. {@code PTX ISA 7.0 needs a driver for CUDA >= 11.0 (R450+)}. */
    public static String requirement(int isa) {
        int cuda = minimumCuda(isa);
        return "PTX ISA " + isaName(isa) + " needs a driver for CUDA >= " + cudaName(cuda) + " ("
                + minimumDriver(cuda) + "+)";
    }

    /** Highest ISA among the committed files (what the driver must support). */
    public static int highestIsa() {
        int max = -1;
        for (String tag : tags()) {
            max = Math.max(max, isa(text(tag)));
        }
        return max;
    }

    /** E.g. {@code PTX ISA 7.0 for compute_80 (14 files), needs a driver for CUDA >= 11.0 (R450+)}. */
    public static String summary() {
        String s = summary;
        if (s == null) {
            TreeSet<String> versions = new TreeSet<>();
            List<String> tags = tags();
            for (String tag : tags) {
                versions.add(isaName(isa(text(tag))));
            }
            int highest = highestIsa();
            s = "PTX ISA " + String.join("/", versions) + " for " + ARCH + " (" + tags.size() + " files); "
                    + requirement(highest).replace("PTX ISA " + isaName(highest) + " needs", "needs");
            summary = s;
        }
        return s;
    }
}
