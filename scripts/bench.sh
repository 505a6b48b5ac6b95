#!/usr/bin/env bash
# Runs the JMH benchmarks under src/test/java/dev/shoal/sequencer/bench.
#
#   scripts/bench.sh [REGEX] [JMH OPTIONS...]
#
# Builds the test classes when sources or the pom changed, computes the test class path once
# per pom change (target/bench-classpath.txt), then runs org.openjdk.jmh.Main with the
# arguments unchanged. Uses $JAVA_HOME/bin/java when JAVA_HOME is set, else java on PATH.
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: scripts/bench.sh [REGEX] [JMH OPTIONS...]

Runs the project's JMH benchmarks (src/test/java/dev/shoal/sequencer/bench).
Every argument goes to org.openjdk.jmh.Main unchanged.

  REGEX            benchmarks to run, matched against Class.method (default: all)
  -f N             forks (benchmarks default to 1)
  -wi N / -i N     warmup / measurement iterations
  -w T / -r T      warmup / measurement iteration time, e.g. 2s
  -t N             threads
  -rf json -rff F  write results to file F as JSON
  -l               list the benchmarks and exit
  -h               all JMH options

Examples:
  scripts/bench.sh -l
  scripts/bench.sh Ed25519 -f 1 -wi 2 -i 3
  scripts/bench.sh 'Ed25519Benchmark.*Verify' -f 1 -wi 2 -i 5 -r 2s

Environment:
  JAVA_HOME        JDK to build and run with (default: java on PATH)
  BENCH_NO_BUILD=1 skip the build check and use target/ as it is
USAGE
}

case "${1:-}" in
  --help|-help|help) usage; exit 0 ;;
esac

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

java_bin="java"
if [[ -n "${JAVA_HOME:-}" ]]; then java_bin="$JAVA_HOME/bin/java"; fi

benchmark_list="target/test-classes/META-INF/BenchmarkList"
classpath_file="target/bench-classpath.txt"

needs_build() {
  [[ ! -f "$benchmark_list" ]] && return 0
  # Any source, resource or the pom newer than the last generated benchmark list.
  [[ -n "$(find src pom.xml application.properties -newer "$benchmark_list" -type f -print -quit 2>/dev/null)" ]]
}

if [[ "${BENCH_NO_BUILD:-}" != "1" ]] && needs_build; then
  echo "bench.sh: compiling test classes (./mvnw -B -q test-compile)" >&2
  ./mvnw -B -q test-compile
  touch "$benchmark_list" 2>/dev/null || true
fi

if [[ ! -f "$benchmark_list" ]]; then
  echo "bench.sh: $benchmark_list is missing: no benchmark was generated (is the JMH annotation processor configured in pom.xml?)" >&2
  exit 1
fi

if [[ ! -s "$classpath_file" || pom.xml -nt "$classpath_file" ]]; then
  echo "bench.sh: computing the test class path (dependency:build-classpath)" >&2
  ./mvnw -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$classpath_file" >/dev/null
fi

exec "$java_bin" -cp "target/test-classes:target/classes:$(cat "$classpath_file")" org.openjdk.jmh.Main "$@"
