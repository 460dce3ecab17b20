#!/usr/bin/env bash
# Nabla's CPU backend beside numpy (OpenBLAS) and PyTorch, in one run on this machine: float32 GEMM
# n = 256 ... 2048 and 512x784x1024, and MLP train steps 784-1024-1024-10 batch 512 and 4-256-3
# batch 120, each on 1 thread and on all cores. Prints the tables of ratios ("speed vs numpy" =
# numpy's time / Nabla's time) and writes them, with JMH's JSON and the machine, under --out.
#
# numpy runs with OPENBLAS_NUM_THREADS set and OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE removed (an
# override there picks a slower kernel than the CPU's own); PyTorch (Debian's python3-torch, when
# installed) with torch.set_num_threads. Measure on a quiet machine: `uptime` load average < ~0.5.
#   benchmarks/compare-cpu.sh [--threads 1,2] [--out DIR] [--python CMD]
set -euo pipefail
exec "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/report.sh" --compare-cpu --backends cpu "$@"
