package dev.nabla.opencl;

import dev.nabla.gpu.CacheDir;
import dev.nabla.gpu.KernelBackend;
import java.util.Map;

/** The OpenCL backend: the shared kernels and dispatch of {@link KernelBackend} on one OpenCL device. */
public final class OpenClBackend extends KernelBackend {
    private final String libraryNote;

    OpenClBackend(int index, ClDeviceEntry entry, String libraryNote) {
        super("opencl", index, new OpenClDevice(entry, CacheDir.resolve()));
        this.libraryNote = libraryNote;
    }

    @Override
    protected String float64MissingReason() {
        return " (the device lacks cl_khr_fp64)";
    }

    @Override
    protected void reportDetails(Map<String, String> details) {
        details.put("library", libraryNote);
        details.put("programs", ((OpenClDevice) device()).programCacheSummary());
    }
}
