package dev.nabla.opencl;

import dev.nabla.Device;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Asks for a backend by a name no provider has, then prints whether any OpenCL library got
 * loaded; run in a child JVM by {@link OpenClProviderTest}.
 */
public final class NamedLookupMain {
    private NamedLookupMain() {
    }

    public static void main(String[] args) throws Exception {
        try {
            Device.of(args[0]);
            System.out.println("opened " + args[0]);
        } catch (RuntimeException e) {
            System.out.println("error=" + e.getMessage());
        }
        System.out.println("libOpenCL loaded=" + Files.readString(Path.of("/proc/self/maps")).contains("libOpenCL"));
    }
}
