# Sourced by the tool scripts: compiles when needed and sets TOOLS_CP (target/classes + runtime classpath).
# Plain Java mains; no Quarkus runtime is started.
cd "$(dirname "${BASH_SOURCE[0]}")/.."
TOOLS_CLASSES=target/classes
TOOLS_CP_FILE=target/tools.classpath
TOOLS_STAMP="$TOOLS_CLASSES/dev/shoal/sequencer/tools/SeedHistoryMain.class"
if [[ ! -f "$TOOLS_STAMP" || -n "$(find src/main pom.xml -newer "$TOOLS_STAMP" -print -quit)" ]]; then
  echo "tools: compiling (./mvnw -B -q compile)..." >&2
  ./mvnw -B -q compile >&2
  touch "$TOOLS_STAMP"
fi
if [[ ! -s "$TOOLS_CP_FILE" || pom.xml -nt "$TOOLS_CP_FILE" ]]; then
  ./mvnw -B -q dependency:build-classpath -Dmdep.includeScope=runtime -Dmdep.outputFile="$TOOLS_CP_FILE" >&2
fi
TOOLS_CP="$TOOLS_CLASSES:$(cat "$TOOLS_CP_FILE")"
