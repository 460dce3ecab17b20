/*
 * Prelude for compiling the shared kernels as OpenCL C (1.2 or later).
 * The kernel files use only these macros and types for anything that differs from CUDA C;
 * prelude_cuda.h defines the same names for nvcc.
 */
#ifdef cl_khr_fp64
#pragma OPENCL EXTENSION cl_khr_fp64 : enable
#endif

#define KERNEL __kernel
#define GLOBAL __global
#define LOCAL __local
/* Address space of a pointer to local memory passed to a helper function. */
#define LOCAL_PTR __local
#define RESTRICT restrict
#define INLINE inline
#define BARRIER() barrier(CLK_LOCAL_MEM_FENCE)

/* Ids and sizes as 64-bit signed integers; d is a literal 0, 1 or 2. */
#define GLOBAL_ID(d) ((i64) get_global_id(d))
#define GLOBAL_SIZE(d) ((i64) get_global_size(d))
#define LOCAL_ID(d) ((int) get_local_id(d))
#define LOCAL_SIZE(d) ((int) get_local_size(d))
#define GROUP_ID(d) ((i64) get_group_id(d))
#define NUM_GROUPS(d) ((i64) get_num_groups(d))

/* Four consecutive floats from / to a 16-byte aligned address (the host or kernel checks the alignment). */
#define LOAD_FLOAT4(p) vload4(0, (p))
#define STORE_FLOAT4(p, v) vstore4((v), 0, (p))

typedef long i64;
typedef ulong u64;
typedef uint u32;
