package dev.nabla.gpu;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The shared kernel files (resources under {@code dev/nabla/gpu/kernels/}) and every combination
 * of defines {@link KernelBackend} builds them with. Kept small and enumerable so that the CUDA
 * backend can precompile exactly these to PTX:
 * <pre>
 *   nvcc -ptx -arch=compute_80 -x cu -include prelude_cuda.h -include common.h -include optable.h -D K=V ... file.cl
 * </pre>
 * where {@code optable.h} is {@link OpTable#source()} written to a file.
 * and OpenCL compiles {@link #openClSource(String)} with the same {@code -D} options.
 */
public final class KernelSources {

    /** Fill and strided copy on 32/64-bit words; built without defines. */
    public static final String COPY = "copy.cl";
    /** Binary ops on INT32 (wrapping arithmetic, MAX/MIN, comparisons); built without defines. */
    public static final String INTEGER = "integer.cl";
    /** Unary, binary, casts, dropout, optimizer steps; built per {@code REAL}. */
    public static final String ELEMENTWISE = "elementwise.cl";
    /** Reductions, argMax, softmax, softmax cross-entropy; built per {@code REAL}. */
    public static final String REDUCE = "reduce.cl";
    /** Tiled GEMM; built per {@code REAL}, {@link GemmConfig} and vector loads on or off (warp-tiled: float only). */
    public static final String GEMM = "gemm.cl";

    /** Kernel files, in build order. */
    public static final List<String> FILES = List.of(COPY, INTEGER, ELEMENTWISE, REDUCE, GEMM);
    /** Headers included before every file: the OpenCL or CUDA prelude, then {@code common.h}. */
    public static final String PRELUDE_OPENCL = "prelude_opencl.h";
    public static final String PRELUDE_CUDA = "prelude_cuda.h";
    public static final String COMMON = "common.h";

    /** Work-group size of the reduction kernels (the {@code WG} define's default in reduce.cl). */
    public static final int REDUCE_WORK_GROUP = 256;

    private static final String ROOT = "/dev/nabla/gpu/kernels/";

    private KernelSources() {
    }

    /** One file with one set of defines. */
    public static final class Build {
        private final String file;
        private final Map<String, String> defines;
        private final String tag;

        public Build(String file, Map<String, String> defines) {
            this.file = Objects.requireNonNull(file, "file");
            this.defines = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(defines));
            StringBuilder sb = new StringBuilder(file.replace(".cl", ""));
            this.defines.forEach((k, v) -> sb.append('-').append(k).append('_').append(v));
            this.tag = sb.toString();
        }

        public String file() {
            return file;
        }

        /** The defines, in order. */
        public Map<String, String> defines() {
            return defines;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Build b && b.tag.equals(tag);
        }

        @Override
        public int hashCode() {
            return tag.hashCode();
        }

        @Override
        public String toString() {
            return "Build[" + tag + "]";
        }

        /** Defines as compiler options: {@code -D REAL=float -D BM=64 ...}. */
        public String options() {
            StringBuilder sb = new StringBuilder();
            defines.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : " ").append("-D ").append(k).append('=').append(v));
            return sb.toString();
        }

        /** A file-name-safe tag, unique per build: {@code gemm-REAL_float-BM_64-...} (computed once). */
        public String tag() {
            return tag;
        }
    }

    private static final Build COPY_BUILD = new Build(COPY, Map.of());
    private static final Build INTEGER_BUILD = new Build(INTEGER, Map.of());
    /** elementwise float, elementwise double, reduce float, reduce double: made once, asked for per launch. */
    private static final Build[] REAL_BUILDS = {
        new Build(ELEMENTWISE, Map.of("REAL", "float")), new Build(ELEMENTWISE, Map.of("REAL", "double")),
        new Build(REDUCE, Map.of("REAL", "float")), new Build(REDUCE, Map.of("REAL", "double")),
    };

    /** The build of {@link #COPY}. */
    public static Build copy() {
        return COPY_BUILD;
    }

    /** The build of {@link #INTEGER}. */
    public static Build integer() {
        return INTEGER_BUILD;
    }

    /** The build of a per-{@code REAL} file for {@code real} ({@code float} or {@code double}). */
    public static Build real(String file, String real) {
        int index;
        if (file.equals(ELEMENTWISE)) {
            index = 0;
        } else if (file.equals(REDUCE)) {
            index = 2;
        } else {
            throw new IllegalArgumentException(file + " is not built per REAL alone");
        }
        return REAL_BUILDS[index + (checkReal(real).equals("double") ? 1 : 0)];
    }

    /**
     * The build of {@link #GEMM} for {@code real} and one tile configuration; {@code vectorLoads}
     * (16-byte loads of aligned operands) exists for float only.
     */
    public static Build gemm(String real, GemmConfig config, boolean vectorLoads) {
        if (vectorLoads && !real.equals("float")) {
            throw new IllegalArgumentException("gemm.cl has vector loads for float only");
        }
        if (config.warpTiled() && !real.equals("float")) {
            throw new IllegalArgumentException("the warp-tiled gemm " + config + " is float only; float64 runs "
                    + config.forFloat64());
        }
        Map<String, String> d = new LinkedHashMap<>();
        d.put("REAL", checkReal(real));
        d.putAll(config.defines());
        d.put("VEC", vectorLoads ? "1" : "0");
        return new Build(GEMM, d);
    }

    /** Every build a backend may ask for: the whole set to precompile. */
    public static List<Build> builds(boolean fp64) {
        List<String> reals = fp64 ? List.of("float", "double") : List.of("float");
        List<Build> all = new ArrayList<>();
        all.add(copy());
        all.add(integer());
        for (String r : reals) {
            all.add(real(ELEMENTWISE, r));
            all.add(real(REDUCE, r));
            for (GemmConfig c : GemmConfig.CANDIDATES) {
                if (c.warpTiled() && !r.equals("float")) {
                    continue; // float64 runs c.forFloat64(), a plain candidate built here too
                }
                all.add(gemm(r, c, false));
                if (r.equals("float")) {
                    all.add(gemm(r, c, true));
                }
            }
        }
        return all;
    }

    /** The headers a CUDA build includes, in order: the CUDA prelude, {@code common.h}, the generated op table. */
    public static final List<String> CUDA_HEADERS = List.of(PRELUDE_CUDA, COMMON, OpTable.HEADER);

    /** Text of a kernel file or header, the generated {@link OpTable#HEADER} included. */
    public static String text(String name) {
        return name.equals(OpTable.HEADER) ? OpTable.source() : read(name);
    }

    /**
     * The nvcc arguments that compile {@code build} to PTX, reading the files and headers of
     * {@link #text} from {@code dir}: {@code -ptx -arch=compute_80 -x cu -include ... -D... file}
     * (then {@code -o out.ptx}). The CUDA compile test and the PTX generator both use this.
     */
    public static List<String> nvccArguments(Build build, java.nio.file.Path dir) {
        List<String> args = new ArrayList<>(List.of("-ptx", "-arch=compute_80", "-x", "cu"));
        for (String h : CUDA_HEADERS) {
            args.add("-include");
            args.add(dir.resolve(h).toString());
        }
        build.defines().forEach((k, v) -> args.add("-D" + k + "=" + v));
        args.add(dir.resolve(build.file()).toString());
        return args;
    }

    /**
     * SHA-256 (hex) of everything that decides {@code build}'s PTX: the nvcc options, the defines,
     * the headers (the generated op table included) and the file. Committed PTX carries it, so a
     * test without nvcc sees when a source changed and the PTX was not regenerated.
     */
    public static String sourceHash(Build build) {
        StringBuilder all = new StringBuilder("nvcc -ptx -arch=compute_80 -x cu\n").append(build.options()).append('\n');
        for (String h : CUDA_HEADERS) {
            all.append(text(h)).append('\n');
        }
        return sha256(all.append(text(build.file())).toString());
    }

    /** SHA-256 of {@code text}'s UTF-8 bytes, in hex. */
    public static String sha256(String text) {
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8));
            StringBuilder hex = new StringBuilder();
            for (byte b : digest) {
                hex.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
            }
            return hex.toString();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** Text of a kernel file or header. */
    public static String read(String name) {
        try (InputStream in = KernelSources.class.getResourceAsStream(ROOT + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no kernel resource " + ROOT + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("reading kernel resource " + name, e);
        }
    }

    /**
     * The complete OpenCL C source of {@code file}: prelude, common helpers, the generated op table
     * ({@link OpTable}), then the file (line numbers kept).
     */
    public static String openClSource(String file) {
        return read(PRELUDE_OPENCL) + "\n" + read(COMMON) + "\n" + OpTable.source() + "\n#line 1 \"" + file + "\"\n"
                + read(file);
    }

    private static String checkReal(String real) {
        if (!real.equals("float") && !real.equals("double")) {
            throw new IllegalArgumentException("REAL must be float or double, not " + real);
        }
        return real;
    }
}
