# Sourced by the tool scripts: compiles when needed and sets TOOLS_CP (absolute paths: the tools'
# classes, the service's classes and the test classpath). The tools and the simulator live in
# src/tools/java and are compiled with the tests, so they are not in the service jar.
# Plain Java mains; no Quarkus runtime is started.
cd "$(dirname "${BASH_SOURCE[0]}")/.."
TOOLS_CP_FILE=target/tools.classpath
TOOLS_STAMP=target/test-classes/dev/shoal/sequencer/tools/SeedHistoryMain.class
# TOOLS_NO_BUILD=1 uses target/ as it is (the scripts' own test runs them against the build Maven made).
if [[ "${TOOLS_NO_BUILD:-}" != 1 ]] && [[ ! -f "$TOOLS_STAMP" || -n "$(find src/main src/tools pom.xml -newer "$TOOLS_STAMP" -print -quit)" ]]; then
  echo "tools: compiling (./mvnw -B -q test-compile)..." >&2
  ./mvnw -B -q test-compile >&2
  touch "$TOOLS_STAMP"
fi
if [[ ! -s "$TOOLS_CP_FILE" || pom.xml -nt "$TOOLS_CP_FILE" ]]; then
  ./mvnw -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$TOOLS_CP_FILE" >&2
fi
TOOLS_CP="$PWD/target/test-classes:$PWD/target/classes:$(cat "$TOOLS_CP_FILE")"
