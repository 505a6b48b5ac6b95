#!/usr/bin/env bash
# Deterministic simulator of the validator core (dev.shoal.sequencer.sim.SimulatorMain).
#
#   scripts/simulate.sh --seeds FROM..TO --validators N --byzantine F --crashes K --rounds R [--threads T] [--stats]
#
# Compiles with ./mvnw (test-compile: the simulator lives in src/tools/java, outside the service jar)
# when its classes are missing or older than the sources, then runs the main class. Prints one line per failing seed and
# ends with 'simulation: <S> seeds, <V> violations'. Exit status: 0 without violations, 1 with
# violations, 2 on bad arguments (usage is printed), 0 for --help.
set -euo pipefail

source "$(dirname "$0")/tools-classpath.sh"   # compiles when needed; cds to the repository root
exec java ${SIMULATE_JAVA_OPTS:--Xss4m} -cp "$TOOLS_CP" dev.shoal.sequencer.sim.SimulatorMain "$@"
