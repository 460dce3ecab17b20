package dev.nabla.cuda;

import static jcuda.driver.JCudaDriver.cuCtxSetCurrent;
import static jcuda.driver.JCudaDriver.cuDeviceGet;
import static jcuda.driver.JCudaDriver.cuDevicePrimaryCtxRelease;
import static jcuda.driver.JCudaDriver.cuDevicePrimaryCtxRetain;
import static jcuda.driver.JCudaDriver.cuLaunchKernel;
import static jcuda.driver.JCudaDriver.cuMemAlloc;
import static jcuda.driver.JCudaDriver.cuMemAllocHost;
import static jcuda.driver.JCudaDriver.cuMemFree;
import static jcuda.driver.JCudaDriver.cuMemFreeHost;
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
import java.nio.ByteBuffer;
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
 * {@link GpuDevice} over the CUDA driver API (JCuda): the device's primary context, made current
 * whenever the calling thread differs from the last one it was made current on; one stream; raw
 * {@code cuMemAlloc}; modules from the committed PTX. Host copies are synchronous driver copies on
 * the legacy default stream, which is ordered with our (blocking) stream: a write lands before later
 * launches, a read waits for every earlier launch.
 *
 * <p>Launches pass their arguments packed in one block of host memory ({@link KernelParams},
 * {@code CU_LAUNCH_PARAM_BUFFER_POINTER}); {@link #verifyPackedLaunch()} checks that path on the
 * device once and falls back to one JCuda {@code Pointer} per argument if it disagrees.
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

    /** Pinned host memory that tells its address. */
    static final class HostPointer extends Pointer {
        long address() {
            return getNativePointer();
        }
    }

    /**
     * The context each thread last made current through a CudaDevice. CUDA keeps the current
     * context per thread, so it is set again only on a thread that has not had this one set yet
     * (or had another CudaDevice's since); code outside Nabla that changes a thread's current
     * context between our calls is not noticed.
     */
    private static final ThreadLocal<CUcontext> CURRENT = new ThreadLocal<>();

    /** Layout of {@link #launchBlock}: the {@code extra} array (5 pointers) at 0, the size at 40, the parameters at 64. */
    private static final int SIZE_AT = 40;
    private static final int PARAMS_AT = 64;
    /** {@code false} passes kernel arguments as one JCuda {@code Pointer} each (for comparisons). */
    static final String PACKED_PROPERTY = "nabla.cuda.packedArguments";

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
    /** Pinned block holding {@code extra} = {BUFFER_POINTER, params, BUFFER_SIZE, &size, END}, size and params. */
    private HostPointer launchBlock;
    private ByteBuffer launchBytes;
    private ByteBuffer params;
    private boolean packedLaunches;
    private String launchMode = "one JCuda Pointer per argument";

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
        HostPointer block = new HostPointer();
        if ("false".equalsIgnoreCase(System.getProperty(PACKED_PROPERTY, "true"))) {
            launchMode = "one JCuda Pointer per argument (" + PACKED_PROPERTY + "=false)";
        } else if (cuMemAllocHost(block, PARAMS_AT + KernelParams.CAPACITY) == CUresult.CUDA_SUCCESS) {
            launchBlock = block;
            launchBytes = KernelParams.order(block.getByteBuffer(0, PARAMS_AT + KernelParams.CAPACITY));
            long base = block.address();
            launchBytes.putLong(0, 1L); // CU_LAUNCH_PARAM_BUFFER_POINTER
            launchBytes.putLong(8, base + PARAMS_AT);
            launchBytes.putLong(16, 2L); // CU_LAUNCH_PARAM_BUFFER_SIZE
            launchBytes.putLong(24, base + SIZE_AT);
            launchBytes.putLong(32, 0L); // CU_LAUNCH_PARAM_END
            params = KernelParams.order(launchBytes.duplicate().position(PARAMS_AT).slice());
            packedLaunches = true;
            launchMode = "packed in one buffer (CU_LAUNCH_PARAM_BUFFER_POINTER), not yet verified";
        }
    }

    /** Makes the primary context current on the calling thread if it is not already (contexts are per thread). */
    void bind() {
        if (closed) {
            throw new IllegalStateException("cuda:" + ordinal + ": device is closed");
        }
        if (CURRENT.get() != context) {
            CudaException.check("cuCtxSetCurrent", cuCtxSetCurrent(context));
            CURRENT.set(context);
        }
    }

    /** How kernel arguments are passed, for the report. */
    String launchMode() {
        return launchMode;
    }

    /**
     * Runs a strided copy (pointers, 64-bit and 32-bit arguments interleaved, so alignment padding
     * is exercised) and a fill (a trailing 32-bit argument) with packed arguments and compares the
     * results; on any difference or error launches fall back to one JCuda {@code Pointer} per
     * argument. Needs the {@code copy} module.
     *
     * @return null when packed launches are in use and verified, else why not
     */
    String verifyPackedLaunch() {
        if (!packedLaunches) {
            if (launchBlock == null && !launchMode.contains(PACKED_PROPERTY)) {
                launchMode = "one JCuda Pointer per argument (cuMemAllocHost for packed arguments failed)";
            }
            return launchMode;
        }
        String failure;
        try {
            failure = packedLaunchCheck();
        } catch (RuntimeException e) {
            failure = e.getMessage();
        }
        if (failure == null) {
            launchMode = "packed in one buffer (CU_LAUNCH_PARAM_BUFFER_POINTER), verified by a strided copy and a fill";
            return null;
        }
        packedLaunches = false;
        String perArgument;
        try {
            String again = packedLaunchCheck();
            perArgument = again == null ? "" : "; one Pointer per argument fails too: " + again;
        } catch (RuntimeException e) {
            perArgument = "; one Pointer per argument fails too: " + e.getMessage();
        }
        launchMode = "one JCuda Pointer per argument (packed arguments failed their check: " + failure + perArgument
                + ")";
        return launchMode;
    }

    /**
     * {@code dst[i][j] = src[j][i]} for a 4x2 source through copy_strided_u32 (parameters end with an
     * i64), then fill_u32 of {@code dst[1..3]} (they end with a u32, so the packed size has no
     * trailing padding); null when both are right.
     */
    private String packedLaunchCheck() {
        Memory src = allocate(32);
        Memory dst = allocate(32);
        try {
            int[] in = {1, 2, 3, 4, 5, 6, 7, 8};
            write(src, 0, in, 0, 8);
            write(dst, 0, new int[8], 0, 8);
            Kernel k = kernel(load(KernelSources.COPY, Map.of()), "copy_strided_u32");
            Object[] args = new Object[5 + 9 + 16];
            int a = 0;
            args[a++] = src;
            args[a++] = 0L;
            args[a++] = dst;
            args[a++] = 0L;
            args[a++] = 8L;
            args[a++] = 2;
            int[] extents = {4, 2, 1, 1, 1, 1, 1, 1};
            long[] srcStrides = {2, 1, 0, 0, 0, 0, 0, 0};
            long[] dstStrides = {1, 4, 0, 0, 0, 0, 0, 0};
            for (int e : extents) {
                args[a++] = e;
            }
            for (long v : srcStrides) {
                args[a++] = v;
            }
            for (long v : dstStrides) {
                args[a++] = v;
            }
            launch(k, new long[] {64}, new long[] {64}, args);
            int[] out = new int[8];
            read(dst, 0, out, 0, 8);
            int[] expected = {1, 3, 5, 7, 2, 4, 6, 8};
            if (!java.util.Arrays.equals(out, expected)) {
                return "strided copy gave " + java.util.Arrays.toString(out) + ", expected "
                        + java.util.Arrays.toString(expected);
            }
            Kernel fill = kernel(load(KernelSources.COPY, Map.of()), "fill_u32");
            launch(fill, new long[] {64}, new long[] {64}, dst, 1L, 3L, 0x5eed);
            read(dst, 0, out, 0, 8);
            expected = new int[] {1, 0x5eed, 0x5eed, 0x5eed, 2, 4, 6, 8};
            return java.util.Arrays.equals(out, expected) ? null
                    : "fill gave " + java.util.Arrays.toString(out) + ", expected " + java.util.Arrays.toString(expected);
        } finally {
            free(src);
            free(dst);
        }
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
        int status = cuMemcpyHtoD(pointer(dst).withByteOffset(offset), host, bytes);
        if (status != CUresult.CUDA_SUCCESS) {
            throw new CudaException("cuMemcpyHtoD(" + bytes + " bytes)", status, null);
        }
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
        int status = cuMemcpyDtoH(host, pointer(src).withByteOffset(offset), bytes);
        if (status != CUresult.CUDA_SUCCESS) {
            throw new CudaException("cuMemcpyDtoH(" + bytes + " bytes)", status, null);
        }
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
        int dims = globalSize.length;
        for (int d = 0; d < dims; d++) {
            if (localSize[d] <= 0 || globalSize[d] % localSize[d] != 0) {
                throw new IllegalArgumentException("launch " + k.name() + ": global size " + globalSize[d]
                        + " is not a multiple of local size " + localSize[d] + " on axis " + d);
            }
        }
        int gridX = blocks(globalSize, localSize, 0), gridY = blocks(globalSize, localSize, 1);
        int gridZ = blocks(globalSize, localSize, 2);
        int blockX = threads(localSize, 0), blockY = threads(localSize, 1), blockZ = threads(localSize, 2);
        bind();
        int status;
        if (packedLaunches) {
            int size = KernelParams.pack(params, k.name(), args, CudaDevice::address);
            launchBytes.putLong(SIZE_AT, size);
            status = cuLaunchKernel(k.function(), gridX, gridY, gridZ, blockX, blockY, blockZ, 0, stream, null,
                    launchBlock);
        } else {
            Pointer[] params = new Pointer[args.length];
            for (int i = 0; i < args.length; i++) {
                params[i] = argument(k, i, args[i]);
            }
            status = cuLaunchKernel(k.function(), gridX, gridY, gridZ, blockX, blockY, blockZ, 0, stream,
                    Pointer.to(params), null);
        }
        if (status != CUresult.CUDA_SUCCESS) {
            throw new CudaException("cuLaunchKernel(" + k.name() + ")", status, null);
        }
    }

    private static int blocks(long[] global, long[] local, int d) {
        return d < global.length ? Math.toIntExact(global[d] / local[d]) : 1;
    }

    private static int threads(long[] local, int d) {
        return d < local.length ? Math.toIntExact(local[d]) : 1;
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
            if (launchBlock != null) {
                cuMemFreeHost(launchBlock);
            }
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
