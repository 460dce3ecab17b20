/*
 * Prelude for compiling the shared kernels as CUDA C++:
 *   nvcc -ptx -arch=compute_80 -x cu -include prelude_cuda.h -D REAL=float file.cl
 * Same names as prelude_opencl.h. Launch geometry: OpenCL global size = CUDA grid * block,
 * so the host always passes global sizes that are multiples of the local sizes.
 */
#include <math.h>

#define KERNEL extern "C" __global__
#define GLOBAL
#define LOCAL __shared__
#define LOCAL_PTR
#define RESTRICT __restrict__
#define INLINE __device__ inline
#define BARRIER() __syncthreads()

#define NB_AXIS_0 x
#define NB_AXIS_1 y
#define NB_AXIS_2 z
#define NB_AXIS(d) NB_AXIS_##d
#define NB_CAT(a, b) a.b
#define NB_FIELD(v, d) NB_CAT(v, NB_AXIS(d))

#define LOCAL_ID(d) ((int) NB_FIELD(threadIdx, d))
#define LOCAL_SIZE(d) ((int) NB_FIELD(blockDim, d))
#define GROUP_ID(d) ((i64) NB_FIELD(blockIdx, d))
#define NUM_GROUPS(d) ((i64) NB_FIELD(gridDim, d))
#define GLOBAL_ID(d) (GROUP_ID(d) * LOCAL_SIZE(d) + LOCAL_ID(d))
#define GLOBAL_SIZE(d) (NUM_GROUPS(d) * LOCAL_SIZE(d))

/* Four consecutive floats from / to a 16-byte aligned address (the host or kernel checks the alignment). */
#define LOAD_FLOAT4(p) (*(const float4*) (p))
#define STORE_FLOAT4(p, v) (*(float4*) (p) = (v))

typedef long long i64;
typedef unsigned long long u64;
typedef unsigned int u32;
