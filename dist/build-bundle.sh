#!/usr/bin/env bash
# Builds the self-contained GPU bundle, from a fresh clone, in one command:
#
#   dist/build-bundle.sh            # -> dist/out/nabla-gpu (about 50 MiB; limit 55 MiB)
#
# Contents: runtime/ (a jlink image of the newest JDK found: JAVA_HOME or /usr/lib/jvm/*; modules
# java.base, java.logging, java.management, jdk.unsupported, jdk.incubator.vector, and jdk.jfr so that
# gpu-check.sh can record a Flight Recorder profile of the MLP step on the GPU host), lib/ (the CLI jar
# and its runtime jars from cli/target/lib, incl. the CUDA/OpenCL backends and, when built with
# JDK 22+, cuBLAS-via-FFM; native libraries of other platforms and JCuda's unused NVRTC/PTX-compiler
# JNI libraries are removed from the jars), native/ (Debian's ocl-icd libOpenCL.so.1, BSD-2-Clause,
# with its copyright file, plus the libOpenCL.so link), bin/nabla (dist/nabla-launcher.sh) and
# BUNDLE.txt. On the GPU host: dist/gpu-check.sh OUTDIR runs the whole check from this folder.
# Needs: JDK 17+ (22+ for cuBLAS via FFM), Maven, python3; apt-get or an installed ocl-icd-libopencl1.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="${BUNDLE_OUT:-$ROOT/dist/out/nabla-gpu}"
WORK="$ROOT/dist/build"
LIMIT_MIB=55
MODULES=java.base,java.logging,java.management,jdk.unsupported,jdk.incubator.vector,jdk.jfr

feature() {  # the feature release of a JDK folder (17, 25...), 0 if not a JDK with jlink
  local jdk="$1" v
  [[ -x "$jdk/bin/jlink" && -f "$jdk/release" ]] || { echo 0; return; }
  v="$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$jdk/release")"
  echo "${v:-0}"
}

JDK="" best=0
for cand in "${JAVA_HOME:-}" /usr/lib/jvm/*; do
  [[ -n "$cand" ]] || continue
  f="$(feature "$cand")"
  if (( f > best )); then best=$f; JDK="$cand"; fi
done
(( best >= 17 )) || { echo "build-bundle: no JDK 17+ with jlink found (set JAVA_HOME)" >&2; exit 2; }
echo "== JDK $best at $JDK"
(( best >= 22 )) || echo "   (JDK < 22: the bundle will not have cuBLAS via FFM)"

echo "== build (tests skipped; mvn -B verify is the test command)"
(cd "$ROOT" && JAVA_HOME="$JDK" mvn -B -q ${MVN_ARGS:-} -DskipTests -pl cli -am package)

rm -rf "$OUT"
mkdir -p "$OUT/bin" "$OUT/lib" "$OUT/native" "$WORK"

echo "== jlink runtime"
if (( best >= 21 )); then compress=zip-6; else compress=2; fi
"$JDK/bin/jlink" --add-modules "$MODULES" --strip-debug --no-header-files --no-man-pages \
  --compress="$compress" --output "$OUT/runtime" 2>&1 | { grep -v 'incubator modules' || true; }

echo "== jars"
cli_jar="$(ls "$ROOT"/cli/target/nabla-cli-*.jar | grep -v -- '-sources\|-tests' | head -n 1)"
cp "$cli_jar" "$OUT/lib/"
cp "$ROOT"/cli/target/lib/*.jar "$OUT/lib/"
for required in nabla-backend-cuda nabla-backend-opencl nabla-backend-cpu jcuda-natives jocl; do
  ls "$OUT"/lib/"$required"-*.jar >/dev/null 2>&1 || { echo "build-bundle: $required jar missing from cli/target/lib" >&2; exit 1; }
done
# Keep only linux-x86_64 natives, and of JCuda only the driver, runtime and cuBLAS JNI libraries.
python3 "$ROOT/dist/strip-jni.py" "$OUT"/lib/jcuda-natives*.jar "$OUT"/lib/jocl-*.jar \
  $(ls "$OUT"/lib/jcublas-natives*.jar 2>/dev/null)

echo "== OpenCL loader (ocl-icd-libopencl1)"
deb_dir="$WORK/ocl-icd"
rm -rf "$deb_dir" && mkdir -p "$deb_dir"
if (cd "$deb_dir" && apt-get download ocl-icd-libopencl1 >/dev/null 2>&1) && ls "$deb_dir"/*.deb >/dev/null 2>&1; then
  dpkg-deb -x "$deb_dir"/ocl-icd-libopencl1_*.deb "$deb_dir/x"
  so="$(find "$deb_dir/x" -name 'libOpenCL.so.1*' -type f | head -n 1)"
  copyright="$deb_dir/x/usr/share/doc/ocl-icd-libopencl1/copyright"
  source_note="$(basename "$deb_dir"/ocl-icd-libopencl1_*.deb)"
elif [[ -e /usr/lib/x86_64-linux-gnu/libOpenCL.so.1 && -f /usr/share/doc/ocl-icd-libopencl1/copyright ]]; then
  so="$(readlink -f /usr/lib/x86_64-linux-gnu/libOpenCL.so.1)"
  copyright=/usr/share/doc/ocl-icd-libopencl1/copyright
  source_note="installed ocl-icd-libopencl1 $(dpkg-query -W -f='${Version}' ocl-icd-libopencl1 2>/dev/null || true)"
else
  echo "build-bundle: cannot get libOpenCL.so.1: apt-get download ocl-icd-libopencl1 failed and the package is not installed" >&2
  exit 1
fi
cp "$so" "$OUT/native/libOpenCL.so.1"
ln -s libOpenCL.so.1 "$OUT/native/libOpenCL.so"
cp "$copyright" "$OUT/native/ocl-icd-libopencl1.copyright"

echo "== launcher"
cp "$ROOT/dist/nabla-launcher.sh" "$OUT/bin/nabla"
cp "$ROOT/dist/signal-chaining.sh" "$OUT/bin/signal-chaining.sh"
chmod +x "$OUT/bin/nabla"

{
  echo "Nabla GPU bundle"
  echo "built:   $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "commit:  $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$ROOT" diff --quiet 2>/dev/null || echo ' (with uncommitted changes)')"
  echo "runtime: $("$OUT/runtime/bin/java" -version 2>&1 | head -n 1) ($MODULES)"
  echo "opencl:  libOpenCL.so.1 from $source_note (BSD-2-Clause, see native/ocl-icd-libopencl1.copyright)"
  echo "jars:"
  (cd "$OUT/lib" && ls -1 | sed 's/^/  /')
} > "$OUT/BUNDLE.txt"

echo "== check"
python3 -c "import ast, sys; ast.parse(open(sys.argv[1]).read(), sys.argv[1])" "$ROOT/dist/bench_torch.py"
bash -n "$ROOT/dist/gpu-check.sh"
"$OUT/bin/nabla" --version
size_mib=$(( $(du -sk "$OUT" | cut -f1) / 1024 ))
echo "bundle: $OUT, ${size_mib} MiB (limit ${LIMIT_MIB} MiB)"
(( size_mib < LIMIT_MIB )) || { echo "build-bundle: bundle is ${size_mib} MiB, over ${LIMIT_MIB} MiB" >&2; exit 1; }
