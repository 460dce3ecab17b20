package dev.nabla.gpu;

import java.util.Map;

/**
 * The few things {@link KernelBackend} needs from a GPU API: raw memory, host transfers, modules
 * of the shared kernels, launches and a barrier. OpenCL (JOCL) and CUDA (JCuda driver API)
 * implement it; everything else (argument checks, kernel choice, launch geometry, caching of
 * memory) lives once in {@code KernelBackend}.
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li>All calls come from one thread at a time ({@code KernelBackend} serialises them), never
 *       from a {@link java.lang.ref.Cleaner} thread. A CUDA implementation still binds its context
 *       on entry, since the calling thread may change between calls.</li>
 *   <li>Work runs in submission order on one queue/stream: a launch sees the effects of every earlier
 *       write and launch; {@code read} returns once the data it reads is final.</li>
 *   <li>Failures of the API are thrown as {@link IllegalStateException} naming the call and the
 *       API's error name (e.g. {@code clEnqueueNDRangeKernel(gemm): CL_INVALID_WORK_GROUP_SIZE});
 *       nothing may end the JVM. Running out of device memory in {@link #allocate} is
 *       {@link DeviceOutOfMemoryException}, which the caching allocator handles.</li>
 *   <li>Offsets given to transfers are in bytes into the allocation; counts are in elements of the
 *       host array.</li>
 * </ul>
 */
public interface GpuDevice extends AutoCloseable {

    /** One raw device allocation (a {@code cl_mem}, a {@code CUdeviceptr}). */
    interface Memory {
        /** Size in bytes, as asked for in {@link #allocate}. */
        long bytes();
    }

    /** A compiled module of one kernel file with one set of defines (a {@code cl_program}, a {@code CUmodule}). */
    interface Module {
    }

    /** One entry point of a module (a {@code cl_kernel}, a {@code CUfunction}). */
    interface Kernel {
        /** The kernel's function name. */
        String name();
    }

    /** What the device is; constant for the life of the device. */
    GpuDeviceInfo info();

    /**
     * Allocates {@code bytes} bytes (at least 1) of device memory; contents unspecified.
     *
     * @throws DeviceOutOfMemoryException when the device has no room; the caller may free cached
     *                                    memory and try again
     */
    Memory allocate(long bytes);

    /** Returns memory from {@link #allocate}; queued work that uses it still completes correctly. */
    void free(Memory memory);

    /** Copies {@code count} floats from {@code src[srcOffset..]} to {@code dst} at byte offset {@code dstByteOffset}. */
    void write(Memory dst, long dstByteOffset, float[] src, int srcOffset, int count);

    /** Copies {@code count} doubles from the host; see {@link #write(Memory, long, float[], int, int)}. */
    void write(Memory dst, long dstByteOffset, double[] src, int srcOffset, int count);

    /** Copies {@code count} ints from the host; see {@link #write(Memory, long, float[], int, int)}. */
    void write(Memory dst, long dstByteOffset, int[] src, int srcOffset, int count);

    /** Copies {@code count} floats at byte offset {@code srcByteOffset} to the host, after all queued work. */
    void read(Memory src, long srcByteOffset, float[] dst, int dstOffset, int count);

    /** Copies {@code count} doubles to the host; see {@link #read(Memory, long, float[], int, int)}. */
    void read(Memory src, long srcByteOffset, double[] dst, int dstOffset, int count);

    /** Copies {@code count} ints to the host; see {@link #read(Memory, long, float[], int, int)}. */
    void read(Memory src, long srcByteOffset, int[] dst, int dstOffset, int count);

    /**
     * The module for one kernel file of {@link KernelSources} built with {@code defines} (always one
     * of {@link KernelSources#builds}). OpenCL compiles the source (prelude, {@code common.h}, file)
     * with {@code -D name=value} options; CUDA loads the PTX precompiled for that combination. The
     * implementation caches modules, so asking twice is cheap.
     *
     * @throws IllegalStateException with the compiler log when the build fails
     */
    Module load(String file, Map<String, String> defines);

    /** The entry point {@code name} of a module (cached by the implementation). */
    Kernel kernel(Module module, String name);

    /**
     * Launches {@code kernel} asynchronously over an NDRange of {@code globalSize.length} (1 to 3)
     * dimensions. {@code globalSize[d]} is always a multiple of {@code localSize[d]}; CUDA launches
     * a grid of {@code globalSize[d] / localSize[d]} blocks of {@code localSize[d]} threads.
     *
     * @param args the kernel's arguments in order: {@link Memory} (a global pointer),
     *             {@link Integer} ({@code int} or {@code u32}), {@link Long} ({@code i64} or
     *             {@code u64}), {@link Float}, {@link Double}
     */
    void launch(Kernel kernel, long[] globalSize, long[] localSize, Object... args);

    /** Waits until all queued work has finished. */
    void synchronize();

    /** Releases modules, queue and context. Memory not freed by then is released too. */
    @Override
    void close();
}
