#!/usr/bin/env bash
# The benchmark report from a source checkout: builds benchmarks/target/benchmarks.jar when it is
# missing or older than the sources (tests skipped), then runs its report with the JVM flags every
# Nabla JVM needs (BUILD.md). Options go to the report; see --help below or benchmarks/README.md:
#   benchmarks/report.sh [--quick | --full | --compare-cpu | --smoke] [--out DIR] [--backends cpu,cuda]
#                        [--threads 1,2] [--python CMD | --no-python] [--dry-run]
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JAR="$ROOT/benchmarks/target/benchmarks.jar"

if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]]; then
  JAVA="$JAVA_HOME/bin/java"
else
  JAVA="$(command -v java || true)"
fi
if [[ -z "$JAVA" ]]; then
  echo "report.sh: no java found: install JDK 17 or newer, or set JAVA_HOME" >&2
  exit 2
fi

needs_build() {
  [[ -f "$JAR" ]] || return 0
  [[ -n "$(find "$ROOT" -path "$ROOT/.git" -prune -o -path '*/target' -prune -o \
      \( -name '*.java' -o -name 'pom.xml' -o -name '*.py' -o -path '*/src/main/resources/*' \) \
      -newer "$JAR" -print -quit 2>/dev/null)" ]]
}

if needs_build; then
  if ! command -v mvn >/dev/null 2>&1; then
    echo "report.sh: benchmarks.jar is not built and Maven (mvn) is not installed" >&2
    exit 2
  fi
  echo "report.sh: building benchmarks.jar (tests skipped)..." >&2
  log="$(mktemp)"
  if ! (cd "$ROOT" && mvn -q -B -DskipTests -pl benchmarks -am package) >"$log" 2>&1; then
    cat "$log" >&2
    rm -f "$log"
    echo "report.sh: build failed" >&2
    exit 2
  fi
  rm -f "$log"
  touch "$JAR"
fi

# shellcheck source=../dist/signal-chaining.sh
source "$ROOT/dist/signal-chaining.sh"
nabla_signal_chaining "$JAVA"  # the JMH forks inherit it

flags=(--enable-native-access=ALL-UNNAMED)
if "$JAVA" --list-modules 2>/dev/null | grep -q '^jdk.incubator.vector'; then
  flags+=(--add-modules jdk.incubator.vector)
fi

# Only stderr goes through the filter that drops the JVM's incubator notice; the pipeline is waited for.
set +e
{ "$JAVA" "${flags[@]}" ${NABLA_JAVA_OPTS:-} -jar "$JAR" report "$@" 2>&1 1>&3 3>&- \
    | grep --line-buffered -v '^WARNING: Using incubator modules: jdk.incubator.vector$' >&2; } 3>&1
exit "${PIPESTATUS[0]}"
