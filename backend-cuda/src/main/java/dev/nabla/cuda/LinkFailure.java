package dev.nabla.cuda;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a native-library load failure into a short reason for a report line. JCuda's
 * {@link UnsatisfiedLinkError} carries two nested stack traces; what matters is the library the
 * dynamic linker could not find, e.g. {@code libcuda.so.1 not found}.
 */
final class LinkFailure {
    private static final Pattern MISSING = Pattern.compile("([\\w.+-]+\\.so[.\\d]*): cannot open shared object file");
    private static final Pattern VERSION = Pattern.compile("version `([^']+)' not found \\(required by ([^)]+)\\)");

    private LinkFailure() {
    }

    static String reason(Throwable t) {
        String all = messages(t);
        Matcher version = VERSION.matcher(all);
        if (version.find()) {
            return "symbol version " + version.group(1) + " not found (required by "
                    + shortName(version.group(2)) + ")";
        }
        String lastMissing = null;
        Matcher missing = MISSING.matcher(all);
        while (missing.find()) {
            lastMissing = missing.group(1);
        }
        if (lastMissing != null) {
            return lastMissing + " not found";
        }
        String first = all.isBlank() ? t.getClass().getSimpleName() : all.strip().lines().findFirst().orElse("");
        return first.length() > 200 ? first.substring(0, 200) + "..." : first;
    }

    private static String messages(Throwable t) {
        StringBuilder sb = new StringBuilder();
        for (Throwable c = t; c != null && sb.length() < 100_000; c = c.getCause()) {
            sb.append(c.getMessage() == null ? c.toString() : c.getMessage()).append('\n');
        }
        return sb.toString();
    }

    private static String shortName(String path) {
        int slash = path.lastIndexOf('/');
        return slash >= 0 ? path.substring(slash + 1) : path;
    }
}
