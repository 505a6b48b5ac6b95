#!/usr/bin/env bash
# Deterministic simulator of the validator core (dev.shoal.sequencer.sim.SimulatorMain).
#
#   scripts/simulate.sh --seeds FROM..TO --validators N --byzantine F --crashes K --rounds R [--threads T] [--stats]
#
# Compiles with ./mvnw when target/classes is missing or older than the sources, then runs the
# main class from target/classes with the runtime classpath. Prints one line per failing seed and
# ends with 'simulation: <S> seeds, <V> violations'. Exit status: 0 without violations, 1 with
# violations, 2 on bad arguments (usage is printed), 0 for --help.
set -euo pipefail

cd "$(dirname "$0")/.."
CLASSES=target/classes
CP_FILE=target/simulate.classpath
STAMP="$CLASSES/dev/shoal/sequencer/sim/SimulatorMain.class"

needs_compile() {
  [[ ! -f "$STAMP" ]] && return 0
  [[ -n "$(find src/main/java pom.xml -newer "$STAMP" -print -quit)" ]]
}

if needs_compile; then
  echo "simulate: compiling (./mvnw -B -q compile)..." >&2
  ./mvnw -B -q compile >&2
  touch "$STAMP"
fi
if [[ ! -s "$CP_FILE" || pom.xml -nt "$CP_FILE" ]]; then
  ./mvnw -B -q dependency:build-classpath -Dmdep.includeScope=runtime -Dmdep.outputFile="$CP_FILE" >&2
fi

exec java ${SIMULATE_JAVA_OPTS:--Xss4m} -cp "$CLASSES:$(cat "$CP_FILE")" dev.shoal.sequencer.sim.SimulatorMain "$@"
