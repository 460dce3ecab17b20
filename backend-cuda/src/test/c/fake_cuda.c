/*
 * A stand-in for libcuda.so.1 with the driver entry points JCuda's JNI library reaches from our
 * CudaProvider, CudaDevice and CudaBackend: one "device" whose memory is host memory, modules and
 * functions that are names, and a cuLaunchKernel that checks how arguments arrive (one pointer per
 * argument, or one packed buffer through `extra` with CU_LAUNCH_PARAM_BUFFER_POINTER/SIZE, whose
 * size must be exactly the end of the last parameter) and runs three kernels of copy.cl on the
 * host. FakeDriverTest builds it with gcc as libcuda.so.1 and runs FakeDriverMain in a JVM whose
 * LD_LIBRARY_PATH finds it, so the real JCuda JNI code is exercised without a GPU.
 *
 * Parameter layouts come from C structs: the compiler lays them out as the CUDA ABI does (each
 * member at a multiple of its size), independently of KernelParams.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef int CUresult;
typedef int CUdevice;
typedef unsigned long long CUdeviceptr;
typedef struct { char name[64]; } Function;

#define SUCCESS 0
#define INVALID_VALUE 1

static long long launches;
static long long ctx_sets;
static int stream_token, ctx_token, module_token;

CUresult cuInit(unsigned flags) { (void) flags; return SUCCESS; }
CUresult cuDriverGetVersion(int* v) { *v = 13000; return SUCCESS; }
CUresult cuDeviceGetCount(int* n) { *n = 1; return SUCCESS; }
CUresult cuDeviceGet(CUdevice* d, int ordinal) { *d = ordinal; return ordinal == 0 ? SUCCESS : 101; }
CUresult cuDeviceGetName(char* name, int len, CUdevice d) {
    (void) d;
    strncpy(name, "Fake CUDA device (fake_cuda.c)", (size_t) len);
    name[len - 1] = 0;
    return SUCCESS;
}
CUresult cuDeviceTotalMem_v2(size_t* bytes, CUdevice d) { (void) d; *bytes = (size_t) 80 << 30; return SUCCESS; }
CUresult cuDeviceGetAttribute(int* v, int attribute, CUdevice d) {
    (void) d;
    switch (attribute) {
        case 1: *v = 1024; break;   /* MAX_THREADS_PER_BLOCK */
        case 8: *v = 49152; break;  /* MAX_SHARED_MEMORY_PER_BLOCK */
        case 16: *v = 132; break;   /* MULTIPROCESSOR_COUNT */
        case 75: *v = 9; break;     /* COMPUTE_CAPABILITY_MAJOR */
        case 76: *v = 0; break;     /* COMPUTE_CAPABILITY_MINOR */
        default: *v = 0;
    }
    return SUCCESS;
}
CUresult cuDevicePrimaryCtxRetain(void** ctx, CUdevice d) { (void) d; *ctx = &ctx_token; return SUCCESS; }
CUresult cuDevicePrimaryCtxRelease_v2(CUdevice d) { (void) d; return SUCCESS; }
CUresult cuCtxSetCurrent(void* ctx) { (void) ctx; ctx_sets++; return SUCCESS; }
CUresult cuStreamCreate(void** s, unsigned flags) { (void) flags; *s = &stream_token; return SUCCESS; }
CUresult cuStreamSynchronize(void* s) { (void) s; return SUCCESS; }
CUresult cuStreamDestroy_v2(void* s) { (void) s; return SUCCESS; }
CUresult cuCtxSynchronize(void) { return SUCCESS; }

CUresult cuMemAlloc_v2(CUdeviceptr* p, size_t bytes) {
    void* m = calloc(1, bytes);
    if (!m) return 2; /* CUDA_ERROR_OUT_OF_MEMORY */
    *p = (CUdeviceptr) (uintptr_t) m;
    return SUCCESS;
}
CUresult cuMemFree_v2(CUdeviceptr p) { free((void*) (uintptr_t) p); return SUCCESS; }
CUresult cuMemAllocHost_v2(void** p, size_t bytes) { *p = calloc(1, bytes); return *p ? SUCCESS : 2; }
CUresult cuMemFreeHost(void* p) { free(p); return SUCCESS; }
CUresult cuMemcpyHtoD_v2(CUdeviceptr dst, const void* src, size_t bytes) {
    memcpy((void*) (uintptr_t) dst, src, bytes);
    return SUCCESS;
}
CUresult cuMemcpyDtoH_v2(void* dst, CUdeviceptr src, size_t bytes) {
    memcpy(dst, (const void*) (uintptr_t) src, bytes);
    return SUCCESS;
}

CUresult cuModuleLoadData(void** module, const void* image) { (void) image; *module = &module_token; return SUCCESS; }
CUresult cuModuleUnload(void* module) { (void) module; return SUCCESS; }
CUresult cuModuleGetFunction(void** f, void* module, const char* name) {
    (void) module;
    Function* fn = calloc(1, sizeof(Function));
    strncpy(fn->name, name, sizeof(fn->name) - 1);
    *f = fn;
    return SUCCESS;
}

CUresult cuGetErrorName(CUresult status, const char** name) {
    *name = status == INVALID_VALUE ? "CUDA_ERROR_INVALID_VALUE" : "CUDA_ERROR_FAKE";
    return SUCCESS;
}
CUresult cuGetErrorString(CUresult status, const char** text) {
    *text = status == INVALID_VALUE ? "invalid argument (fake_cuda.c)" : "fake driver error";
    return SUCCESS;
}

/* The kernels of copy.cl that run here, with their parameters as the CUDA ABI lays them out. */
typedef struct { uint32_t* dst; long long offset; long long count; uint32_t value; } FillParams;
typedef struct { const uint32_t* src; long long srcOffset; uint32_t* dst; long long dstOffset; long long count; }
    CopyParams;
typedef struct {
    const uint32_t* src; long long srcOffset; uint32_t* dst; long long dstOffset; long long count;
    int rank; int n[8]; long long ss[8]; long long ds[8];
} StridedParams;

#define END_OF(T, last) (offsetof(T, last) + sizeof(((T*) 0)->last))

/* Copies the parameters into `out`, from `extra` or from one pointer per parameter. */
static CUresult gather(void** kernelParams, void** extra, void* out, size_t end, const size_t* sizes, int count) {
    if ((kernelParams == NULL) == (extra == NULL)) return INVALID_VALUE;
    if (extra != NULL) {
        const void* buffer = NULL;
        const size_t* size = NULL;
        for (int i = 0; extra[i] != NULL; i += 2) {
            if (extra[i] == (void*) 1) buffer = extra[i + 1];
            else if (extra[i] == (void*) 2) size = (const size_t*) extra[i + 1];
            else return INVALID_VALUE;
        }
        if (buffer == NULL || size == NULL || *size != end) return INVALID_VALUE;
        memcpy(out, buffer, end);
        return SUCCESS;
    }
    size_t at = 0;
    for (int i = 0; i < count; i++) {
        at = (at + sizes[i] - 1) / sizes[i] * sizes[i];
        memcpy((char*) out + at, kernelParams[i], sizes[i]);
        at += sizes[i];
    }
    return at == end ? SUCCESS : INVALID_VALUE;
}

CUresult cuLaunchKernel(void* f, unsigned gx, unsigned gy, unsigned gz, unsigned bx, unsigned by, unsigned bz,
                        unsigned shared, void* stream, void** kernelParams, void** extra) {
    (void) gx; (void) gy; (void) gz; (void) bx; (void) by; (void) bz; (void) shared;
    if (stream != &stream_token) return INVALID_VALUE;
    /* NABLA_FAKE_CUDA_REJECT_EXTRA=1: a driver that refuses packed arguments (CudaDevice must fall back). */
    const char* reject = getenv("NABLA_FAKE_CUDA_REJECT_EXTRA");
    if (extra != NULL && reject != NULL && strcmp(reject, "1") == 0) return INVALID_VALUE;
    launches++;
    /* NABLA_FAKE_CUDA_RUN=0: arguments are still checked, but fills and copies of more than 1024
     * elements are not run (for timing the host side; CudaDevice's start-up check stays tiny). */
    static int run = -1;
    if (run < 0) {
        const char* env = getenv("NABLA_FAKE_CUDA_RUN");
        run = env == NULL || strcmp(env, "0") != 0;
    }
    long long limit = run ? -1 : 1024;
    const char* name = ((Function*) f)->name;
    if (strcmp(name, "fill_u32") == 0) {
        static const size_t sizes[] = {8, 8, 8, 4};
        FillParams p;
        CUresult r = gather(kernelParams, extra, &p, END_OF(FillParams, value), sizes, 4);
        if (r != SUCCESS) return r;
        if (limit >= 0 && p.count > limit) return SUCCESS;
        for (long long i = 0; i < p.count; i++) p.dst[p.offset + i] = p.value;
    } else if (strcmp(name, "copy_contiguous_u32") == 0) {
        static const size_t sizes[] = {8, 8, 8, 8, 8};
        CopyParams p;
        CUresult r = gather(kernelParams, extra, &p, END_OF(CopyParams, count), sizes, 5);
        if (r != SUCCESS) return r;
        if (limit >= 0 && p.count > limit) return SUCCESS;
        for (long long i = 0; i < p.count; i++) p.dst[p.dstOffset + i] = p.src[p.srcOffset + i];
    } else if (strcmp(name, "copy_strided_u32") == 0) {
        static const size_t sizes[] = {8, 8, 8, 8, 8, 4, 4, 4, 4, 4, 4, 4, 4, 4,
                                       8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8};
        StridedParams p;
        CUresult r = gather(kernelParams, extra, &p, END_OF(StridedParams, ds), sizes, 30);
        if (r != SUCCESS) return r;
        if (limit >= 0 && p.count > limit) return SUCCESS;
        for (long long i = 0; i < p.count; i++) {
            long long rem = i, os = p.srcOffset, od = p.dstOffset;
            for (int d = 0; d < p.rank; d++) {
                long long c = rem % p.n[d];
                rem /= p.n[d];
                os += c * p.ss[d];
                od += c * p.ds[d];
            }
            p.dst[od] = p.src[os];
        }
    } else if (kernelParams == NULL) {
        /* Any other kernel: only the shape of `extra` is checked. */
        int pointer = 0, size = 0;
        for (int i = 0; extra[i] != NULL; i += 2) {
            if (extra[i] == (void*) 1) pointer = 1;
            else if (extra[i] == (void*) 2) size = *(const size_t*) extra[i + 1] <= 4096;
            else return INVALID_VALUE;
        }
        if (!pointer || !size) return INVALID_VALUE;
    }
    return SUCCESS;
}

/* Counters for tests and measurements. */
long long nabla_fake_launches(void) { return launches; }
long long nabla_fake_ctx_sets(void) { return ctx_sets; }
