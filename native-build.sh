#!/usr/bin/env bash
# Builds the Shoal Sequencer as a native executable and, when a container tool exists, the
# container image from src/main/docker/Dockerfile.native-micro.
#
#   ./native-build.sh              # executable target/*-runner, then image shoal-sequencer:<version>
#   IMAGE=my/shoal:tag ./native-build.sh
#   SKIP_IMAGE=1 ./native-build.sh # executable only
#
# How the executable is built, in order of preference:
#   1. a local GraalVM or Mandrel: `native-image` on PATH (or under $GRAALVM_HOME/bin);
#   2. a container build (Quarkus pulls a Mandrel builder image) with docker or podman;
#   3. neither: exits with status 2 and says what to install.
# Extra Maven arguments are passed through, e.g. ./native-build.sh -Dquarkus.native.native-image-xmx=6g
set -euo pipefail

cd "$(dirname "$0")"

container_tool() {
  for tool in docker podman; do
    if command -v "$tool" >/dev/null 2>&1 && "$tool" info >/dev/null 2>&1; then
      echo "$tool"
      return 0
    fi
  done
  return 1
}

if [[ -n "${GRAALVM_HOME:-}" && -x "${GRAALVM_HOME}/bin/native-image" ]]; then
  export PATH="${GRAALVM_HOME}/bin:${PATH}"
fi

TOOL="$(container_tool || true)"
MVN_ARGS=(-B package -Dnative -DskipTests)

if command -v native-image >/dev/null 2>&1; then
  echo "native-build: using local native-image: $(command -v native-image)"
elif [[ -n "$TOOL" ]]; then
  echo "native-build: no native-image on PATH; building inside a container with $TOOL"
  MVN_ARGS+=(-Dquarkus.native.container-build=true "-Dquarkus.native.container-runtime=$TOOL")
else
  cat >&2 <<'MSG'
native-build: cannot build a native executable here. Either
  - install GraalVM or Mandrel for Java 17+ and put `native-image` on PATH (or set GRAALVM_HOME), or
  - install and start docker or podman, so the build runs in a Mandrel builder container.
(`./mvnw -B package -Dnative -Dquarkus.native.sources-only=true -DskipTests` checks native readiness without either.)
MSG
  exit 2
fi

./mvnw "${MVN_ARGS[@]}" "$@"

RUNNER="$(ls target/*-runner 2>/dev/null | head -n 1 || true)"
if [[ -z "$RUNNER" ]]; then
  echo "native-build: the build finished but produced no target/*-runner executable" >&2
  exit 1
fi
echo "native-build: executable $RUNNER"

if [[ -n "${SKIP_IMAGE:-}" ]]; then
  exit 0
fi
if [[ -z "$TOOL" ]]; then
  echo "native-build: no docker or podman, so no container image; run: docker build -f src/main/docker/Dockerfile.native-micro -t shoal-sequencer ."
  exit 0
fi
VERSION="$(./mvnw -q -B help:evaluate -Dexpression=project.version -DforceStdout 2>/dev/null || echo latest)"
IMAGE="${IMAGE:-shoal-sequencer:${VERSION}}"
"$TOOL" build -f src/main/docker/Dockerfile.native-micro -t "$IMAGE" .
echo "native-build: image $IMAGE"
