package dev.nabla.cuda;

import dev.nabla.gpu.KernelSources;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code src/main/ptx/generate.sh} compiles, and the hash each committed PTX file must carry:
 * one line per file, {@code tag<TAB>source file<TAB>-DNAME=value ...<TAB>sha256}. Shared kernels
 * ({@code .cl}) are compiled with the CUDA prelude, {@code common.h} and the generated op table;
 * our own kernels ({@code .cu}, under {@code src/main/cuda}) as they are. The hash covers the
 * compiler options and every source text that reaches the compiler, so a test can tell, without
 * nvcc, that a kernel changed and its PTX was not regenerated.
 *
 * <pre>
 *   java dev.nabla.cuda.PtxBuilds CUDA_SOURCE_DIR [HEADER_DIR]
 * </pre>
 * prints the lines; with {@code HEADER_DIR} it also writes the headers a CUDA build includes there.
 */
public final class PtxBuilds {
    /** The comment line of a committed PTX file that holds its source hash. */
    public static final String HASH_PREFIX = "// nabla-source-sha256: ";

    private PtxBuilds() {
    }

    /**
     * The lines, in build order.
     *
     * @param cudaSources the folder of our own {@code .cu} kernels ({@code src/main/cuda})
     */
    public static List<String> lines(Path cudaSources) throws IOException {
        List<String> lines = new ArrayList<>();
        for (KernelSources.Build b : KernelSources.builds(true)) {
            StringBuilder defines = new StringBuilder();
            b.defines().forEach((k, v) -> defines.append(defines.length() == 0 ? "" : " ").append("-D").append(k)
                    .append('=').append(v));
            lines.add(b.tag() + "\t" + b.file() + "\t" + defines + "\t" + KernelSources.sourceHash(b));
        }
        lines.add(OwnGemm.PTX_TAG + "\t" + OwnGemm.SOURCE + "\t\t" + ownHash(cudaSources));
        return lines;
    }

    /** The hash of our own kernel's build: nvcc options and the {@code .cu} text. */
    static String ownHash(Path cudaSources) throws IOException {
        return KernelSources.sha256("nvcc -ptx -arch=compute_80\n"
                + Files.readString(cudaSources.resolve(OwnGemm.SOURCE)));
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            System.err.println("usage: PtxBuilds CUDA_SOURCE_DIR [HEADER_DIR]");
            System.exit(2);
        }
        if (args.length > 1) {
            Path headers = Path.of(args[1]);
            for (String h : KernelSources.CUDA_HEADERS) {
                Files.writeString(headers.resolve(h), KernelSources.text(h));
            }
        }
        PrintStream out = System.out;
        lines(Path.of(args[0])).forEach(out::println);
    }
}
