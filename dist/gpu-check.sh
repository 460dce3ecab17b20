#!/usr/bin/env bash
# The whole GPU check in one go, on a GPU host, from the repository root:
#
#   bash dist/gpu-check.sh OUTDIR [BUNDLE]       # BUNDLE defaults to dist/out/nabla-gpu
#
# Runs, each step under `timeout` and all within a deadline (CHECK_SECONDS, default 420), going on
# when a step fails: host facts; `nabla devices`; `nabla selftest --backend cuda` and `--backend
# opencl`; `nabla train --backend cuda` when the CLI has `train`; the GPU microbenchmarks
# (dev.nabla.cuda.bench.GpuBench: sgemm 1024/4096/8192 per GEMM engine, TF32 sgemm, relu over 64M
# floats, softmax cross-entropy 8192x1024, MLP training steps; host cost per call and the MLP step
# split into forward / forward+backward (--only overhead); a Flight Recorder profile of the MLP step;
# sgemm 4096 on OpenCL); the same work
# in PyTorch when `import torch` works (dist/bench_torch.py). Then prints ONE table, metric /
# Nabla / PyTorch / ratio, and a list of the steps with their outcome. OUTDIR gets table.md,
# steps.tsv, nabla.tsv, torch.tsv and a log per step.
#   GPUCHECK_TINY=1 shrinks every benchmark (a dry run on a machine without a GPU).
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="${1:?usage: dist/gpu-check.sh OUTDIR [BUNDLE]}"
BUNDLE="${2:-$ROOT/dist/out/nabla-gpu}"
NABLA="$BUNDLE/bin/nabla"
DEADLINE=$(( $(date +%s) + ${CHECK_SECONDS:-420} ))
mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"
: > "$OUT/steps.tsv"
: > "$OUT/nabla.tsv"
: > "$OUT/torch.tsv"
chmod u+x "$NABLA" "$BUNDLE"/runtime/bin/* "$BUNDLE"/runtime/lib/jspawnhelper 2>/dev/null || true
if [[ ! -f "$NABLA" ]]; then
  echo "gpu-check: no bundle at $BUNDLE: build it with dist/build-bundle.sh and carry dist/out/nabla-gpu" >&2
  exit 2
fi
tiny=()
[[ -n "${GPUCHECK_TINY:-}" ]] && tiny=(--tiny)
# The GPU engines' caches (PTX JIT is cached by the driver in ~/.nv; GEMM autotune here).
export NABLA_JAVA_OPTS="${NABLA_JAVA_OPTS:-} -Dnabla.cache.dir=$OUT/nabla-cache"

n=0
# step NAME SECONDS COMMAND...: runs COMMAND with its output in OUTDIR/NN-NAME.log (and on the console).
step() {
  local name="$1" limit="$2"; shift 2
  n=$((n + 1))
  local log; log="$OUT/$(printf '%02d' "$n")-$name.log"
  local left=$(( DEADLINE - $(date +%s) ))
  if (( left < 20 )); then
    echo "== [$n] $name: SKIPPED (no time left before the deadline)"
    printf '%s\tskipped\tno time left\n' "$name" >> "$OUT/steps.tsv"
    return 0
  fi
  (( limit > left )) && limit=$left
  echo "== [$n] $name (limit ${limit}s): $*"
  local t0; t0=$(date +%s)
  timeout -k 10 "$limit" "$@" > >(tee "$log") 2>&1 < /dev/null
  local code=$?
  local secs=$(( $(date +%s) - t0 ))
  local outcome=ok
  if (( code == 124 || code == 137 )); then outcome="TIMEOUT after ${limit}s"; elif (( code != 0 )); then outcome="FAILED (exit $code)"; fi
  echo "   -> $outcome in ${secs}s"
  printf '%s\t%s\t%ss\n' "$name" "$outcome" "$secs" >> "$OUT/steps.tsv"
  return 0
}
skip() {
  echo "== $1: skipped ($2)"
  printf '%s\tskipped\t%s\n' "$1" "$2" >> "$OUT/steps.tsv"
}

host_facts() {
  echo "date: $(date -u +%FT%TZ)   host: $(uname -srm)"
  cat "$BUNDLE/BUNDLE.txt" 2>/dev/null | head -n 5
  nvidia-smi --query-gpu=name,driver_version,memory.total,compute_cap --format=csv,noheader 2>&1 || echo "nvidia-smi failed"
  ls /usr/local/cuda*/targets/*/lib/libcublas.so.* 2>/dev/null || echo "no libcublas under /usr/local/cuda*"
  ls /usr/local/nvidia/lib64/libnvidia-opencl.so.1 2>/dev/null || echo "no /usr/local/nvidia/lib64/libnvidia-opencl.so.1"
  ls /etc/OpenCL/vendors/ 2>/dev/null || true
}
step host 20 bash -c "$(declare -f host_facts); BUNDLE='$BUNDLE' host_facts"
step devices 90 "$NABLA" devices

help="$("$NABLA" --help 2>&1 || true)"
if grep -qE '^\s+selftest\b' <<< "$help"; then
  step selftest-cuda 150 "$NABLA" selftest --backend cuda
  step selftest-opencl 120 "$NABLA" selftest --backend opencl
else
  skip selftest "the CLI has no selftest subcommand"
fi
if grep -qE '^\s+train\b' <<< "$help"; then
  step train-cuda 90 "$NABLA" train --backend cuda
else
  skip train-cuda "the CLI has no train subcommand yet"
fi

BENCH=(env NABLA_MAIN=dev.nabla.cuda.bench.GpuBench "$NABLA")
step bench-sgemm 150 "${BENCH[@]}" --backend cuda --only sgemm "${tiny[@]}" --out "$OUT/nabla.tsv"
step bench-sgemm-tf32 45 env NABLA_JAVA_OPTS="$NABLA_JAVA_OPTS -Dnabla.cuda.tf32=true" "${BENCH[@]}" --backend cuda \
  --only sgemm --engines cublas-ffm,jcublas --sgemm 4096 --label tf32 "${tiny[@]}" --out "$OUT/nabla.tsv"
step bench-ops 120 "${BENCH[@]}" --backend cuda --only relu,softmax,mlp "${tiny[@]}" --out "$OUT/nabla.tsv"
step bench-overhead 60 "${BENCH[@]}" --backend cuda --only overhead "${tiny[@]}" --out "$OUT/nabla.tsv"

# Where the host time of the MLP step goes on this machine: GpuBench times the MLP step, then records
# 5 s of steps with the Flight Recorder (OUTDIR/mlp-step.jfr); the top frames of its Java and
# native-method samples are printed (leaf frames, and the innermost Nabla frame of each sample).
# Needs jdk.jfr in the bundle's runtime.
jfr_top() {
  "$1" -m jdk.jfr/jdk.jfr.internal.tool.Main print --events jdk.ExecutionSample,jdk.NativeMethodSample "$2" |
  awk '
    /stackTrace = \[/ { inside = 1; leaf = ""; nabla = ""; next }
    inside && /^[[:space:]]*\]/ {
      inside = 0; if (leaf != "") { total++; leaves[leaf]++; if (nabla != "") inner[nabla]++ } next }
    inside {
      f = $0; sub(/^[[:space:]]+/, "", f); sub(/\(.*/, "", f)
      if (leaf == "") leaf = f
      if (nabla == "" && f ~ /^dev\.nabla\./) nabla = f
    }
    END {
      printf "%d samples\n-- top leaf frames\n", total
      for (f in leaves) printf "%6d %5.1f%%  %s\n", leaves[f], 100 * leaves[f] / total, f | "sort -rn | head -n 20"
      close("sort -rn | head -n 20")
      print "-- top innermost dev.nabla frames"
      for (f in inner) printf "%6d %5.1f%%  %s\n", inner[f], 100 * inner[f] / total, f | "sort -rn | head -n 20"
    }'
}
if "$BUNDLE/runtime/bin/java" --list-modules 2>/dev/null | grep -q '^jdk\.jfr@'; then
  mlp_spec=784-1024-1024-10:512
  [[ -n "${GPUCHECK_TINY:-}" ]] && mlp_spec=16-32-32-10:8
  step profile-mlp 60 "${BENCH[@]}" --backend cuda --only mlp --mlp "$mlp_spec" --profile "$OUT/mlp-step.jfr" \
    --out "$OUT/profile-mlp.tsv"
  if [[ -f "$OUT/mlp-step.jfr" ]]; then
    step profile-mlp-top 30 bash -c "$(declare -f jfr_top); jfr_top '$BUNDLE/runtime/bin/java' '$OUT/mlp-step.jfr'"
  fi
else
  skip profile-mlp "the bundle's runtime has no jdk.jfr"
fi
step bench-opencl 90 "${BENCH[@]}" --backend opencl --only sgemm --sgemm 4096 --label opencl "${tiny[@]}" \
  --out "$OUT/nabla.tsv"

if timeout 60 python3 -c 'import torch, sys; sys.exit(0 if torch.cuda.is_available() else 3)' > "$OUT/torch-probe.log" 2>&1; then
  step pytorch 150 python3 "$ROOT/dist/bench_torch.py" --out "$OUT/torch.tsv" "${tiny[@]}"
else
  skip pytorch "python3 cannot import torch with CUDA (see torch-probe.log)"
fi

# ONE table: every Nabla metric beside PyTorch's for the same work; ratio = Nabla's speed over PyTorch's.
awk -F'\t' '
  FILENAME == ARGV[1] { torch[$1] = $2; next }
  {
    metric = $1 " (" $3 ")"; t = ($4 in torch) ? torch[$4] : ""
    ratio = "-"
    if (t != "" && t + 0 > 0 && $2 + 0 > 0) ratio = sprintf("%.2f", ($5 == "higher") ? $2 / t : t / $2)
    printf "| %-46s | %10s | %10s | %6s |\n", metric, $2, (t == "" ? "-" : t), ratio
  }' "$OUT/torch.tsv" "$OUT/nabla.tsv" > "$OUT/table.body"
{
  echo "| metric (unit)                                  |      Nabla |    PyTorch |  ratio |"
  echo "|------------------------------------------------|------------|------------|--------|"
  cat "$OUT/table.body"
  echo
  echo "ratio: Nabla speed / PyTorch speed (above 1: Nabla faster). PyTorch fp32, TF32 off, except the"
  echo "*-tf32 rows, which are Nabla with nabla.cuda.tf32=true against PyTorch without TF32."
} > "$OUT/table.md"
rm -f "$OUT/table.body"

echo
echo "================ CUDA report (from nabla devices)"
awk '/^  cuda /{p=1} p && /^$/{exit} p' "$OUT"/*-devices.log 2>/dev/null
echo
echo "================ results"
cat "$OUT/table.md"
echo
echo "================ steps"
column -t -s $'\t' "$OUT/steps.tsv" 2>/dev/null || cat "$OUT/steps.tsv"
failed=$(grep -cvP '\t(ok|skipped)\t' "$OUT/steps.tsv" || true)
echo "$failed step(s) did not pass; logs in $OUT"
exit 0
