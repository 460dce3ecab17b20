/*
 * Host emulation of the CUDA subset sgemm.cu uses, so its tile code can be tested without a GPU
 * (OwnGemmEmulationTest): one block at a time, each thread a std::thread, __syncthreads a
 * std::barrier, __shared__ a function-local static (shared by the block's threads, as on a GPU).
 */
#pragma once
#include <barrier>
#include <cmath>
#include <cstdint>
#include <thread>
#include <vector>

struct dim3u {
    unsigned x = 0, y = 0, z = 0;
};
inline thread_local dim3u threadIdx, blockIdx;
inline std::barrier<>* nabla_block_barrier;

#define __global__
#define __device__
#define __forceinline__ inline
#define __launch_bounds__(n)
#define __restrict__
#define __shared__ static
#define __align__(n) __attribute__((aligned(n)))

struct alignas(16) float4 {
    float x, y, z, w;
};
inline float4 make_float4(float a, float b, float c, float d) { return {a, b, c, d}; }
template <class T> inline T __ldg(const T* p) { return *p; }
inline void __syncthreads() { nabla_block_barrier->arrive_and_wait(); }
