#!/usr/bin/env bash
# Recovery benchmark (issue 4 item 10). Seeds a database with about N certificates
# (scripts/seed-history.sh, N/validators rounds, validator 0 recorded, a checkpoint of the final
# state stored), then measures every strategy twice:
#   in-process: recovery/Recovery.run against the database (dev.shoal.sequencer.tools.RecoveryBenchMain,
#               PgStore's raw-client reads on a plain Vert.x pool; one unreported FROM_SCRATCH warm-up);
#   service:    the packaged service (target/quarkus-app) started as validator 0 with
#               SEQUENCER_RECOVERY_STRATEGY=<S>, from process launch to /q/health/ready = UP.
# Prints one line per strategy and mode:  recovery <STRATEGY> <N> certificates <ms> ms (<mode>)
# With several sizes (--certificates 10000,50000,100000) it measures each in turn; it always draws
# target/bench-recovery/recovery-time.svg: recovery time against certificates, a line per strategy
# and mode.
#
#   scripts/bench-recovery.sh --certificates 100000[,N2,...] [--validators 10] [--jdbc-url jdbc:postgresql://127.0.0.1:5432/shoal_bench_recovery]
#                             [--user postgres] [--port 18310] [--reuse] [--modes in-process,service] [--profile]
#
# --reuse skips seeding when the database already holds the expected number of certificates.
# Details (store-read/in-memory split, recovery time logged by the service) go to stderr.
set -euo pipefail
cd "$(dirname "$0")/.."

CERTS="" VALIDATORS=10 URL="jdbc:postgresql://127.0.0.1:5432/shoal_bench_recovery" DB_USER=postgres PORT=18310
REUSE=0 MODES="in-process,service" PROFILE="" STRATEGIES="FROM_SCRATCH FROM_CHECKPOINT HYBRID"
usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//' >&2; exit 2; }
while [[ $# -gt 0 ]]; do
  case "$1" in
    --certificates) CERTS="${2:-}"; shift 2 ;;
    --validators) VALIDATORS="${2:-}"; shift 2 ;;
    --jdbc-url) URL="${2:-}"; shift 2 ;;
    --user) DB_USER="${2:-}"; shift 2 ;;
    --port) PORT="${2:-}"; shift 2 ;;
    --modes) MODES="${2:-}"; shift 2 ;;
    --reuse) REUSE=1; shift ;;
    --profile) PROFILE="--profile"; shift ;;
    --help|-h) usage ;;
    *) echo "bench-recovery: unknown argument '$1'" >&2; usage ;;
  esac
done
[[ "$CERTS" =~ ^[1-9][0-9]*(,[1-9][0-9]*)*$ ]] || { echo "bench-recovery: --certificates N[,N2,...] (positive integers) is required" >&2; usage; }
[[ "$VALIDATORS" =~ ^[0-9]+$ && "$VALIDATORS" -ge 1 ]] || { echo "bench-recovery: --validators must be a positive integer" >&2; usage; }
[[ "$URL" =~ ^jdbc:postgresql://([^:/]+)(:([0-9]+))?/([A-Za-z0-9_]+)$ ]] || { echo "bench-recovery: --jdbc-url must be jdbc:postgresql://host[:port]/database" >&2; usage; }
HOST="${BASH_REMATCH[1]}" DBPORT="${BASH_REMATCH[3]:-5432}" DB="${BASH_REMATCH[4]}"
RESULTS=target/bench-recovery/results.txt

# One size: seed (or reuse) the history, then every strategy in every mode.
bench_size() {
local CERTS=$1
ROUNDS=$(( (CERTS + VALIDATORS - 1) / VALIDATORS ))
N=$(( ROUNDS * VALIDATORS ))
SEED_DIR="target/bench-recovery/$DB"
echo "bench-recovery: $N certificates ($VALIDATORS validators x $ROUNDS rounds) in $DB; $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)" >&2

PSQL=(psql -h "$HOST" -p "$DBPORT" -U "$DB_USER" -v ON_ERROR_STOP=1 -qtA)
if [[ -z "$("${PSQL[@]}" -d postgres -c "SELECT 1 FROM pg_database WHERE datname = '$DB'")" ]]; then
  "${PSQL[@]}" -d postgres -c "CREATE DATABASE $DB" >/dev/null
fi
HAVE=$("${PSQL[@]}" -d "$DB" -c "SELECT count(*) FROM certificate" 2>/dev/null || echo 0)
if [[ $REUSE -eq 1 && "$HAVE" == "$N" && -f "$SEED_DIR/committee.json" ]]; then
  echo "bench-recovery: reusing the seeded database ($HAVE certificates)" >&2
else
  scripts/seed-history.sh --jdbc-url "$URL" --user "$DB_USER" --validators "$VALIDATORS" --rounds "$ROUNDS" --out "$SEED_DIR" --reset >&2
fi

if [[ ",$MODES," == *",in-process,"* ]]; then
  source scripts/tools-classpath.sh
  # Its result lines go to stdout and to the results file from this shell, so they are never
  # interleaved with the tool's stderr by a second writer.
  local out; out=$(mktemp)
  java ${BENCH_JAVA_OPTS:--Xmx6g} -cp "$TOOLS_CP" dev.shoal.sequencer.tools.RecoveryBenchMain --jdbc-url "$URL" --user "$DB_USER" \
    --seed-dir "$SEED_DIR" --validator 0 $PROFILE >"$out"
  cat "$out"; cat "$out" >>"$RESULTS"; rm -f "$out"
fi

if [[ ",$MODES," == *",service,"* ]]; then
  JAR=target/quarkus-app/quarkus-run.jar
  if [[ ! -f "$JAR" ]]; then
    echo "bench-recovery: packaging the service (./mvnw -B -q package -DskipTests)..." >&2
    ./mvnw -B -q package -DskipTests >&2
  fi
  LOGDIR="target/bench-recovery/logs"
  mkdir -p "$LOGDIR"
  # The service runs in the background, where a Ctrl-C does not reach it: stop it on any exit.
  PID=""
  stop_service() { [[ -z "$PID" ]] || { kill "$PID" 2>/dev/null; wait "$PID" 2>/dev/null; PID=""; } || true; }
  trap stop_service EXIT
  trap 'exit 130' INT TERM
  for S in $STRATEGIES; do
    LOG="$LOGDIR/$DB-$S.log"
    START=$(date +%s%N)
    # Archive: the seeded commits are dated from --start-ms (months ago by default), and the default
    # retention would prune them at the first checkpoint, changing what the next run recovers.
    SEQUENCER_RETENTION_ARCHIVE=true \
    SEQUENCER_COMMITTEE_FILE="$SEED_DIR/committee.json" SEQUENCER_VALIDATOR_KEY_FILE="$SEED_DIR/validator-0.key" \
    SEQUENCER_RECOVERY_STRATEGY="$S" SEQUENCER_DATA_DIR="target/bench-recovery/data" QUARKUS_HTTP_PORT="$PORT" \
    QUARKUS_DATASOURCE_USERNAME="$DB_USER" QUARKUS_DATASOURCE_REACTIVE_URL="postgresql://$HOST:$DBPORT/$DB" \
    QUARKUS_DATASOURCE_JDBC_URL="$URL" java ${SERVICE_JAVA_OPTS:-} -jar "$JAR" >"$LOG" 2>&1 &
    PID=$!
    READY=0
    for _ in $(seq 1 12000); do
      if curl -sf "http://127.0.0.1:$PORT/q/health/ready" 2>/dev/null | grep -q '"status": *"UP"'; then READY=1; break; fi
      kill -0 "$PID" 2>/dev/null || break
      sleep 0.02
    done
    END=$(date +%s%N)
    stop_service
    if [[ $READY -ne 1 ]]; then
      echo "bench-recovery: the service did not become ready with $S; log: $LOG" >&2
      tail -5 "$LOG" >&2
      exit 1
    fi
    echo "recovery $S $N certificates $(( (END - START) / 1000000 )) ms (service start to ready)" | tee -a "$RESULTS"
    grep -o 'Recovery done: .*' "$LOG" | sed "s/^/bench-recovery:   $S: /" >&2 || true
    grep -o 'Recovery [A-Z_]* steps: .*' "$LOG" | sed "s/^/bench-recovery:   $S: /" >&2 || true
  done
fi
}

mkdir -p target/bench-recovery
: >"$RESULTS"
IFS=',' read -ra SIZES <<< "$CERTS"
for SIZE in "${SIZES[@]}"; do
  bench_size "$SIZE"
done

# The figure: one points file per strategy and mode ("certificates ms" lines), then the plot.
SERIES=()
rm -f target/bench-recovery/*.points
while read -r _ strategy n _ ms _ mode _; do
  mode=${mode#(}; mode=${mode%)}; mode=${mode%;}
  echo "$n $ms" >>"target/bench-recovery/$strategy-$mode.points"
done < <(grep '^recovery ' "$RESULTS")
for f in target/bench-recovery/*.points; do
  [[ -f "$f" ]] && SERIES+=("$(basename "$f" .points)=$f")
done
if ((${#SERIES[@]} > 0)); then
  [[ -n "${TOOLS_CP:-}" ]] || source scripts/tools-classpath.sh
  java -cp "$TOOLS_CP" dev.shoal.sequencer.tools.PlotMain --out target/bench-recovery/recovery-time.svg \
    --title "Recovery time ($VALIDATORS validators)" --x-label "certificates stored" --y-label "recovery time (s)" \
    --y-scale 0.001 "${SERIES[@]}" >&2
fi
