#!/usr/bin/env bash
# The OpenCL backend on a GPU host that has no Java, no Maven and no OpenCL loader (GPU_HOST.md).
#
#   backend-opencl/scripts/gpu-check.sh prepare   # here, after: mvn -B -q -DskipTests -pl backend-opencl -am test-compile
#   backend-opencl/scripts/gpu-check.sh run       # there, from the repository root
#
# prepare puts a jlink runtime, the ocl-icd loader and the JOCL jar into backend-opencl/target/gpu-run;
# carry that folder plus core/target/classes, backend-gpu-common/target/classes, backend-opencl/target/classes
# and backend-opencl/target/test-classes (about 37 MB). run writes an ICD file naming NVIDIA's
# libnvidia-opencl.so.1, runs the backend contract on every OpenCL device (DeviceCheck), then sgemm
# throughput with and without vector loads and an autotune at n=4096. Output also goes to $OUT if set.
# NABLA_ICD_LIBRARY and SIZES override the ICD library and the sgemm sizes (e.g. to try it on POCL).
set -euo pipefail
G=backend-opencl/target/gpu-run
CP=backend-opencl/target/test-classes:backend-opencl/target/classes:backend-gpu-common/target/classes:core/target/classes:$G/jocl.jar

case "${1:-}" in
prepare)
  JDK="${JDK17:-/usr/lib/jvm/java-17-openjdk-amd64}"
  rm -rf "$G" && mkdir -p "$G"
  "$JDK/bin/jlink" --add-modules java.base,java.logging,jdk.unsupported --strip-debug --no-header-files \
    --no-man-pages --compress=2 --output "$G/jre"
  cp -L /usr/lib/x86_64-linux-gnu/libOpenCL.so.1 "$G/libOpenCL.so.1"
  jocl=$(find ~/.m2/repository/org/jocl/jocl -name 'jocl-*.jar' | sort | tail -n 1)
  cp "$jocl" "$G/jocl.jar"
  du -sh "$G"
  ;;
run)
  out="${OUT:-/tmp/gpu-check}"; mkdir -p "$out" /tmp/nabla-icd /tmp/nabla-ocl
  nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader || true
  echo "${NABLA_ICD_LIBRARY:-/usr/local/nvidia/lib64/libnvidia-opencl.so.1}" > /tmp/nabla-icd/nvidia.icd
  cp "$G/libOpenCL.so.1" /tmp/nabla-ocl/ && ln -sf libOpenCL.so.1 /tmp/nabla-ocl/libOpenCL.so
  export OCL_ICD_VENDORS=/tmp/nabla-icd LD_LIBRARY_PATH=/tmp/nabla-ocl:${LD_LIBRARY_PATH:-}
  chmod -R u+x "$G/jre/bin" "$G/jre/lib" 2>/dev/null || true
  J="$G/jre/bin/java"
  echo "== contract on every device, autotune at n=1024, sgemm"
  timeout 300 "$J" -cp "$CP" -Dnabla.cache.dir=/tmp/nabla-cache dev.nabla.opencl.DeviceCheck ${SIZES:-256 512 1024 2048 4096 8192} \
    2>&1 | tee "$out/devicecheck.txt" || echo "DeviceCheck exit ${PIPESTATUS[0]}"
  echo "== a second JVM: programs and tiles from the cache, vector loads off"
  timeout 100 "$J" -cp "$CP" -Dnabla.cache.dir=/tmp/nabla-cache -Dnabla.gpu.gemm.vectorLoads=false \
    dev.nabla.opencl.SgemmThroughput ${SIZES:-1024 4096 8192} 2>&1 | tee "$out/no-vector-loads.txt" || true
  echo "== autotune at n=4096"
  timeout 150 "$J" -cp "$CP" -Dnabla.cache.dir=/tmp/nabla-cache-4096 -Dnabla.gpu.autotune.size=4096 \
    dev.nabla.opencl.SgemmThroughput ${SIZES:-4096 8192} 2>&1 | tee "$out/autotune-4096.txt" || true
  ;;
*)
  echo "usage: $0 prepare|run" >&2
  exit 2
  ;;
esac
