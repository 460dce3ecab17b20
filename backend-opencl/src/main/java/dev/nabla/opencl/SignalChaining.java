package dev.nabla.opencl;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Whether this JVM can load OpenCL drivers safely. Drivers built on LLVM (POCL, and others)
 * install their own SIGSEGV/SIGBUS handlers over the JVM's when they load, and HotSpot uses those
 * signals itself (safepoint polls, implicit null checks): with POCL 3.1 on JDK 17 the JVM then
 * died at random, with exit code 139 and no hs_err file. HotSpot's remedy is signal chaining:
 * {@code libjsig.so}, preloaded ({@code LD_PRELOAD}), keeps the JVM's handlers installed and calls
 * a library's handler only for faults the JVM does not own. Nabla's launchers and {@code mvn
 * verify} preload it; without it the OpenCL provider does not load any driver, and says why.
 *
 * <p>{@code -Dnabla.opencl.signalChaining=off} loads the drivers anyway (for a JVM that cannot
 * take {@code LD_PRELOAD}, at the risk above). Only Linux is checked: the crash and the remedy
 * were seen and verified there.
 */
final class SignalChaining {
    static final String PROPERTY = "nabla.opencl.signalChaining";

    private SignalChaining() {
    }

    /** Null when drivers may load; otherwise why not, and how to fix it. */
    static String refusal() {
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")
                || "off".equalsIgnoreCase(System.getProperty(PROPERTY, "").trim())) {
            return null;
        }
        String maps;
        try {
            maps = Files.readString(Path.of("/proc/self/maps"));
        } catch (IOException | RuntimeException e) {
            return null; // no /proc to ask: do not stand in the way
        }
        return refusal(maps, System.getProperty("java.home"));
    }

    /** The decision for a process whose memory map is {@code maps} (testable without a JVM restart). */
    static String refusal(String maps, String javaHome) {
        if (maps.contains("/libjsig.so")) {
            return null;
        }
        return "not loading OpenCL drivers: this JVM runs without signal chaining, and drivers built on"
                + " LLVM (POCL, ...) replace the JVM's SIGSEGV handler, which crashes it at random (exit 139)."
                + " Start java with LD_PRELOAD=" + Path.of(javaHome == null ? "$JAVA_HOME" : javaHome, "lib", "libjsig.so")
                + " (./nabla, examples/run.sh, benchmarks/report.sh and mvn verify do), or set -D" + PROPERTY
                + "=off to load them at that risk";
    }

    /** One line for the report of a provider that loaded its drivers. */
    static String describe() {
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
            return "not checked (not Linux)";
        }
        return "off".equalsIgnoreCase(System.getProperty(PROPERTY, "").trim())
                ? "not checked (-D" + PROPERTY + "=off: the JVM may crash if a driver replaced its handlers)"
                : "on (libjsig.so preloaded: the JVM keeps its signal handlers)";
    }
}
