package dev.nabla.opencl;

import static org.jocl.CL.*;

import dev.nabla.gpu.DeviceOutOfMemoryException;
import dev.nabla.gpu.GpuDevice;
import dev.nabla.gpu.GpuDeviceInfo;
import dev.nabla.gpu.KernelSources;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_command_queue;
import org.jocl.cl_context;
import org.jocl.cl_context_properties;
import org.jocl.cl_device_id;
import org.jocl.cl_kernel;
import org.jocl.cl_mem;
import org.jocl.cl_program;

/**
 * {@link GpuDevice} over JOCL: one context and one in-order queue on one device. Programs are
 * built from the shared kernel sources once per (file, defines); host transfers are blocking.
 */
final class OpenClDevice implements GpuDevice {

    private record ClMemory(cl_mem mem, long bytes) implements Memory {
    }

    private record ClModule(cl_program program, String tag) implements Module {
    }

    /** A kernel and the arguments last set on it: JNI calls are the cost of small launches, so unchanged ones are not set again. */
    private static final class ClKernel implements Kernel {
        final cl_kernel kernel;
        final String name;
        Object[] lastArgs = new Object[0];

        ClKernel(cl_kernel kernel, String name) {
            this.kernel = kernel;
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        /** Memory by identity (a new allocation is a new object), scalars by value (bits for floats). */
        boolean isSet(int index, Object arg) {
            Object last = index < lastArgs.length ? lastArgs[index] : null;
            return last != null && (arg instanceof Memory ? last == arg : last.equals(arg));
        }
    }

    private final ClDeviceEntry entry;
    private final cl_context context;
    private final cl_command_queue queue;
    private final Map<String, ClModule> modules = new HashMap<>();
    private final List<ClKernel> kernels = new ArrayList<>();
    private final Map<cl_mem, Long> live = new IdentityHashMap<>();
    private final ProgramCache programCache;
    private int programsBuilt;
    private int programsLoaded;
    private long allocatedBytes;
    private boolean closed;

    // clCreateCommandQueue is deprecated since OpenCL 2.0 but is the one call OpenCL 1.2 devices have.
    @SuppressWarnings("deprecation")
    OpenClDevice(ClDeviceEntry entry, java.nio.file.Path cacheDir) {
        this.entry = entry;
        this.programCache = new ProgramCache(cacheDir.resolve("opencl"), entry.info().name() + "\n"
                + entry.info().driverVersion() + "\n" + entry.info().properties().get("platform"));
        int[] err = new int[1];
        cl_context_properties props = new cl_context_properties();
        props.addProperty(CL_CONTEXT_PLATFORM, entry.platform());
        context = clCreateContext(props, 1, new cl_device_id[] {entry.device()}, null, null, err);
        Cl.check("clCreateContext", err[0]);
        queue = clCreateCommandQueue(context, entry.device(), 0, err);
        if (err[0] != CL_SUCCESS) {
            clReleaseContext(context);
            Cl.check("clCreateCommandQueue", err[0]);
        }
    }

    @Override
    public GpuDeviceInfo info() {
        return entry.info();
    }

    @Override
    public Memory allocate(long bytes) {
        long size = Math.max(1, bytes);
        // OpenCL drivers may allocate lazily; keeping within the reported global memory makes
        // running out an allocation failure here rather than a failed launch later.
        if (allocatedBytes + size > entry.info().globalMemoryBytes()) {
            throw new DeviceOutOfMemoryException("clCreateBuffer(" + size + " bytes): " + allocatedBytes
                    + " of " + entry.info().globalMemoryBytes() + " bytes already allocated");
        }
        int[] err = new int[1];
        cl_mem mem = clCreateBuffer(context, CL_MEM_READ_WRITE, size, null, err);
        Cl.checkAllocation("clCreateBuffer(" + size + " bytes)", err[0]);
        live.put(mem, size);
        allocatedBytes += size;
        return new ClMemory(mem, size);
    }

    @Override
    public void free(Memory memory) {
        cl_mem mem = mem(memory);
        Long size = live.remove(mem);
        if (size != null) {
            allocatedBytes -= size;
            Cl.check("clReleaseMemObject", clReleaseMemObject(mem));
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
        Cl.check("clEnqueueWriteBuffer",
                clEnqueueWriteBuffer(queue, mem(dst), CL_TRUE, offset, bytes, host, 0, null, null));
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

    /** Blocking read on the in-order queue: returns after every earlier command and the copy. */
    private void read(Memory src, long offset, Pointer host, long bytes) {
        Cl.check("clEnqueueReadBuffer",
                clEnqueueReadBuffer(queue, mem(src), CL_TRUE, offset, bytes, host, 0, null, null));
    }

    @Override
    public Module load(String file, Map<String, String> defines) {
        KernelSources.Build build = new KernelSources.Build(file, defines);
        ClModule module = modules.get(build.tag());
        if (module == null) {
            module = new ClModule(build(build), build.tag());
            modules.put(build.tag(), module);
        }
        return module;
    }

    private cl_program build(KernelSources.Build build) {
        String source = KernelSources.openClSource(build.file());
        java.nio.file.Path cached = programCache.file(build.tag(), source, build.options());
        byte[] binary = programCache.load(cached);
        if (binary != null) {
            cl_program program = fromBinary(binary, build);
            if (program != null) {
                programsLoaded++;
                return program;
            }
        }
        int[] err = new int[1];
        cl_program program = clCreateProgramWithSource(context, 1, new String[] {source}, null, err);
        Cl.check("clCreateProgramWithSource(" + build.file() + ")", err[0]);
        // No fast-math options: the kernels keep IEEE semantics (NaN propagation, signed zeros).
        int status = clBuildProgram(program, 1, new cl_device_id[] {entry.device()}, build.options(), null, null);
        if (status != CL_SUCCESS) {
            String log = buildLog(program);
            clReleaseProgram(program);
            throw new IllegalStateException("clBuildProgram(" + build.file() + " " + build.options() + ") failed: "
                    + Cl.errorName(status) + "\n" + log);
        }
        programsBuilt++;
        byte[] built = binaryOf(program);
        if (built != null) {
            programCache.store(cached, built);
        }
        return program;
    }

    /** A program from a cached binary, or null when the driver refuses it (then it is rebuilt from source). */
    private cl_program fromBinary(byte[] binary, KernelSources.Build build) {
        int[] err = new int[1];
        int[] binaryStatus = new int[1];
        cl_program program = clCreateProgramWithBinary(context, 1, new cl_device_id[] {entry.device()},
                new long[] {binary.length}, new byte[][] {binary}, binaryStatus, err);
        if (err[0] != CL_SUCCESS || binaryStatus[0] != CL_SUCCESS) {
            if (program != null && err[0] == CL_SUCCESS) {
                clReleaseProgram(program);
            }
            return null;
        }
        if (clBuildProgram(program, 1, new cl_device_id[] {entry.device()}, build.options(), null, null) != CL_SUCCESS) {
            clReleaseProgram(program);
            return null;
        }
        return program;
    }

    /** The device binary of a built program, or null if the driver offers none. */
    private byte[] binaryOf(cl_program program) {
        long[] size = new long[1];
        if (clGetProgramInfo(program, CL_PROGRAM_BINARY_SIZES, Sizeof.size_t, Pointer.to(size), null) != CL_SUCCESS
                || size[0] <= 0 || size[0] > Integer.MAX_VALUE) {
            return null;
        }
        byte[] binary = new byte[(int) size[0]];
        int status = clGetProgramInfo(program, CL_PROGRAM_BINARIES, Sizeof.POINTER,
                Pointer.to(new Pointer[] {Pointer.to(binary)}), null);
        return status == CL_SUCCESS ? binary : null;
    }

    /** How programs were obtained so far, for the report. */
    String programCacheSummary() {
        return programsBuilt + " built from source, " + programsLoaded + " loaded from " + programCache.dir();
    }

    private String buildLog(cl_program program) {
        long[] size = new long[1];
        if (clGetProgramBuildInfo(program, entry.device(), CL_PROGRAM_BUILD_LOG, 0, null, size) != CL_SUCCESS) {
            return "(no build log)";
        }
        byte[] log = new byte[(int) size[0]];
        clGetProgramBuildInfo(program, entry.device(), CL_PROGRAM_BUILD_LOG, log.length, Pointer.to(log), null);
        return new String(log, java.nio.charset.StandardCharsets.UTF_8).trim();
    }

    @Override
    public Kernel kernel(Module module, String name) {
        int[] err = new int[1];
        cl_kernel k = clCreateKernel(((ClModule) module).program(), name, err);
        Cl.check("clCreateKernel(" + name + " of " + ((ClModule) module).tag() + ")", err[0]);
        ClKernel kernel = new ClKernel(k, name);
        kernels.add(kernel);
        return kernel;
    }

    @Override
    public void launch(Kernel kernel, long[] globalSize, long[] localSize, Object... args) {
        ClKernel k = (ClKernel) kernel;
        if (k.lastArgs.length != args.length) {
            k.lastArgs = new Object[args.length];
        }
        for (int i = 0; i < args.length; i++) {
            if (!k.isSet(i, args[i])) {
                k.lastArgs[i] = null;
                setArg(k, i, args[i]);
                k.lastArgs[i] = args[i];
            }
        }
        int status = clEnqueueNDRangeKernel(queue, k.kernel, globalSize.length, null, globalSize, localSize,
                0, null, null);
        if (status != CL_SUCCESS) {
            Cl.check("clEnqueueNDRangeKernel(" + k.name + ")", status);
        }
    }

    private void setArg(ClKernel k, int index, Object arg) {
        int status;
        if (arg instanceof Memory m) {
            status = clSetKernelArg(k.kernel, index, Sizeof.cl_mem, Pointer.to(mem(m)));
        } else if (arg instanceof Integer v) {
            status = clSetKernelArg(k.kernel, index, Sizeof.cl_int, Pointer.to(new int[] {v}));
        } else if (arg instanceof Long v) {
            status = clSetKernelArg(k.kernel, index, Sizeof.cl_long, Pointer.to(new long[] {v}));
        } else if (arg instanceof Float v) {
            status = clSetKernelArg(k.kernel, index, Sizeof.cl_float, Pointer.to(new float[] {v}));
        } else if (arg instanceof Double v) {
            status = clSetKernelArg(k.kernel, index, Sizeof.cl_double, Pointer.to(new double[] {v}));
        } else {
            throw new IllegalArgumentException("kernel " + k.name + " argument " + index + ": unsupported type "
                    + (arg == null ? "null" : arg.getClass().getName()));
        }
        if (status != CL_SUCCESS) {
            Cl.check("clSetKernelArg(" + k.name + ", " + index + ")", status);
        }
    }

    @Override
    public void synchronize() {
        Cl.check("clFinish", clFinish(queue));
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        clFinish(queue);
        for (ClKernel k : kernels) {
            clReleaseKernel(k.kernel);
        }
        for (ClModule m : modules.values()) {
            clReleaseProgram(m.program());
        }
        for (cl_mem mem : live.keySet()) {
            clReleaseMemObject(mem);
        }
        live.clear();
        kernels.clear();
        modules.clear();
        clReleaseCommandQueue(queue);
        clReleaseContext(context);
    }

    private static cl_mem mem(Memory m) {
        if (!(m instanceof ClMemory c)) {
            throw new IllegalArgumentException("not OpenCL memory: " + m);
        }
        return c.mem();
    }
}
