package dev.nabla.cuda;

import static jcuda.driver.JCudaDriver.cuCtxSetCurrent;
import static jcuda.driver.JCudaDriver.cuDeviceGet;
import static jcuda.driver.JCudaDriver.cuDevicePrimaryCtxRelease;
import static jcuda.driver.JCudaDriver.cuDevicePrimaryCtxRetain;
import static jcuda.driver.JCudaDriver.cuLaunchKernel;
import static jcuda.driver.JCudaDriver.cuMemAlloc;
import static jcuda.driver.JCudaDriver.cuMemFree;
import static jcuda.driver.JCudaDriver.cuMemcpyDtoH;
import static jcuda.driver.JCudaDriver.cuMemcpyHtoD;
import static jcuda.driver.JCudaDriver.cuModuleGetFunction;
import static jcuda.driver.JCudaDriver.cuModuleLoadData;
import static jcuda.driver.JCudaDriver.cuModuleUnload;
import static jcuda.driver.JCudaDriver.cuStreamCreate;
import static jcuda.driver.JCudaDriver.cuStreamDestroy;
import static jcuda.driver.JCudaDriver.cuStreamSynchronize;

import dev.nabla.gpu.GpuDevice;
import dev.nabla.gpu.GpuDeviceInfo;
import dev.nabla.gpu.KernelSources;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import jcuda.Pointer;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUfunction;
import jcuda.driver.CUmodule;
import jcuda.driver.CUresult;
import jcuda.driver.CUstream;

/**
 * {@link GpuDevice} over the CUDA driver API (JCuda): the device's primary context, bound on
 * every call because the calling thread may change; one stream; raw {@code cuMemAlloc}; modules
 * from the committed PTX. Host copies are synchronous driver copies on the legacy default stream,
 * which is ordered with our (blocking) stream: a write lands before later launches, a read waits
 * for every earlier launch.
 */
public final class CudaDevice implements GpuDevice {

    /** A {@code CUdeviceptr} that tells its address (for cuBLAS, which takes raw pointers). */
    static final class DevicePointer extends CUdeviceptr {
        long address() {
            return getNativePointer();
        }
    }

    /** A {@code CUstream} that tells its handle (cuBLAS's {@code cudaStream_t} is the same handle). */
    static final class Stream extends CUstream {
        long handle() {
            return getNativePointer();
        }
    }

    private record CudaMemory(DevicePointer pointer, long bytes) implements Memory {
    }

    private record CudaModule(CUmodule module, String tag) implements Module {
    }

    private record CudaKernel(CUfunction function, String name) implements Kernel {
    }

    private final int ordinal;
    private final GpuDeviceInfo info;
    private final int driverCuda;
    private final CUdevice device = new CUdevice();
    private final CUcontext context = new CUcontext();
    private final Stream stream = new Stream();
    private final Map<String, CudaModule> modules = new HashMap<>();
    private final Map<DevicePointer, Long> live = new IdentityHashMap<>();
    private long firstJitMillis = -1;
    private boolean closed;

    /**
     * Retains the primary context of device {@code ordinal} and creates the stream.
     *
     * @param driverCuda the CUDA version the driver supports (cuDriverGetVersion), for PTX messages
     */
    CudaDevice(int ordinal, GpuDeviceInfo info, int driverCuda) {
        this.ordinal = ordinal;
        this.info = info;
        this.driverCuda = driverCuda;
        CudaException.check("cuDeviceGet(" + ordinal + ")", cuDeviceGet(device, ordinal));
        CudaException.check("cuDevicePrimaryCtxRetain(" + ordinal + ")", cuDevicePrimaryCtxRetain(context, device));
        try {
            bind();
            CudaException.check("cuStreamCreate", cuStreamCreate(stream, 0));
        } catch (RuntimeException e) {
            cuDevicePrimaryCtxRelease(device);
            throw e;
        }
    }

    /** Makes the primary context current on the calling thread (CUDA contexts are per thread). */
    void bind() {
        if (closed) {
            throw new IllegalStateException("cuda:" + ordinal + ": device is closed");
        }
        CudaException.check("cuCtxSetCurrent", cuCtxSetCurrent(context));
    }

    int ordinal() {
        return ordinal;
    }

    /** The raw handle of our stream, for libraries that take a {@code cudaStream_t}. */
    long streamHandle() {
        return stream.handle();
    }

    Stream stream() {
        return stream;
    }

    /** The device address of a {@link Memory} of this device (byte 0 of the allocation). */
    static long address(Memory memory) {
        if (!(memory instanceof CudaMemory m)) {
            throw new IllegalArgumentException("not CUDA memory: " + memory);
        }
        return m.pointer().address();
    }

    @Override
    public GpuDeviceInfo info() {
        return info;
    }

    @Override
    public Memory allocate(long bytes) {
        bind();
        long size = Math.max(1, bytes);
        DevicePointer p = new DevicePointer();
        CudaException.checkAllocation("cuMemAlloc(" + size + " bytes)", cuMemAlloc(p, size));
        live.put(p, size);
        return new CudaMemory(p, size);
    }

    @Override
    public void free(Memory memory) {
        bind();
        DevicePointer p = pointer(memory);
        if (live.remove(p) != null) {
            CudaException.check("cuMemFree", cuMemFree(p));
        }
    }

    @Override
    public void write(Memory dst, long dstByteOffset, float[] src, int srcOffset, int count) {
        write(dst, dstByteOffset, Pointer.to(src).withByteOffset(srcOffset * 4L), count * 4L);
    }

    @Override
    public void write(Memory dst, long dstByteOffset, double[] src, int srcOffset, int count) {
        write(dst, dstByteOffset, Pointer.to(src).withByteOffset(srcOffset * 8L), count * 8L);
    }

    @Override
    public void write(Memory dst, long dstByteOffset, int[] src, int srcOffset, int count) {
        write(dst, dstByteOffset, Pointer.to(src).withByteOffset(srcOffset * 4L), count * 4L);
    }

    private void write(Memory dst, long offset, Pointer host, long bytes) {
        bind();
        CudaException.check("cuMemcpyHtoD(" + bytes + " bytes)", cuMemcpyHtoD(pointer(dst).withByteOffset(offset), host, bytes));
    }

    @Override
    public void read(Memory src, long srcByteOffset, float[] dst, int dstOffset, int count) {
        read(src, srcByteOffset, Pointer.to(dst).withByteOffset(dstOffset * 4L), count * 4L);
    }

    @Override
    public void read(Memory src, long srcByteOffset, double[] dst, int dstOffset, int count) {
        read(src, srcByteOffset, Pointer.to(dst).withByteOffset(dstOffset * 8L), count * 8L);
    }

    @Override
    public void read(Memory src, long srcByteOffset, int[] dst, int dstOffset, int count) {
        read(src, srcByteOffset, Pointer.to(dst).withByteOffset(dstOffset * 4L), count * 4L);
    }

    private void read(Memory src, long offset, Pointer host, long bytes) {
        bind();
        // Synchronise our stream first: a sticky kernel error then surfaces here, named, not as a copy failure.
        synchronize();
        CudaException.check("cuMemcpyDtoH(" + bytes + " bytes)", cuMemcpyDtoH(host, pointer(src).withByteOffset(offset), bytes));
    }

    @Override
    public Module load(String file, Map<String, String> defines) {
        return loadPtx(new KernelSources.Build(file, defines).tag());
    }

    /** The module of committed PTX {@code tag} (cached). */
    Module loadPtx(String tag) {
        CudaModule module = modules.get(tag);
        if (module == null) {
            bind();
            CUmodule m = new CUmodule();
            byte[] image = Ptx.image(tag);
            long t0 = System.nanoTime();
            int status = cuModuleLoadData(m, image);
            if (status != CUresult.CUDA_SUCCESS) {
                throw new CudaException("cuModuleLoadData(" + tag + ".ptx)", status, jitHint(status, image));
            }
            if (firstJitMillis < 0) {
                firstJitMillis = (System.nanoTime() - t0) / 1_000_000;
            }
            module = new CudaModule(m, tag);
            modules.put(tag, module);
        }
        return module;
    }

    /** Why the driver may have refused the PTX: its ISA against what the driver supports. */
    private String jitHint(int status, byte[] image) {
        int isa = Ptx.isa(new String(image, java.nio.charset.StandardCharsets.US_ASCII));
        String need = isa < 0 ? "PTX without a .version line" : Ptx.requirement(isa);
        if (status == CUresult.CUDA_ERROR_UNSUPPORTED_PTX_VERSION || status == CUresult.CUDA_ERROR_INVALID_PTX
                || status == CUresult.CUDA_ERROR_NO_BINARY_FOR_GPU) {
            return need + "; this driver supports CUDA " + Ptx.cudaName(driverCuda) + " and device "
                    + info.properties().getOrDefault("compute capability", "?")
                    + " (compute_80 PTX needs compute capability 8.0 or newer)";
        }
        return need;
    }

    /** Milliseconds the first module took to load (driver JIT), or -1 before any. */
    long firstJitMillis() {
        return firstJitMillis;
    }

    @Override
    public Kernel kernel(Module module, String name) {
        bind();
        CudaModule m = (CudaModule) module;
        CUfunction f = new CUfunction();
        CudaException.check("cuModuleGetFunction(" + name + " of " + m.tag() + ")", cuModuleGetFunction(f, m.module(), name));
        return new CudaKernel(f, name);
    }

    @Override
    public void launch(Kernel kernel, long[] globalSize, long[] localSize, Object... args) {
        CudaKernel k = (CudaKernel) kernel;
        int[] grid = {1, 1, 1};
        int[] block = {1, 1, 1};
        for (int d = 0; d < globalSize.length; d++) {
            if (localSize[d] <= 0 || globalSize[d] % localSize[d] != 0) {
                throw new IllegalArgumentException("launch " + k.name() + ": global size " + globalSize[d]
                        + " is not a multiple of local size " + localSize[d] + " on axis " + d);
            }
            grid[d] = Math.toIntExact(globalSize[d] / localSize[d]);
            block[d] = Math.toIntExact(localSize[d]);
        }
        Pointer[] params = new Pointer[args.length];
        for (int i = 0; i < args.length; i++) {
            params[i] = argument(k, i, args[i]);
        }
        bind();
        CudaException.check("cuLaunchKernel(" + k.name() + ")", cuLaunchKernel(k.function(),
                grid[0], grid[1], grid[2], block[0], block[1], block[2], 0, stream, Pointer.to(params), null));
    }

    private static Pointer argument(CudaKernel k, int index, Object arg) {
        if (arg instanceof Memory m) {
            return Pointer.to(pointer(m));
        } else if (arg instanceof Integer v) {
            return Pointer.to(new int[] {v});
        } else if (arg instanceof Long v) {
            return Pointer.to(new long[] {v});
        } else if (arg instanceof Float v) {
            return Pointer.to(new float[] {v});
        } else if (arg instanceof Double v) {
            return Pointer.to(new double[] {v});
        }
        throw new IllegalArgumentException("kernel " + k.name() + " argument " + index + ": unsupported type "
                + (arg == null ? "null" : arg.getClass().getName()));
    }

    @Override
    public void synchronize() {
        bind();
        CudaException.check("cuStreamSynchronize", cuStreamSynchronize(stream));
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        try {
            bind();
            cuStreamSynchronize(stream);
            for (CudaModule m : modules.values()) {
                cuModuleUnload(m.module());
            }
            for (DevicePointer p : live.keySet()) {
                cuMemFree(p);
            }
            cuStreamDestroy(stream);
        } finally {
            closed = true;
            modules.clear();
            live.clear();
            cuDevicePrimaryCtxRelease(device);
        }
    }

    private static DevicePointer pointer(Memory m) {
        if (!(m instanceof CudaMemory c)) {
            throw new IllegalArgumentException("not CUDA memory: " + m);
        }
        return c.pointer();
    }
}
