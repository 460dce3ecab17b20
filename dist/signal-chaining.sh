# Sourced by Nabla's launchers (./nabla, examples/run.sh, benchmarks/report.sh, the GPU bundle's
# bin/nabla). OpenCL drivers built on LLVM (POCL here, and others) install their own SIGSEGV and
# SIGBUS handlers over the JVM's, and the JVM uses those signals itself (safepoint polls, implicit
# null checks): with POCL 3.1 on JDK 17 it died at random with exit 139 and no hs_err file.
# HotSpot's answer is signal chaining: libjsig.so, preloaded, keeps the JVM's handlers in place
# and calls the driver's only for faults that are not the JVM's. The OpenCL backend refuses to
# load drivers without it (its report says how to override).

# nabla_signal_chaining JAVA: exports LD_PRELOAD with the libjsig.so of the runtime that JAVA
# (a path to a java binary) belongs to, on Linux, when that runtime has one and it is not
# preloaded already.
nabla_signal_chaining() {
  local java="$1" home lib
  [[ "$(uname -s)" == Linux ]] || return 0
  home="$(cd "$(dirname "$(readlink -f "$java")")/.." 2>/dev/null && pwd)" || return 0
  lib="$home/lib/libjsig.so"
  [[ -f "$lib" ]] || return 0
  case " ${LD_PRELOAD:-} " in
    *libjsig.so*) return 0 ;;
  esac
  export LD_PRELOAD="$lib${LD_PRELOAD:+ $LD_PRELOAD}"
}
