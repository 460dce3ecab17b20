#!/bin/sh
# Regenerates the CPU backend's generated sources. Run from backend-cpu/ after editing
# GemmF32.java or gen_gemm_kernels.py, and commit the results.
set -eu
src=src/main/java/dev/nabla/cpu
python3 tools/gen_gemm_kernels.py > "$src/VectorGemmKernels.java"
{
  echo "// Generated from GemmF32.java by backend-cpu/tools/generate.sh: edit GemmF32.java, not this file."
  sed -e 's/float\[\]/double[]/g; s/float alpha/double alpha/; s/float beta/double beta/; s/, 0f);/, 0d);/g' \
      -e 's/GemmF32/GemmF64/g; s/MicroKernel\.F32/MicroKernel.F64/g; s/Float32 GEMM/Float64 GEMM/' \
      -e 's/, 0f)/, 0d)/g; s/ = 0f;/ = 0d;/g; s/new float\[/new double[/g; s/f32()/f64()/g; s/Float\.BYTES/Double.BYTES/g' \
      "$src/GemmF32.java"
} > "$src/GemmF64.java"
