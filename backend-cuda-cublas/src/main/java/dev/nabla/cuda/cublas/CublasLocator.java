package dev.nabla.cuda.cublas;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.SymbolLookup;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds and loads {@code libcublas.so.13}, else {@code libcublas.so.12}: first through the
 * dynamic loader (LD_LIBRARY_PATH, ld.so.cache), then in the folders where CUDA toolkits and pip
 * wheels put it: {@code $CUDA_HOME}/{@code $CUDA_PATH}, {@code /usr/local/cuda*\/targets/*\/lib},
 * {@code /usr/local/cuda*\/lib64}, and {@code site-packages/nvidia/cublas/lib} of the Python
 * environments found. Never throws for a missing library: the result says where it looked.
 */
final class CublasLocator {
    static final List<String> SONAMES = List.of("libcublas.so.13", "libcublas.so.12");

    /** A loaded library, or why none was. */
    record Result(SymbolLookup lookup, String library, String failure) {
        boolean found() {
            return lookup != null;
        }
    }

    private final List<Path> folders;
    private final boolean useLoader;

    /**
     * @param folders   folders to search, in order, after the loader
     * @param useLoader whether to ask the dynamic loader by soname first
     */
    CublasLocator(List<Path> folders, boolean useLoader) {
        this.folders = List.copyOf(folders);
        this.useLoader = useLoader;
    }

    /** The locator for this process: loader first, then the standard folders for {@code env}. */
    static CublasLocator standard(Map<String, String> env) {
        return new CublasLocator(standardFolders(env), true);
    }

    List<Path> folders() {
        return folders;
    }

    Result locate(Arena arena) {
        List<String> failures = new ArrayList<>();
        for (String soname : SONAMES) {
            if (useLoader) {
                try {
                    return new Result(SymbolLookup.libraryLookup(soname, arena), soname + " (loader path)", null);
                } catch (IllegalArgumentException e) {
                    // Not on the loader path: look in the folders.
                }
            }
            for (Path folder : folders) {
                Path file = folder.resolve(soname);
                if (Files.exists(file)) {
                    try {
                        return new Result(SymbolLookup.libraryLookup(file, arena), file.toString(), null);
                    } catch (IllegalArgumentException | UnsatisfiedLinkError e) {
                        failures.add(file + ": " + firstLine(e.getMessage()));
                    }
                }
            }
        }
        if (!failures.isEmpty()) {
            return new Result(null, null, "libcublas found but not loadable: " + String.join("; ", failures));
        }
        StringBuilder looked = new StringBuilder(useLoader ? "the loader path (LD_LIBRARY_PATH, ld.so.cache)" : "");
        for (Path f : folders) {
            looked.append(looked.length() == 0 ? "" : ", ").append(f);
        }
        String where = looked.length() == 0 ? "nowhere: no folder to search" : looked.toString();
        if (where.length() > 600) {
            where = where.substring(0, 600) + ", ...";
        }
        return new Result(null, null, "libcublas not found (looked for " + String.join(", ", SONAMES) + " in "
                + where + "); install the CUDA toolkit's cuBLAS or set CUDA_HOME / LD_LIBRARY_PATH");
    }

    /** The folders where cuBLAS is usually installed, existing ones only, without duplicates. */
    static List<Path> standardFolders(Map<String, String> env) {
        Set<Path> out = new LinkedHashSet<>();
        String ld = env.getOrDefault("LD_LIBRARY_PATH", "");
        for (String d : ld.split(":")) {
            if (!d.isBlank()) {
                out.add(Path.of(d));
            }
        }
        for (String var : List.of("CUDA_HOME", "CUDA_PATH")) {
            String home = env.get(var);
            if (home != null && !home.isBlank()) {
                addToolkit(out, Path.of(home));
            }
        }
        for (Path toolkit : children(Path.of("/usr/local"), "cuda")) {
            addToolkit(out, toolkit);
        }
        List<Path> sitePackages = new ArrayList<>();
        for (String var : List.of("VIRTUAL_ENV", "CONDA_PREFIX")) {
            String prefix = env.get(var);
            if (prefix != null && !prefix.isBlank()) {
                sitePackages.addAll(pythonLibs(Path.of(prefix)));
            }
        }
        String home = env.get("HOME");
        if (home != null) {
            sitePackages.addAll(pythonLibs(Path.of(home, ".local")));
        }
        sitePackages.addAll(pythonLibs(Path.of("/usr/local")));
        sitePackages.addAll(pythonLibs(Path.of("/usr")));
        sitePackages.add(Path.of("/usr/lib/python3/dist-packages"));
        for (Path opt : children(Path.of("/opt"), "")) {
            sitePackages.addAll(pythonLibs(opt));
            sitePackages.addAll(pythonLibs(opt.resolve(".venv")));
        }
        for (Path site : sitePackages) {
            out.add(site.resolve("nvidia/cublas/lib"));
        }
        out.removeIf(p -> !Files.isDirectory(p));
        return new ArrayList<>(out);
    }

    private static void addToolkit(Set<Path> out, Path toolkit) {
        for (Path target : children(toolkit.resolve("targets"), "")) {
            out.add(target.resolve("lib"));
        }
        out.add(toolkit.resolve("lib64"));
        out.add(toolkit.resolve("lib"));
    }

    /** {@code prefix/lib/python3*\/site-packages} and {@code dist-packages}. */
    private static List<Path> pythonLibs(Path prefix) {
        List<Path> out = new ArrayList<>();
        for (Path python : children(prefix.resolve("lib"), "python3")) {
            out.add(python.resolve("site-packages"));
            out.add(python.resolve("dist-packages"));
        }
        return out;
    }

    /** Sub-folders of {@code dir} whose names start with {@code prefix}, sorted newest-looking (descending) first. */
    private static List<Path> children(Path dir, String prefix) {
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, p -> p.getFileName().toString().startsWith(prefix)
                && Files.isDirectory(p))) {
            s.forEach(out::add);
        } catch (IOException | SecurityException e) {
            // An unreadable folder is one place less to look.
        }
        out.sort((a, b) -> b.getFileName().toString().compareTo(a.getFileName().toString()));
        return out;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unknown error";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
