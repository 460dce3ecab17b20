#!/usr/bin/env python3
"""Rewrites jars in place, keeping of their bundled JNI libraries (entries under lib/) only the
linux-x86_64 ones, and dropping JCuda's NVRTC and PTX-compiler libraries (we load committed PTX):
what a GPU-host bundle needs, ~24 MB less. Used by dist/build-bundle.sh (the natives jars) and
benchmarks/gpu-check.sh (the shaded benchmarks.jar).

    strip-jni.py JAR [JAR ...]
"""
import os
import sys
import zipfile


def keep(name):
    if not name.startswith("lib/") or name == "lib/":
        return True
    base = name[4:]
    return "linux-x86_64" in base and not base.startswith(("libJNvPTXCompiler", "libJNvrtc"))


def strip(path):
    with zipfile.ZipFile(path) as z:
        entries = [(i, z.read(i.filename)) for i in z.infolist()]
    kept = [(i, d) for i, d in entries if keep(i.filename)]
    tmp = path + ".tmp"
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as z:
        for i, d in kept:
            z.writestr(i, d)
    os.replace(tmp, path)
    print("   %s: kept %d of %d entries" % (os.path.basename(path), len(kept), len(entries)))


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit("usage: strip-jni.py JAR [JAR ...]")
    for jar in sys.argv[1:]:
        strip(jar)
