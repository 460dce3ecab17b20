#!/usr/bin/env bash
# Compiles every kernel build the CUDA backend loads to PTX and writes it where it is committed:
#   backend-cuda/src/main/resources/dev/nabla/cuda/ptx/<tag>.ptx
#
#   backend-cuda/src/main/ptx/generate.sh [--out DIR] [--builds FILE] [--jobs N]
#
# The list of builds (tag, source, defines) comes from dev.nabla.cuda.PtxBuilds, i.e. from
# KernelSources.builds(true) of backend-gpu-common plus our own GEMM (src/main/cuda/sgemm.cu);
# without --builds the script compiles the modules with Maven (MVN_ARGS=-o for offline) to ask it.
#
# Each file: nvcc -ptx -arch=compute_80 (shared .cl files: -x cu -include prelude_cuda.h
# -include common.h -D...), then the ".version" line is lowered to the oldest PTX ISA that
# `ptxas -arch=sm_80` still assembles: nvcc 13 writes 9.0, which only CUDA 13 drivers (R580+)
# JIT; 7.0 (CUDA 11.0+) is what our kernels need, so CUDA 12 hosts (where JCublas loads) can run
# them too. PtxTest checks that the committed files equal a fresh run of this script (comment
# lines ignored) and that ptxas assembles each for sm_80 and sm_90 without spills.
set -euo pipefail

MODULE="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
ROOT="$(cd "$MODULE/.." && pwd)"
KERNELS="$ROOT/backend-gpu-common/src/main/resources/dev/nabla/gpu/kernels"
OWN="$MODULE/src/main/cuda"
OUT="$MODULE/src/main/resources/dev/nabla/cuda/ptx"
BUILDS=""
JOBS="${JOBS:-2}"
NVCC="${NVCC:-nvcc}"
PTXAS="${PTXAS:-ptxas}"
ISAS="7.0 7.1 7.2 7.3 7.4 7.5 7.6 7.7 7.8 8.0 8.1 8.2 8.3 8.4 8.5 8.6 8.7 8.8 9.0"

while [[ $# -gt 0 ]]; do
  case "$1" in
    --out) OUT="$2"; shift 2 ;;
    --builds) BUILDS="$2"; shift 2 ;;
    --jobs) JOBS="$2"; shift 2 ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    *) echo "generate.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done

command -v "$NVCC" >/dev/null || { echo "generate.sh: $NVCC not found (CUDA toolkit 13.0 expected)" >&2; exit 2; }
command -v "$PTXAS" >/dev/null || { echo "generate.sh: $PTXAS not found" >&2; exit 2; }

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

if [[ -z "$BUILDS" ]]; then
  (cd "$ROOT" && mvn -q -B ${MVN_ARGS:-} -pl backend-cuda -am compile) >&2
  BUILDS="$WORK/builds.tsv"
  java -cp "$ROOT/core/target/classes:$ROOT/backend-gpu-common/target/classes:$MODULE/target/classes" \
    dev.nabla.cuda.PtxBuilds > "$BUILDS"
fi
mkdir -p "$OUT"

# compile TAG FILE DEFINES: writes $OUT/TAG.ptx, prints "TAG ISA".
compile() {
  local tag="$1" file="$2" defines="$3" raw="$WORK/$1.raw.ptx" low="$WORK/$1.ptx"
  # shellcheck disable=SC2086
  if [[ "$file" == *.cu ]]; then
    "$NVCC" -ptx -arch=compute_80 $defines "$OWN/$file" -o "$raw"
  else
    "$NVCC" -ptx -arch=compute_80 -x cu -include "$KERNELS/prelude_cuda.h" -include "$KERNELS/common.h" \
      $defines "$KERNELS/$file" -o "$raw"
  fi
  local isa
  for isa in $ISAS; do
    sed -E "s/^\.version [0-9]+\.[0-9]+$/.version $isa/" "$raw" > "$low"
    if "$PTXAS" -arch=sm_80 "$low" -o "$WORK/$tag.cubin" >/dev/null 2>&1; then
      cp "$low" "$OUT/$tag.ptx"
      echo "$tag $isa"
      return 0
    fi
  done
  echo "generate.sh: ptxas -arch=sm_80 rejects $tag at every ISA in: $ISAS" >&2
  return 1
}
export -f compile
export NVCC PTXAS OWN KERNELS OUT WORK ISAS

# One build per line; xargs runs $JOBS at a time and fails if any fails.
tr '\t' '\037' < "$BUILDS" | xargs -d '\n' -P "$JOBS" -I{} bash -c 'IFS=$'"'"'\037'"'"' read -r t f d <<< "$1"; compile "$t" "$f" "$d"' _ {}
