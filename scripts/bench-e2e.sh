#!/usr/bin/env bash
# End-to-end benchmark (issue 5 item 8): a local committee of N validators (scripts/local-committee.sh,
# each with its own PostgreSQL database), 512-byte transactions offered to every validator in turn at a
# stepped rate up to saturation (dev.shoal.sequencer.tools.E2eBenchMain). Reports per step the ordered
# transactions per second, p50/p99 submit-to-commit latency, refused share, CPU and RSS per validator;
# then the same run with the in-memory store (SEQUENCER_STORAGE_KIND=memory) for the persistence ratio.
# After the steps, one overload step offers --overload-factor times the peak (default 2; 0 skips it) for
# twice the step length and reports the share of the peak still ordered and the admitted transactions'
# latency (a node should refuse what it cannot order, 503 with Retry-After, not collapse).
# Ends with:  e2e: <T> tx/s, p50 <ms> ms, p99 <ms> ms, persistence ratio <r>; draws
# target/bench-e2e/throughput-latency.svg (ordered tx/s against p50 latency, a line per mode).
#
#   scripts/bench-e2e.sh [--validators 4] [--rates 10000,15000,...,50000] [--step-seconds 15]
#                        [--tx-bytes 512] [--txs-per-request 100] [--max-p50-ms 1000] [--warmup-seconds 60]
#                        [--modes postgresql,memory] [--header-interval D] [--batch-delay D] [--idle-interval D]
#                        [--heap 1g] [--memory-heap 4g] [--overload-factor 2]
#
# The validators run the service's defaults; --header-interval and --batch-delay (e.g. 200ms, 100ms)
# override sequencer.consensus.min-header-interval and sequencer.batch.max-delay to study the round
# rate; --idle-interval overrides sequencer.consensus.idle-header-interval (e.g. 50ms, about the pace of a busy committee), to
# show that pacing costs nothing under load (each step reports the idle waits it saw). --heap is each validator's -Xmx with PostgreSQL; the in-memory store keeps every batch on the
# heap, hence its larger --memory-heap.
#
# It uses the local committee's ports (HTTP 8081+i, peers 9081+i) and recreates its databases
# (shoal_local_<i>): stop a running local committee first. Logs: target/bench-e2e/<mode>/v<i>/log.
set -euo pipefail
cd "$(dirname "$0")/.."

N=4 RATES="10000,15000,20000,25000,30000,35000,40000,45000,50000" STEP=15 TX_BYTES=512 PER_REQUEST=100 MAX_P50=1000
WARMUP=60 MODES="postgresql,memory" HEADER_INTERVAL="" BATCH_DELAY="" IDLE_INTERVAL="" HEAP=1g MEMORY_HEAP=4g OVERLOAD=2
usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//' >&2; exit 2; }
while [[ $# -gt 0 ]]; do
  case "$1" in
    --validators) N="${2:-}"; shift 2 ;;
    --rates) RATES="${2:-}"; shift 2 ;;
    --step-seconds) STEP="${2:-}"; shift 2 ;;
    --tx-bytes) TX_BYTES="${2:-}"; shift 2 ;;
    --txs-per-request) PER_REQUEST="${2:-}"; shift 2 ;;
    --max-p50-ms) MAX_P50="${2:-}"; shift 2 ;;
    --warmup-seconds) WARMUP="${2:-}"; shift 2 ;;
    --modes) MODES="${2:-}"; shift 2 ;;
    --header-interval) HEADER_INTERVAL="${2:-}"; shift 2 ;;
    --batch-delay) BATCH_DELAY="${2:-}"; shift 2 ;;
    --idle-interval) IDLE_INTERVAL="${2:-}"; shift 2 ;;
    --heap) HEAP="${2:-}"; shift 2 ;;
    --memory-heap) MEMORY_HEAP="${2:-}"; shift 2 ;;
    --overload-factor) OVERLOAD="${2:-}"; shift 2 ;;
    --help|-h) usage ;;
    *) echo "bench-e2e: unknown argument '$1'" >&2; usage ;;
  esac
done
[[ "$N" =~ ^[0-9]+$ && "$N" -ge 1 ]] || { echo "bench-e2e: --validators must be a positive integer" >&2; usage; }
[[ "$RATES" =~ ^[0-9]+(,[0-9]+)*$ ]] || { echo "bench-e2e: --rates must be comma-separated integers" >&2; usage; }
[[ "$OVERLOAD" == 0 || "$OVERLOAD" =~ ^[0-9]+(\.[0-9]+)?$ ]] && awk -v f="$OVERLOAD" 'BEGIN { exit !(f == 0 || f > 1) }' \
  || { echo "bench-e2e: --overload-factor must be 0 (no overload step) or a number above 1" >&2; usage; }
[[ "$WARMUP" =~ ^[0-9]+$ ]] || { echo "bench-e2e: --warmup-seconds must be a non-negative integer" >&2; usage; }
for x in "$HEADER_INTERVAL" "$BATCH_DELAY" "$IDLE_INTERVAL"; do
  [[ -z "$x" || "$x" =~ ^[0-9]+(ms|s)$ ]] || { echo "bench-e2e: --header-interval, --batch-delay and --idle-interval take a duration such as 200ms or 1s" >&2; usage; }
done
for x in "$HEAP" "$MEMORY_HEAP"; do
  [[ "$x" =~ ^[0-9]+[mMgG]$ ]] || { echo "bench-e2e: --heap and --memory-heap take a size such as 1g or 512m" >&2; usage; }
done
for x in "$STEP" "$TX_BYTES" "$PER_REQUEST" "$MAX_P50"; do
  [[ "$x" =~ ^[0-9]+$ && "$x" -gt 0 ]] || { echo "bench-e2e: numeric options must be positive integers" >&2; usage; }
done

source scripts/tools-classpath.sh
[[ -f target/quarkus-app/quarkus-run.jar ]] || { echo "bench-e2e: packaging the service..." >&2; ./mvnw -B -q package -DskipTests >&2; }

CURRENT_BASE=""
cleanup() { [[ -n "$CURRENT_BASE" ]] && scripts/local-committee.sh down --base-dir "$CURRENT_BASE" >/dev/null 2>&1 || true; }
trap cleanup EXIT
trap 'exit 130' INT TERM # the validators run in their own sessions: the EXIT trap stops them

echo "bench-e2e: $N validators, $TX_BYTES-byte transactions, rates $RATES tx/s, $STEP s per step, min-header-interval ${HEADER_INTERVAL:-default}, batch max-delay ${BATCH_DELAY:-default}, idle-header-interval ${IDLE_INTERVAL:-default}; $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
declare -A RESULT SATURATED OVERLOADED
PLOTTED=()
IFS=',' read -ra MODE_LIST <<< "$MODES"
for MODE in "${MODE_LIST[@]}"; do
  case "$MODE" in postgresql|memory) ;; *) echo "bench-e2e: unknown mode '$MODE' (postgresql or memory)" >&2; exit 2 ;; esac
  BASE="target/bench-e2e/$MODE"
  CURRENT_BASE="$BASE"
  echo "bench-e2e: starting the committee with sequencer.storage.kind=$MODE"
  MODE_HEAP=$HEAP; [[ "$MODE" == memory ]] && MODE_HEAP=$MEMORY_HEAP
  OVERRIDES=()
  [[ -n "$HEADER_INTERVAL" ]] && OVERRIDES+=(SEQUENCER_CONSENSUS_MIN_HEADER_INTERVAL="$HEADER_INTERVAL")
  [[ -n "$BATCH_DELAY" ]] && OVERRIDES+=(SEQUENCER_BATCH_MAX_DELAY="$BATCH_DELAY")
  [[ -n "$IDLE_INTERVAL" ]] && OVERRIDES+=(SEQUENCER_CONSENSUS_IDLE_HEADER_INTERVAL="$IDLE_INTERVAL")
  env "${OVERRIDES[@]}" LOCAL_COMMITTEE_JAVA_OPTS="-Xmx$MODE_HEAP" SEQUENCER_STORAGE_KIND="$MODE" \
    scripts/local-committee.sh up "$N" --fresh --base-dir "$BASE" >&2
  URLS="" PIDS=""
  for ((i = 0; i < N; i++)); do
    URLS+="${URLS:+,}http://127.0.0.1:$((8081 + i))"
    PIDS+="${PIDS:+,}$(cat "$BASE/v$i/pid")"
  done
  OUT=$(mktemp)
  rm -f "target/bench-e2e/$MODE.points"
  java -Xmx2g -cp "$TOOLS_CP" dev.shoal.sequencer.tools.E2eBenchMain --urls "$URLS" --pids "$PIDS" --rates "$RATES" \
    --step-seconds "$STEP" --tx-bytes "$TX_BYTES" --txs-per-request "$PER_REQUEST" --max-p50-ms "$MAX_P50" --warmup-seconds "$WARMUP" --label "$MODE" --overload-factor "$OVERLOAD" \
    --points "target/bench-e2e/$MODE.points" | tee "$OUT"
  PLOTTED+=("$MODE=target/bench-e2e/$MODE.points")
  RESULT[$MODE]=$(grep '^e2e-result' "$OUT" | tail -1)
  OVERLOADED[$MODE]=$(grep '^overload ' "$OUT" | tail -1 || true) # none with --overload-factor 0, or when no step stayed within --max-p50-ms
  grep -q "^step $MODE: saturated" "$OUT" && SATURATED[$MODE]=yes
  rm -f "$OUT"
  scripts/local-committee.sh down --base-dir "$BASE" >&2
  CURRENT_BASE=""
done

# The figure: ordered tx/s against p50 latency, one line per mode (the Narwhal papers' plot).
if ((${#PLOTTED[@]} > 0)); then
  java -cp "$TOOLS_CP" dev.shoal.sequencer.tools.PlotMain --out target/bench-e2e/throughput-latency.svg \
    --title "Throughput and latency ($N validators, $TX_BYTES-byte transactions)" --x-label "ordered transactions per second" \
    --y-label "p50 latency, submit to commit (s)" --x-column 2 --y-column 3 --y-scale 0.001 "${PLOTTED[@]}"
fi

field() { awk -v k="$2" '{for (i = 1; i < NF; i++) if ($i == k) print $(i + 1)}' <<< "$1"; }
PG="${RESULT[postgresql]:-}" MEM="${RESULT[memory]:-}"
if [[ -n "$PG" ]]; then
  T=$(awk '{print $3}' <<< "$PG") P50=$(field "$PG" p50) P99=$(field "$PG" p99)
  RATIO="n/a"
  if [[ -n "$MEM" ]]; then
    M=$(awk '{print $3}' <<< "$MEM")
    RATIO=$(awk -v a="$T" -v b="$M" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }')
    echo "bench-e2e: in-memory store: $M tx/s"
    if [[ -z "${SATURATED[memory]:-}" ]]; then
      echo "bench-e2e: warning: the in-memory run did not saturate by the highest rate offered: the ratio is an upper bound (offer higher --rates)"
    fi
  fi
  for m in "${MODE_LIST[@]}"; do
    if [[ -n "${OVERLOADED[$m]:-}" ]]; then echo "bench-e2e: ${OVERLOADED[$m]}"; fi
  done
  echo "e2e: $T tx/s, p50 $P50 ms, p99 $P99 ms, persistence ratio $RATIO"
fi
