package dev.nabla.cuda;

import dev.nabla.gpu.KernelSources;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The list {@code src/main/ptx/generate.sh} compiles: one line per committed PTX file,
 * {@code tag<TAB>source file<TAB>-DNAME=value ...}. Shared kernels ({@code .cl}) are compiled with
 * the CUDA prelude and {@code common.h}; our own kernels ({@code .cu}, under {@code src/main/cuda})
 * as they are.
 */
public final class PtxBuilds {
    private PtxBuilds() {
    }

    /** The lines, in build order. */
    public static List<String> lines() {
        List<String> lines = new ArrayList<>();
        for (KernelSources.Build b : KernelSources.builds(true)) {
            StringBuilder defines = new StringBuilder();
            b.defines().forEach((k, v) -> defines.append(defines.length() == 0 ? "" : " ").append("-D").append(k)
                    .append('=').append(v));
            lines.add(b.tag() + "\t" + b.file() + "\t" + defines);
        }
        lines.add(OwnGemm.PTX_TAG + "\t" + OwnGemm.SOURCE + "\t");
        return lines;
    }

    public static void main(String[] args) {
        PrintStream out = System.out;
        lines().forEach(out::println);
    }
}
