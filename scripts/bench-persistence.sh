#!/usr/bin/env bash
# Persistence benchmark (issue 4 item 10; dev.shoal.sequencer.tools.PersistenceBenchMain).
# Certificates per second through GroupCommitPipeline + PgStore.write against the raw PostgreSQL
# multi-row insert rate of the same rows (same table and columns, one INSERT ... SELECT unnest(...)
# of 2,000 rows per statement), measured alternately in the same run, with their ratio; then
# p50/p99 durability latency at a fixed offered rate (HdrHistogram).
#
#   scripts/bench-persistence.sh [--certificates 20000] [--validators 10] [--rate 5000] [--latency-seconds 4] [--reps R]
#                                [--timeline] [--host 127.0.0.1] [--port 5432] [--user postgres]
#
# The certificates are real, signed ones: a source database (shoal_bench_persistence_src) is seeded
# once with scripts/seed-history.sh and reused; they are written into shoal_bench_persistence,
# which is emptied before and after every measurement. --reps defaults to 5, and to more for small
# sizes (at least 100,000 certificates per path in all): a leg of 5,000 certificates lasts 0.1 s,
# and one slow fsync moves its ratio by 10%. --timeline also prints, for every leg, when
# each statement (raw) or group commit (pipeline) became durable, in ms from the leg's start.
set -euo pipefail
cd "$(dirname "$0")/.."
CERTS=20000 VALIDATORS=10 RATE=5000 SECONDS_=4 REPS="" TIMELINE=false HOST=127.0.0.1 DBPORT=5432 DB_USER=postgres
usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//' >&2; exit 2; }
num() { [[ "${2:-}" =~ ^[0-9]+$ && "$2" -gt 0 ]] || { echo "bench-persistence: $1 needs a positive integer" >&2; usage; }; }
while [[ $# -gt 0 ]]; do
  case "$1" in
    --certificates) num "$1" "${2:-}"; CERTS="$2"; shift 2 ;;
    --validators) num "$1" "${2:-}"; VALIDATORS="$2"; shift 2 ;;
    --rate) num "$1" "${2:-}"; RATE="$2"; shift 2 ;;
    --latency-seconds) num "$1" "${2:-}"; SECONDS_="$2"; shift 2 ;;
    --reps) num "$1" "${2:-}"; REPS="$2"; shift 2 ;;
    --timeline) TIMELINE=true; shift ;;
    --host) HOST="${2:-}"; shift 2 ;;
    --port) num "$1" "${2:-}"; DBPORT="$2"; shift 2 ;;
    --user) DB_USER="${2:-}"; shift 2 ;;
    --help|-h) usage ;;
    *) echo "bench-persistence: unknown argument '$1'" >&2; usage ;;
  esac
done
[[ -n "$REPS" ]] || REPS=$(( (100000 + CERTS - 1) / CERTS > 5 ? (100000 + CERTS - 1) / CERTS : 5 ))
SRC=shoal_bench_persistence_src DST=shoal_bench_persistence
ROUNDS=$(( (CERTS + VALIDATORS - 1) / VALIDATORS ))
N=$(( ROUNDS * VALIDATORS ))
echo "bench-persistence: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)" >&2
PSQL=(psql -h "$HOST" -p "$DBPORT" -U "$DB_USER" -v ON_ERROR_STOP=1 -qtA)
for DB in $SRC $DST; do
  if [[ -z "$("${PSQL[@]}" -d postgres -c "SELECT 1 FROM pg_database WHERE datname = '$DB'")" ]]; then
    "${PSQL[@]}" -d postgres -c "CREATE DATABASE $DB" >/dev/null
  fi
done
HAVE=$("${PSQL[@]}" -d "$SRC" -c "SELECT count(*) FROM certificate" 2>/dev/null || echo 0)
if [[ "$HAVE" != "$N" ]]; then
  scripts/seed-history.sh --jdbc-url "jdbc:postgresql://$HOST:$DBPORT/$SRC" --user "$DB_USER" --validators "$VALIDATORS" \
    --rounds "$ROUNDS" --out "target/bench-persistence/seed" --reset --no-checkpoint >&2
fi
source scripts/tools-classpath.sh
exec java ${BENCH_JAVA_OPTS:--Xmx3g} -cp "$TOOLS_CP" dev.shoal.sequencer.tools.PersistenceBenchMain \
  --source-url "jdbc:postgresql://$HOST:$DBPORT/$SRC" --target-url "jdbc:postgresql://$HOST:$DBPORT/$DST" --user "$DB_USER" \
  --reps "$REPS" --rate "$RATE" --latency-seconds "$SECONDS_" --certificates "$N" --timeline "$TIMELINE"
