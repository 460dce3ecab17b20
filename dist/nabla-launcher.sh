#!/usr/bin/env bash
# bin/nabla of the GPU bundle (copied there by dist/build-bundle.sh): runs the Nabla CLI on the
# bundled Java runtime, on a host that has no Java, no OpenCL loader and no ICD file for NVIDIA.
#   - LD_LIBRARY_PATH gets the bundled libOpenCL.so.1 (ocl-icd) and the first CUDA toolkit folder
#     holding libcublas.so.13/.so.12 (the FFM engine also searches those folders itself);
#   - when no registered ICD names NVIDIA's OpenCL library, an ICD folder is written to the cache
#     and OCL_ICD_VENDORS points there (keeping the registered ICDs, e.g. POCL);
#   - NABLA_MAIN runs another main class of the bundle (dev.nabla.cuda.bench.GpuBench);
#     NABLA_JAVA_OPTS adds JVM options (e.g. -Dnabla.cuda.gemm=own).
set -euo pipefail

HERE="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
JAVA="$HERE/runtime/bin/java"
if [[ ! -x "$JAVA" ]]; then
  # Copies that lose permission bits: make the runtime executable again.
  chmod u+x "$HERE"/runtime/bin/* "$HERE"/runtime/lib/jspawnhelper 2>/dev/null || true
fi
CACHE="${NABLA_BUNDLE_CACHE:-${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/nabla-bundle}"
mkdir -p "$CACHE" 2>/dev/null || { CACHE="/tmp/nabla-bundle-$(id -u)"; mkdir -p "$CACHE"; }

native="$HERE/native"
if [[ ! -e "$native/libOpenCL.so" ]]; then
  # A copy that dropped the symlink: recreate it beside a copy of the loader in the cache.
  mkdir -p "$CACHE/native"
  cp -f "$native/libOpenCL.so.1" "$CACHE/native/libOpenCL.so.1"
  ln -sf libOpenCL.so.1 "$CACHE/native/libOpenCL.so"
  native="$CACHE/native"
fi
libs="$native"
for d in /usr/local/cuda*/targets/*/lib /usr/local/cuda*/lib64; do
  if [[ -e "$d/libcublas.so.13" || -e "$d/libcublas.so.12" ]]; then
    libs="$libs:$d"
    break
  fi
done
export LD_LIBRARY_PATH="$libs${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"

if [[ -z "${OCL_ICD_VENDORS:-}" ]] && ! grep -qsi nvidia /etc/OpenCL/vendors/*.icd; then
  nv=""
  for f in /usr/local/nvidia/lib64/libnvidia-opencl.so.1 /usr/lib/x86_64-linux-gnu/libnvidia-opencl.so.1 \
           /usr/lib64/libnvidia-opencl.so.1 /usr/lib/libnvidia-opencl.so.1; do
    [[ -e "$f" ]] && { nv="$f"; break; }
  done
  if [[ -z "$nv" ]] && command -v ldconfig >/dev/null 2>&1; then
    nv="$(ldconfig -p 2>/dev/null | awk '/libnvidia-opencl\.so\.1 .*x86-64/ {print $NF; exit}')"
  fi
  if [[ -n "$nv" ]]; then
    icd="$CACHE/icd"
    mkdir -p "$icd"
    cp -f /etc/OpenCL/vendors/*.icd "$icd/" 2>/dev/null || true
    echo "$nv" > "$icd/nvidia.icd"
    export OCL_ICD_VENDORS="$icd"
  fi
fi

# shellcheck source=signal-chaining.sh
source "$HERE/bin/signal-chaining.sh"
nabla_signal_chaining "$JAVA"

main="${NABLA_MAIN:-dev.nabla.cli.NablaCommand}"
# The JVM announces incubator modules on stderr; drop exactly that line so errors stay one clear line.
set +e
# shellcheck disable=SC2086
"$JAVA" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED ${NABLA_JAVA_OPTS:-} \
  -cp "$HERE/lib/*" "$main" "$@" \
  2> >(grep --line-buffered -v '^WARNING: Using incubator modules: jdk.incubator.vector$' >&2)
code=$?
# Let the filter flush the last lines before returning java's status.
[[ -n "${!:-}" ]] && wait "$!" 2>/dev/null
exit $code
