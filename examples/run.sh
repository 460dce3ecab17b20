#!/usr/bin/env bash
# Runs one example program: examples/run.sh NAME [args...]
#   NAME: GradientDescent, NumericalVsBackprop, DigitsTechniques, IrisBackprop
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
name="${1:-}"
if [[ -z "$name" || ! -f "$ROOT/examples/src/main/java/dev/nabla/examples/$name.java" ]]; then
  echo "usage: examples/run.sh NAME [args...]; NAME is one of:" >&2
  ls "$ROOT/examples/src/main/java/dev/nabla/examples/" | sed 's/\.java$//; s/^/  /' >&2
  exit 2
fi
shift
(cd "$ROOT" && mvn -q -B -DskipTests -pl examples -am package)
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
# shellcheck source=../dist/signal-chaining.sh
source "$ROOT/dist/signal-chaining.sh"
nabla_signal_chaining "$(command -v "$JAVA")"
jar="$(ls "$ROOT"/examples/target/nabla-examples-*.jar | grep -v -- '-tests' | head -n 1)"
exec "$JAVA" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED \
  -cp "$jar:$ROOT/examples/target/lib/*" "dev.nabla.examples.$name" "$@" \
  2> >(grep --line-buffered -v '^WARNING: Using incubator modules' >&2)
