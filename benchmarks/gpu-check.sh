#!/usr/bin/env bash
# The benchmark report on a GPU host, which has no Java, Maven or OpenCL loader (GPU_HOST.md):
#
#   benchmarks/gpu-check.sh prepare   # here: builds benchmarks/target/gpu-run (~50 MiB)
#   benchmarks/gpu-check.sh run       # there, from the repository root, with benchmarks/target/gpu-run carried
#
# prepare builds benchmarks.jar with the newest JDK found (25 gives cuBLAS through FFM), keeps only
# the linux-x86_64 JNI libraries it needs, and adds a jlink runtime (no java.desktop: the report
# writes JSON and Markdown and says why there are no PNGs) and Debian's libOpenCL.so.1 loader.
# run writes an ICD file for NVIDIA's OpenCL library, puts the loader and cuBLAS on the library
# path, then runs the quick report once per GPU backend (CUDA with the numpy/PyTorch baseline,
# PyTorch on the GPU included; OpenCL without), each under a deadline, output in $OUT (or /tmp/out).
# Whole run: about 7 minutes on an H100 host; give the device call 9.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
G=benchmarks/target/gpu-run

case "${1:-}" in
prepare)
  JDK="" best=0
  for cand in "${JAVA_HOME:-}" /usr/lib/jvm/*; do
    [[ -n "$cand" && -x "$cand/bin/jlink" && -f "$cand/release" ]] || continue
    f="$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$cand/release")"
    if (( ${f:-0} > best )); then best=$f; JDK="$cand"; fi
  done
  (( best >= 17 )) || { echo "gpu-check: no JDK 17+ with jlink found" >&2; exit 2; }
  echo "== JDK $best at $JDK: benchmarks.jar (tests skipped)"
  (cd "$ROOT" && JAVA_HOME="$JDK" mvn -B -q -DskipTests -pl benchmarks -am package)
  rm -rf "$ROOT/$G" && mkdir -p "$ROOT/$G"
  cp "$ROOT/benchmarks/target/benchmarks.jar" "$ROOT/$G/"
  # Other platforms' JNI libraries and JCuda's unused NVRTC/PTX-compiler ones (24 MB) stay here.
  python3 "$ROOT/dist/strip-jni.py" "$ROOT/$G/benchmarks.jar"
  if (( best >= 21 )); then compress=zip-6; else compress=2; fi
  "$JDK/bin/jlink" --add-modules java.base,java.logging,java.management,jdk.unsupported,jdk.incubator.vector \
    --strip-debug --no-header-files --no-man-pages --compress="$compress" --output "$ROOT/$G/runtime" 2>&1 \
    | { grep -v 'incubator modules' || true; }
  cp -L /usr/lib/x86_64-linux-gnu/libOpenCL.so.1 "$ROOT/$G/" 2>/dev/null \
    || echo "   (no libOpenCL.so.1 here: apt-get install ocl-icd-libopencl1; OpenCL will be unavailable there)"
  unzip -p "$ROOT/$G/benchmarks.jar" META-INF/services/dev.nabla.backend.BackendProvider | sed 's/^/   provider: /'
  du -sh "$ROOT/$G"
  ;;
run)
  out="${OUT:-/tmp/out}"
  mkdir -p "$out" /tmp/nabla-icd /tmp/nabla-ocl
  chmod -R u+x "$G/runtime/bin" "$G/runtime/lib" 2>/dev/null || true
  echo "${NABLA_ICD_LIBRARY:-/usr/local/nvidia/lib64/libnvidia-opencl.so.1}" > /tmp/nabla-icd/nvidia.icd
  if [[ -f "$G/libOpenCL.so.1" ]]; then
    cp "$G/libOpenCL.so.1" /tmp/nabla-ocl/ && ln -sf libOpenCL.so.1 /tmp/nabla-ocl/libOpenCL.so
  fi
  cublas="$(dirname "$(ls /usr/local/cuda*/targets/x86_64-linux/lib/libcublas.so.* 2>/dev/null | head -n 1)" 2>/dev/null || true)"
  export OCL_ICD_VENDORS=/tmp/nabla-icd LD_LIBRARY_PATH="/tmp/nabla-ocl:${cublas:+$cublas:}${LD_LIBRARY_PATH:-}"
  nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader || true
  J="$G/runtime/bin/java"
  # shellcheck source=../dist/signal-chaining.sh
  source dist/signal-chaining.sh
  nabla_signal_chaining "$J"  # the OpenCL provider loads drivers only with it
  flags=(--add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Dnabla.cache.dir=/tmp/nabla-cache)
  set +e
  start=$(date +%s)
  echo "== cuda: quick report with the numpy/PyTorch baseline"
  # Reports go to /tmp; only the console logs, results.md and the JMH JSON are copied to $out (a
  # device call brings back a few files, not the JMH and Python logs).
  timeout "${CUDA_SECONDS:-330}" "$J" "${flags[@]}" -jar "$G/benchmarks.jar" report --quick --backends cuda \
    --out /tmp/nabla-report/cuda 2>&1 | grep --line-buffered -v 'incubator modules' | tee "$out/cuda.txt"
  echo "cuda report: exit ${PIPESTATUS[0]} after $(( $(date +%s) - start )) s"
  echo "== opencl: quick report, no Python"
  timeout "${OPENCL_SECONDS:-170}" "$J" "${flags[@]}" -jar "$G/benchmarks.jar" report --quick --backends opencl \
    --no-python --out /tmp/nabla-report/opencl 2>&1 | grep --line-buffered -v 'incubator modules' | tee "$out/opencl.txt"
  echo "opencl report: exit ${PIPESTATUS[0]} after $(( $(date +%s) - start )) s"
  for b in cuda opencl; do
    cp /tmp/nabla-report/$b/results.md "$out/$b-results.md" 2>/dev/null
    cp /tmp/nabla-report/$b/jmh-results.json "$out/$b-jmh-results.json" 2>/dev/null
  done
  ;;
*)
  echo "usage: $0 prepare|run" >&2
  exit 2
  ;;
esac
