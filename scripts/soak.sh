#!/usr/bin/env bash
# Soak: a local committee (scripts/local-committee.sh, each validator with its own PostgreSQL
# database) runs for --minutes through a cycle of four phases, and every --sample-seconds the
# script records per validator: RSS, heap in use and committed, threads, open file descriptors,
# sockets, PostgreSQL connections, database size, commit index, round and transactions ordered; the
# last sample of each phase follows a full GC of every validator (jcmd GC.class_histogram), so its
# heap in use is the live set, and the class histogram of that live set is kept.
#
#   idle     no client traffic
#   busy     --rate tx/s of 512-byte transactions offered to every validator in turn
#            (dev.shoal.sequencer.tools.E2eBenchMain; its ordered rate and latency are reported)
#   crash    the last validator is killed (SIGKILL) at the start; the others stay busy
#   rejoin   it is started again (same database) and catches up; no client traffic
#
#   scripts/soak.sh --minutes M [--validators 4] [--rate 500] [--phase-seconds S] [--sample-seconds 10]
#                   [--heap 1g] [--keep]
#
# --phase-seconds defaults to an eighth of the run (two cycles), at least 30. The report gives per
# phase and validator the commit rate, disk growth (and what it is per day at that rate, and per
# million transactions ordered where at least 10,000 were) and the resources at the phase's end
# (RSS, live heap, off-heap = RSS less the committed heap), then a growth check: for the validators
# that ran throughout, the live heap, off-heap memory, threads, descriptors, sockets and connections
# at the end of the last cycle against the first (the second from three cycles on: the first fills
# the bounded caches and windows), same phase, flagged "GREW" beyond 25% and a floor. Resources of a process that was restarted are not compared across the restart.
#
# The committee runs on its own ports and databases (HTTP 28081+i, peers 29081+i, databases
# shoal_soak_<i>, recreated at the start; directory target/soak) so it does not disturb a local
# committee or the tests. SEQUENCER_* variables in the environment reach every validator (e.g.
# SEQUENCER_RETENTION_KEEP_DURATION=10m). --keep leaves the committee running at the end. SOAK_HTTP_BASE,
# SOAK_PEER_BASE, SOAK_DB_PREFIX and SOAK_DIR move the ports, databases and directory (two soaks at once).
# Files: target/soak/samples.tsv (every sample), target/soak/report.txt (the report), v<i>/log,
# histograms/p<phase>-v<i>.txt (the live heap's classes at each phase end; the report lists the
# classes whose live bytes grew most between the first and the last cycle).
# Exit status: 0 done (growth is reported, not judged), 1 a validator that should run stopped or a
# running validator did not commit during a phase, 2 bad arguments, 130 interrupted.
set -euo pipefail
cd "$(dirname "$0")/.."

MINUTES="" N=4 RATE=500 PHASE="" SAMPLE=10 HEAP=1g KEEP=0
usage() { sed -n '2,/^# Exit status/p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
bad() { echo "soak: $*" >&2; echo >&2; usage; }
while [[ $# -gt 0 ]]; do
  case "$1" in
    --minutes) MINUTES="${2:-}"; shift 2 ;;
    --validators) N="${2:-}"; shift 2 ;;
    --rate) RATE="${2:-}"; shift 2 ;;
    --phase-seconds) PHASE="${2:-}"; shift 2 ;;
    --sample-seconds) SAMPLE="${2:-}"; shift 2 ;;
    --heap) HEAP="${2:-}"; shift 2 ;;
    --keep) KEEP=1; shift ;;
    -h|--help) usage ;;
    *) bad "unknown argument '$1'" ;;
  esac
done
[[ "$MINUTES" =~ ^[0-9]+$ && "$MINUTES" -ge 1 ]] || bad "--minutes must be a positive integer"
[[ "$N" =~ ^[0-9]+$ && "$N" -ge 4 && "$N" -le 20 ]] || bad "--validators must be 4..20 (a crash needs a committee that tolerates one fault)"
for x in "$RATE" "$SAMPLE"; do [[ "$x" =~ ^[0-9]+$ && "$x" -gt 0 ]] || bad "--rate and --sample-seconds must be positive integers"; done
[[ "$HEAP" =~ ^[0-9]+[mMgG]$ ]] || bad "--heap takes a size such as 1g or 512m"
if [[ -z "$PHASE" ]]; then PHASE=$((MINUTES * 60 / 8)); ((PHASE >= 30)) || PHASE=30; fi
[[ "$PHASE" =~ ^[0-9]+$ && "$PHASE" -ge 10 ]] || bad "--phase-seconds must be an integer >= 10"
PHASES=$((MINUTES * 60 / PHASE)); ((PHASES >= 1)) || PHASES=1

export LOCAL_COMMITTEE_HTTP_BASE=${SOAK_HTTP_BASE:-28081} LOCAL_COMMITTEE_PEER_BASE=${SOAK_PEER_BASE:-29081}
export LOCAL_COMMITTEE_DB_PREFIX=${SOAK_DB_PREFIX:-shoal_soak_}
export LOCAL_COMMITTEE_JAVA_OPTS="-Xmx$HEAP"
BASE=${SOAK_DIR:-target/soak}
SAMPLES=$BASE/samples.tsv
REPORT=$BASE/report.txt
VICTIM=$((N - 1))
committee() { scripts/local-committee.sh "$@" --base-dir "$BASE"; }
url() { echo "http://127.0.0.1:$((LOCAL_COMMITTEE_HTTP_BASE + $1))"; }
db() { echo "$LOCAL_COMMITTEE_DB_PREFIX$1"; }
say() { echo "soak: $*" >&2; }

source scripts/tools-classpath.sh
[[ -f target/quarkus-app/quarkus-run.jar ]] || { say "packaging the service..."; ./mvnw -B -q package -DskipTests >&2; }

LOAD_PID=""
cleanup() {
  [[ -n "$LOAD_PID" ]] && kill "$LOAD_PID" 2>/dev/null || true
  ((KEEP)) || committee down >/dev/null 2>&1 || true
}
trap cleanup EXIT
trap 'exit 130' INT TERM # the validators run in their own sessions: the EXIT trap stops them

mkdir -p "$BASE"
say "$N validators, $MINUTES min: $PHASES phases of $PHASE s (idle, busy, crash, rejoin, ...), $RATE tx/s when busy, a sample every $SAMPLE s; $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
committee up "$N" --fresh >&2
rm -rf "$BASE/histograms" && mkdir -p "$BASE/histograms"

# ---- sampling --------------------------------------------------------------------------------
printf 'time\tphase\tkind\tvalidator\tpid\trss_kb\theap_bytes\tthreads\tfds\tsockets\tpg_connections\tdb_bytes\tcommit_index\tround\ttransactions\theap_committed_bytes\tlive_heap_bytes\n' >"$SAMPLES"
pid_of() { local f=$BASE/v$1/pid; [[ -f "$f" ]] && kill -0 "$(<"$f")" 2>/dev/null && cat "$f" || true; }
proc_field() { awk -v k="$2:" '$1 == k {print $2}' "/proc/$1/status" 2>/dev/null || echo -1; }
json_number() { local v; v=$(grep -o "\"$1\":-\{0,1\}[0-9]*" <<<"$2" | head -n 1 | cut -d: -f2); echo "${v:--1}"; }
sample() { # phase kind [gc]: with gc, each JVM first runs a full GC, so the heap in use is the live set
  local now; now=$(date +%s)
  if [[ "${3:-}" == gc ]]; then
    # GC.class_histogram runs the full GC itself; the histogram is kept to name what the live heap holds.
    local v; for ((v = 0; v < N; v++)); do
      [[ -n "$(pid_of "$v")" ]] && jcmd "$(pid_of "$v")" GC.class_histogram >"$BASE/histograms/p$1-v$v.txt" 2>/dev/null || true
    done
    sleep 1
  fi
  local pg; pg=$(psql -h 127.0.0.1 -U postgres -d postgres -AtqF $'\t' -c \
    "SELECT d.datname, pg_database_size(d.datname), (SELECT count(*) FROM pg_stat_activity a WHERE a.datname = d.datname)
       FROM pg_database d WHERE starts_with(d.datname, '$LOCAL_COMMITTEE_DB_PREFIX')" 2>/dev/null || true)
  local i pid rss heap threads fds sockets conns bytes status metrics txs committed live
  for ((i = 0; i < N; i++)); do
    pid=$(pid_of "$i")
    bytes=$(awk -F'\t' -v d="$(db "$i")" '$1 == d {print $2}' <<<"$pg"); conns=$(awk -F'\t' -v d="$(db "$i")" '$1 == d {print $3}' <<<"$pg")
    if [[ -n "$pid" ]]; then
      rss=$(proc_field "$pid" VmRSS); threads=$(proc_field "$pid" Threads)
      fds=$(find "/proc/$pid/fd" -mindepth 1 2>/dev/null | wc -l)
      sockets=$(find "/proc/$pid/fd" -mindepth 1 -lname 'socket:*' 2>/dev/null | wc -l)
      metrics=$(curl -fs -m 3 "$(url "$i")/q/metrics" 2>/dev/null || true)
      heap=$(awk '/^jvm_memory_used_bytes\{.*area="heap"/ {s += $NF} END {printf "%.0f", s}' <<<"$metrics")
      txs=$(awk '/^sequencer_output_transactions_total / {printf "%.0f", $NF}' <<<"$metrics")
      committed=$(awk '/^jvm_memory_committed_bytes\{.*area="heap"/ {s += $NF} END {printf "%.0f", s}' <<<"$metrics")
      live=-1; [[ "${3:-}" == gc ]] && live=$heap
      status=$(curl -fs -m 3 "$(url "$i")/api/v1/status" 2>/dev/null || true)
    else
      pid=-; rss=-1; threads=-1; fds=-1; sockets=-1; heap=-1; txs=-1; committed=-1; live=-1; status=""
    fi
    printf '%s\t%s\t%s\tv%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$now" "$1" "$2" "$i" "$pid" "$rss" "${heap:--1}" "$threads" "$fds" "$sockets" \
      "${conns:--1}" "${bytes:--1}" "$(json_number lastCommitIndex "$status")" "$(json_number currentRound "$status")" "${txs:--1}" \
      "${committed:--1}" "$live" >>"$SAMPLES"
  done
}

live_urls() { local i u=""; for ((i = 0; i < N; i++)); do [[ -n "$(pid_of "$i")" ]] && u+="${u:+,}$(url "$i")"; done; echo "$u"; }
live_pids() { local i p=""; for ((i = 0; i < N; i++)); do [[ -n "$(pid_of "$i")" ]] && p+="${p:+,}$(pid_of "$i")"; done; echo "$p"; }

# Offers load in the background for one phase; its step line is kept for the report.
start_load() { # phase
  java -Xmx1g -cp "$TOOLS_CP" dev.shoal.sequencer.tools.E2eBenchMain --urls "$(live_urls)" --pids "$(live_pids)" \
    --rates "$RATE" --step-seconds "$PHASE" --warmup-seconds 0 --max-p50-ms 1000000 --label "phase-$1" >"$BASE/load-$1.txt" 2>&1 &
  LOAD_PID=$!
}

# ---- phases ----------------------------------------------------------------------------------
KINDS=(idle busy crash rejoin)
FAILED=0
for ((p = 1; p <= PHASES; p++)); do
  kind=${KINDS[$(((p - 1) % 4))]}
  say "phase $p/$PHASES: $kind ($(date +%T))"
  case "$kind" in
    crash) committee kill "$VICTIM" >&2 ;;
    rejoin) committee start "$VICTIM" >&2 || { say "v$VICTIM did not start again"; FAILED=1; } ;;
  esac
  [[ "$kind" == busy || "$kind" == crash ]] && start_load "$p"
  end=$((SECONDS + PHASE))
  sample "$p" "$kind"
  while ((SECONDS < end)); do
    sleep $(( end - SECONDS < SAMPLE ? end - SECONDS : SAMPLE ))
    sample "$p" "$kind"
  done
  sample "$p" "$kind" gc # the phase's last sample: the live heap after a full GC
  if [[ -n "$LOAD_PID" ]]; then
    # The load tool measures, then waits (up to 30 s) for the commit stream to deliver the step.
    wait "$LOAD_PID" || say "the load of phase $p ended with status $? (see $BASE/load-$p.txt)"
    LOAD_PID=""
  fi
done

# ---- report ----------------------------------------------------------------------------------
{
  echo "soak: $N validators, $MINUTES min, $PHASES phases of $PHASE s, $RATE tx/s when busy; $(nproc) cores, load average now $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "soak: environment: $(env | grep -E '^SEQUENCER_' | tr '\n' ' ')"
  printf '%-6s %-7s %-4s %11s %13s %11s %10s %9s %9s %8s %8s %5s %5s %7s %4s\n' phase kind v commits/min "disk growth" "= per day" "MB/M tx" "rss MB" "live heap" "off-heap" threads fds socks "pg conn" runs
  awk -F'\t' -v phase_s="$PHASE" '
    function num(x) { return x < 0 ? "-" : sprintf("%.0f", x) }
    NR == 1 { next }
    {
      key = $2 SUBSEP $4
      if (!(key in first_t)) { first_t[key] = $1; first_c[key] = $13; first_b[key] = $12; first_x[key] = $15; order[++n] = key; kind[key] = $3 }
      last_t[key] = $1; last_c[key] = $13; last_b[key] = $12; last_x[key] = $15
      rss[key] = $6; threads[key] = $8; fds[key] = $9; socks[key] = $10; conns[key] = $11
      live[key] = $17; offheap[key] = ($6 > 0 && $16 > 0) ? $6 * 1024 - $16 : -1
      alive[key] += ($5 != "-"); samples[key]++
    }
    END {
      for (k = 1; k <= n; k++) {
        key = order[k]; split(key, pv, SUBSEP)
        minutes = (last_t[key] - first_t[key]) / 60
        rate = (minutes > 0 && first_c[key] >= 0 && last_c[key] >= 0) ? (last_c[key] - first_c[key]) / minutes : -1
        growth = (first_b[key] >= 0 && last_b[key] >= 0) ? (last_b[key] - first_b[key]) / 1048576 : 0
        perday = minutes > 0 ? growth / minutes * 1440 : 0
        txs = (first_x[key] >= 0 && last_x[key] >= 0) ? last_x[key] - first_x[key] : 0
        permillion = txs >= 10000 ? sprintf("%.0f", growth / txs * 1e6) : "-"
        printf "%-6s %-7s %-4s %11s %10.2f MB %8.0f MB %10s %9s %9s %8s %8s %5s %5s %7s %4s\n", pv[1], kind[key], pv[2], num(rate), growth, perday, permillion,
          num(rss[key] / 1024), num(live[key] > 0 ? live[key] / 1048576 : -1), num(offheap[key] > 0 ? offheap[key] / 1048576 : -1),
          num(threads[key]), num(fds[key]), num(socks[key]), conns[key], alive[key] "/" samples[key]
      }
    }' "$SAMPLES"
  echo
  echo "load per busy phase (E2eBenchMain step: offered to the running validators, ordered as seen by v0):"
  for f in "$BASE"/load-*.txt; do [[ -f "$f" ]] && { grep -h '^step phase' "$f" || echo "$(basename "$f"): no step line (see the file)"; }; done
  echo
  echo "growth check (validators that ran throughout; end of a phase in the first cycle, or the second from three cycles on, against the last cycle's same phase):"
  awk -F'\t' -v victim="v$VICTIM" '
    NR == 1 { next }
    $4 != victim { end[$2, $4] = $0; kinds[$2] = $3; vs[$4] = 1; if ($2 > maxp) maxp = $2 }
    END {
      if (maxp < 5) { print "  fewer than two cycles: run longer (--minutes) to compare cycles"; exit }
      split("live_heap:17:33554432 off_heap_rss:0:67108864 threads:8:5 fds:9:20 sockets:10:5 pg_connections:11:2", ms, " ")
      grew = 0
      for (v in vs) {
        for (m in ms) {
          split(ms[m], d, ":")
          # Last cycle: the highest phase of each kind. Baseline: the first cycle (phases 1..4), or the
          # second from three cycles on: the first fills the bounded caches and windows, and warms up.
          for (k = 1; k <= 4; k++) {
            p = k + 8 <= maxp ? k + 4 : k
            last = k; while (last + 4 <= maxp) last += 4
            if (last == p || !((p, v) in end) || !((last, v) in end)) continue
            split(end[p, v], a, "\t"); split(end[last, v], b, "\t")
            # Column 0: RSS beyond the committed heap (native memory: threads, buffers, metaspace, code).
            x = d[2] == 0 ? (a[6] > 0 && a[16] > 0 ? a[6] * 1024 - a[16] : -1) : a[d[2]]
            y = d[2] == 0 ? (b[6] > 0 && b[16] > 0 ? b[6] * 1024 - b[16] : -1) : b[d[2]]
            if (x <= 0 || y <= 0) continue
            if (y > x * 1.25 && y - x > d[3]) {
              printf "  GREW %s %s in %s phases: %.0f -> %.0f (phase %d -> %d)\n", v, d[1], kinds[p], x, y, p, last; grew++
            }
          }
        }
      }
      if (!grew) print "  flat: no resource of a validator that ran throughout grew by more than 25% (and its floor) between cycles"
      print "  (the live heap is measured after a full GC at each phase end; RSS itself is not judged: the JVM grows its heap towards -Xmx by design)"
    }' "$SAMPLES"
  echo
  echo "live heap by class, v0 (the same phases as the growth check; the classes that grew most):"
  for ((k = 1; k <= 4 && k + 4 <= PHASES; k++)); do
    p=$k; ((k + 8 <= PHASES)) && p=$((k + 4))
    last=$k; while ((last + 4 <= PHASES)); do last=$((last + 4)); done
    a=$BASE/histograms/p$p-v0.txt b=$BASE/histograms/p$last-v0.txt
    [[ -s "$a" && -s "$b" ]] || continue
    echo "  ${KINDS[$((k - 1))]} (phase $p -> $last):"
    awk 'FNR == NR { if ($1 ~ /^[0-9]+:$/) { bytes[$4] = $3; count[$4] = $2 } next }
      $1 ~ /^[0-9]+:$/ { printf "%d\t%d\t%s\n", $3 - bytes[$4], $2 - count[$4], $4 }' "$a" "$b" |
      sort -t$'\t' -k1,1nr | awk -F'\t' 'NR <= 6 { printf "    %+9.2f MB %+10d instances  %s\n", $1 / 1048576, $2, $3 }'
  done
} | tee "$REPORT"

# A running validator must commit in every phase (idle ones at the idle header pace).
while IFS=$'\t' read -r phase kind v first last alive count; do
  if [[ "$alive" != "$count" && ! ( "$v" == "v$VICTIM" && ( "$kind" == crash || "$kind" == rejoin ) ) ]]; then
    say "$v was not running throughout phase $phase ($kind)"; FAILED=1
  elif [[ "$alive" == "$count" && "$last" -le "$first" ]]; then
    say "$v did not commit during phase $phase ($kind): commit index $first -> $last"; FAILED=1
  fi
done < <(awk -F'\t' 'NR > 1 { key = $2 "\t" $3 "\t" $4; if (!(key in f)) { f[key] = $13; o[++n] = key } l[key] = $13; a[key] += ($5 != "-"); c[key]++ }
  END { for (k = 1; k <= n; k++) print o[k] "\t" f[o[k]] "\t" l[o[k]] "\t" a[o[k]] "\t" c[o[k]] }' "$SAMPLES")
say "samples: $SAMPLES, report: $REPORT"
exit "$FAILED"
