package dev.nabla.opencl;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Built OpenCL program binaries on disk under {@code <nabla.cache.dir>/opencl/}, so a JVM after
 * the first skips the driver's compiler (about 0.6 s per program on NVIDIA, a few on POCL). The
 * file name holds a hash of everything the binary depends on: source, options, device, driver and
 * platform version; a stale or unreadable entry is ignored and rebuilt. Never required: every
 * failure here falls back to building from source.
 */
final class ProgramCache {
    private final Path dir;
    private final String deviceKey;

    ProgramCache(Path dir, String deviceKey) {
        this.dir = dir;
        this.deviceKey = deviceKey;
    }

    Path file(String tag, String source, String options) {
        return dir.resolve(tag + "-" + hash(deviceKey + "\n" + options + "\n" + source) + ".bin");
    }

    /** The cached binary, or null. */
    byte[] load(Path file) {
        try {
            return Files.isRegularFile(file) ? Files.readAllBytes(file) : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** Stores a binary atomically; false if the folder is not writable. */
    boolean store(Path file, byte[] binary) {
        try {
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, "program", ".tmp");
            Files.write(tmp, binary);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return true;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    Path dir() {
        return dir;
    }

    private static String hash(String text) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JDK", e);
        }
    }
}
