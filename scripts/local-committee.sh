#!/usr/bin/env bash
# A committee of N validators on this machine's loopback, each a separate process of the packaged
# service with its own PostgreSQL database (shoal_local_<i> on 127.0.0.1:5432, user postgres),
# data directory, log and pid file. Validator i: HTTP http://127.0.0.1:(8081+i), peer port 9081+i.
#
#   scripts/local-committee.sh up N [--fresh]   build the jar if missing, make keys + committee and the
#                                               databases if missing, start all, wait until all are ready
#   scripts/local-committee.sh status           pid alive?, ready?, last commit index of each validator
#   scripts/local-committee.sh kill I           SIGKILL validator I (a crash)
#   scripts/local-committee.sh start I          start validator I again (same database and key), wait ready
#   scripts/local-committee.sh wipe I           empty stopped validator I's database (same key): started
#                                               again, it joins from its peers (range sync, or a peer
#                                               checkpoint when they prune: sequencer.sync.join-from-checkpoint)
#   scripts/local-committee.sh down             stop all (SIGTERM, SIGKILL after the grace period)
#
# Options (any command): --base-dir DIR (default target/local-committee), --timeout S (readiness wait,
# default 300), --grace S (down: SIGTERM grace, default 20). --fresh (up): drop and recreate the
# databases, new keys and committee, empty data directories.
# Environment: LOCAL_COMMITTEE_JAVA_OPTS (default -Xmx1g); LOCAL_COMMITTEE_PG_PORTS="p0,p1,..." gives
# validator i its own PostgreSQL server on 127.0.0.1:p_i (default: all on 5432); other SEQUENCER_* / QUARKUS_* variables in
# the environment reach every validator (e.g. SEQUENCER_STORAGE_KIND=memory). LOCAL_COMMITTEE_HTTP_BASE
# (8081), LOCAL_COMMITTEE_PEER_BASE (9081) and LOCAL_COMMITTEE_DB_PREFIX (shoal_local_) move the ports
# and database names, so a second committee (scripts/soak.sh) can run beside the first or the tests.
# Files: <base>/committee/{committee.json,validator-<i>.key}, <base>/v<i>/{pid,log,data/}.
# Exit status: 0 done, 1 failed, 2 bad arguments.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
JAR=$ROOT/target/quarkus-app/quarkus-run.jar
HTTP_BASE=${LOCAL_COMMITTEE_HTTP_BASE:-8081}
PEER_BASE=${LOCAL_COMMITTEE_PEER_BASE:-9081}
DB_PREFIX=${LOCAL_COMMITTEE_DB_PREFIX:-shoal_local_}
MAX_VALIDATORS=20
PG_HOST=127.0.0.1
PG_PORT=5432
PG_USER=postgres
JAVA_OPTS=${LOCAL_COMMITTEE_JAVA_OPTS:--Xmx1g}

usage() {
  sed -n '2,/^# Exit status/p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
}
bad() { { echo "local-committee: $*"; echo; usage; } >&2; exit 2; }
die() { echo "local-committee: $*" >&2; exit 1; }
say() { echo "local-committee: $*"; }

# ---- command line ----------------------------------------------------------------------------
(($#)) || bad "no command given"
cmd=$1; shift
base=$ROOT/target/local-committee
timeout=300
grace=20
fresh=0
positional=()
while (($#)); do
  case "$1" in
    --base-dir) [[ $# -ge 2 && -n "$2" ]] || bad "--base-dir needs a directory"; base=$(realpath -m -- "$2"); shift 2 ;;
    --timeout)  [[ $# -ge 2 && "$2" =~ ^[0-9]+$ && "$2" -gt 0 ]] || bad "--timeout needs a number of seconds"; timeout=$2; shift 2 ;;
    --grace)    [[ $# -ge 2 && "$2" =~ ^[0-9]+$ ]] || bad "--grace needs a number of seconds"; grace=$2; shift 2 ;;
    --fresh)    fresh=1; shift ;;
    -h|--help)  usage; exit 0 ;;
    -*)         bad "unknown option $1" ;;
    *)          positional+=("$1"); shift ;;
  esac
done
COMMITTEE_DIR=$base/committee
[[ "$HTTP_BASE" =~ ^[0-9]+$ && "$PEER_BASE" =~ ^[0-9]+$ ]] || bad "LOCAL_COMMITTEE_HTTP_BASE and LOCAL_COMMITTEE_PEER_BASE must be port numbers"
[[ "$DB_PREFIX" =~ ^[a-z_][a-z0-9_]*$ ]] || bad "LOCAL_COMMITTEE_DB_PREFIX must be a lower-case SQL name prefix, got '$DB_PREFIX'"

http_port() { echo $((HTTP_BASE + $1)); }
database() { echo "${DB_PREFIX}$1"; }
vdir() { echo "$base/v$1"; }

# Committee size: the key files of the committee directory (0 when there is none).
committee_size() {
  local n=0
  while [[ -f "$COMMITTEE_DIR/validator-$n.key" ]]; do n=$((n + 1)); done
  echo "$n"
}

# The pid of validator i if it runs (the pid file's process is alive and is our jar), else nothing.
pid_of() {
  local f; f=$(vdir "$1")/pid
  [[ -f "$f" ]] || return 0
  local pid; pid=$(<"$f")
  [[ "$pid" =~ ^[0-9]+$ ]] || return 0
  if kill -0 "$pid" 2>/dev/null && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$JAR"; then
    echo "$pid"
  fi
}

is_ready() { curl -fs -m 2 -o /dev/null "http://127.0.0.1:$(http_port "$1")/q/health/ready"; }

# True once the process is gone (a zombie counts as gone: it no longer runs).
gone() { ! kill -0 "$1" 2>/dev/null || [[ "$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" == Z ]]; }

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# PostgreSQL port of validator i: LOCAL_COMMITTEE_PG_PORTS="p0,p1,..." gives each validator its own
# server (as in a deployment), else all share $PG_PORT.
pg_port() {
  if [[ -n "${LOCAL_COMMITTEE_PG_PORTS:-}" ]]; then
    local p; p=$(cut -d, -f$(( $1 + 1 )) <<< "$LOCAL_COMMITTEE_PG_PORTS")
    [[ "$p" =~ ^[0-9]+$ ]] || die "LOCAL_COMMITTEE_PG_PORTS has no port for v$1"
    echo "$p"
  else
    echo "$PG_PORT"
  fi
}

# psql_admin SQL [port]
psql_admin() { psql -h "$PG_HOST" -p "${2:-$PG_PORT}" -U "$PG_USER" -d postgres -v ON_ERROR_STOP=1 -Atqc "$1"; }

check_postgres() {
  command -v psql >/dev/null || die "psql is not installed (needed to create the databases)"
  local ports="$PG_PORT"
  [[ -n "${LOCAL_COMMITTEE_PG_PORTS:-}" ]] && ports=${LOCAL_COMMITTEE_PG_PORTS//,/ }
  for port in $ports; do
    psql_admin "SELECT 1" "$port" >/dev/null 2>&1 \
      || die "PostgreSQL at $PG_HOST:$port (user $PG_USER) does not answer; start it, e.g. pg_ctlcluster --skip-systemctl-redirect \$(ls /etc/postgresql) main start"
  done
}

db_exists() { [[ "$(psql_admin "SELECT 1 FROM pg_database WHERE datname = '$(database "$1")'" "$(pg_port "$1")")" == 1 ]]; }

# Creates validator i's database; with "recreate" drops it first (its history is gone).
ensure_database() {
  local db; db=$(database "$1")
  if [[ "${2:-}" == recreate ]] && db_exists "$1"; then
    psql_admin "DROP DATABASE $db WITH (FORCE)" "$(pg_port "$1")" >/dev/null
    say "dropped database $db"
  fi
  if ! db_exists "$1"; then
    psql_admin "CREATE DATABASE $db" "$(pg_port "$1")" >/dev/null
    say "created database $db"
  fi
}

log_tail() {
  local log; log=$(vdir "$1")/log
  echo "---- last 30 lines of $log ----" >&2
  tail -n 30 "$log" >&2 || true
  echo "----" >&2
}

start_validator() {
  local i=$1 dir; dir=$(vdir "$i")
  local hp; hp=$(http_port "$i")
  for p in "$hp" $((PEER_BASE + i)); do
    port_in_use "$p" && die "port $p of v$i is in use by another process (find it with: ss -ltnp 'sport = :$p')"
  done
  mkdir -p "$dir/data"
  rm -f "$dir/pid"   # a stale one (a crash) must not be mistaken for the new process
  echo "==== local-committee: start of v$i at $(date -Is) ====" >>"$dir/log"
  local db; db=$(database "$i")
  local pgp; pgp=$(pg_port "$i")
  # setsid: the validator outlives this shell and a Ctrl-C in it. The child writes its own pid
  # (then execs java in place), so the pid file names the JVM itself.
  # shellcheck disable=SC2086
  setsid sh -c 'echo $$ > "$0"; exec "$@"' "$dir/pid" \
    env -u SEQUENCER_VALIDATOR_KEY \
      QUARKUS_HTTP_HOST=127.0.0.1 QUARKUS_HTTP_PORT="$hp" \
      QUARKUS_DATASOURCE_USERNAME="$PG_USER" \
      QUARKUS_DATASOURCE_REACTIVE_URL="postgresql://$PG_HOST:$pgp/$db" \
      QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://$PG_HOST:$pgp/$db" \
      SEQUENCER_DATA_DIR="$dir/data" \
      SEQUENCER_COMMITTEE_FILE="$COMMITTEE_DIR/committee.json" \
      SEQUENCER_VALIDATOR_KEY_FILE="$COMMITTEE_DIR/validator-$i.key" \
      SEQUENCER_NETWORK_LISTEN_HOST=127.0.0.1 \
      java $JAVA_OPTS -jar "$JAR" >>"$dir/log" 2>&1 </dev/null &
  local waited=0
  until [[ -s "$dir/pid" ]] || ((waited > 50)); do sleep 0.1; waited=$((waited + 1)); done
  say "started v$i (pid $(<"$dir/pid"), http://127.0.0.1:$hp, peer port $((PEER_BASE + i)), database $db, log $dir/log)"
}

# Waits until every listed validator is ready; fails with the log tail when one dies.
wait_ready() {
  local start=$SECONDS last=-100 i pending
  while :; do
    pending=()
    local line=""
    for i in "$@"; do
      if [[ -z "$(pid_of "$i")" ]]; then
        echo "local-committee: v$i died while starting" >&2
        log_tail "$i"
        rm -f "$(vdir "$i")/pid"
        die "v$i is not running; the others are left as they are (scripts/local-committee.sh down stops them)"
      fi
      if is_ready "$i"; then line+=" v$i:ready"; else line+=" v$i:starting"; pending+=("$i"); fi
    done
    ((${#pending[@]} == 0)) && { say "ready after $((SECONDS - start)) s:$line"; return 0; }
    if ((SECONDS - start >= timeout)); then
      for i in "${pending[@]}"; do log_tail "$i"; done
      die "not ready after $timeout s:$line"
    fi
    if ((SECONDS - last >= 5)); then say "waiting for readiness ($((SECONDS - start)) s):$line"; last=$SECONDS; fi
    sleep 1
  done
}

validator_arg() {
  ((${#positional[@]} == 1)) || bad "$cmd needs one validator index"
  local i=${positional[0]} n; n=$(committee_size)
  [[ "$i" =~ ^[0-9]+$ ]] || bad "validator index must be a number, got '$i'"
  ((n > 0)) || die "no local committee in $base (run: scripts/local-committee.sh up N)"
  ((i < n)) || die "no validator $i: the committee in $base has $n (0..$((n - 1)))"
  echo "$i"
}

build_jar_if_missing() {
  if [[ ! -f "$JAR" ]]; then
    say "building the service (./mvnw -B -q package -DskipTests)..."
    (cd "$ROOT" && ./mvnw -B -q package -DskipTests) || die "the build failed"
  elif [[ -n "$(find "$ROOT/src/main" "$ROOT/pom.xml" "$ROOT/application.properties" -newer "$JAR" -print -quit)" ]]; then
    say "note: sources changed since $JAR was built; rebuild with ./mvnw -B -q package -DskipTests to run them"
  fi
}

cmd_up() {
  ((${#positional[@]} == 1)) || bad "up needs the number of validators"
  local n=${positional[0]} i
  [[ "$n" =~ ^[0-9]+$ ]] && ((n >= 1 && n <= MAX_VALIDATORS)) || bad "the number of validators must be 1..$MAX_VALIDATORS, got '$n'"
  local have; have=$(committee_size)
  local running=()
  for ((i = 0; i < (have > n ? have : n); i++)); do [[ -n "$(pid_of "$i")" ]] && running+=("v$i"); done
  if ((fresh)); then
    ((${#running[@]} == 0)) || die "--fresh needs the committee stopped first (running: ${running[*]}); run: scripts/local-committee.sh down"
    rm -rf "$COMMITTEE_DIR"
    for ((i = 0; i < (have > n ? have : n); i++)); do rm -rf "$(vdir "$i")/data"; done
    have=0
  elif ((have > 0 && have != n)); then
    die "the committee in $base has $have validators; run 'up $have', or 'up $n --fresh' for a new committee of $n"
  fi
  check_postgres
  build_jar_if_missing
  local recreate=""
  if ((have == 0)); then
    mkdir -p "$base"
    "$ROOT/scripts/committee-keys.sh" --validators "$n" --out "$COMMITTEE_DIR" --host 127.0.0.1 --base-port "$PEER_BASE" \
      --name-template 'v{i}' --force || die "key generation failed"
    # A new committee: histories in existing databases belong to the old keys.
    recreate=recreate
    for ((i = 0; i < n; i++)); do rm -rf "$(vdir "$i")/data"; done
  fi
  local started=0
  for ((i = 0; i < n; i++)); do
    ensure_database "$i" $recreate
    local pid; pid=$(pid_of "$i")
    if [[ -n "$pid" ]]; then say "v$i is already running (pid $pid)"; continue; fi
    start_validator "$i"
    started=$((started + 1))
  done
  ((started > 0)) || say "the local committee of $n validators is already up"
  wait_ready $(seq 0 $((n - 1)))
  cmd_status
}

cmd_start() {
  local i; i=$(validator_arg)
  local pid; pid=$(pid_of "$i")
  if [[ -n "$pid" ]]; then say "v$i is already running (pid $pid)"; wait_ready "$i"; return; fi
  [[ -f "$JAR" ]] || die "$JAR is missing (run: scripts/local-committee.sh up N)"
  check_postgres
  db_exists "$i" || die "database $(database "$i") is missing (run: scripts/local-committee.sh up $(committee_size))"
  start_validator "$i"
  wait_ready "$i"
}

cmd_kill() {
  local i; i=$(validator_arg)
  local pid; pid=$(pid_of "$i")
  if [[ -z "$pid" ]]; then say "v$i is not running"; rm -f "$(vdir "$i")/pid"; return; fi
  kill -KILL "$pid"
  until gone "$pid"; do sleep 0.1; done
  rm -f "$(vdir "$i")/pid"
  say "killed v$i (SIGKILL, pid $pid)"
}

cmd_wipe() {
  local i; i=$(validator_arg)
  local pid; pid=$(pid_of "$i")
  [[ -z "$pid" ]] || die "v$i is running (pid $pid): stop it first (scripts/local-committee.sh kill $i)"
  check_postgres
  ensure_database "$i" recreate
  rm -rf "$(vdir "$i")/data"
  say "v$i has an empty database now; 'scripts/local-committee.sh start $i' makes it join again"
}

cmd_down() {
  ((${#positional[@]} == 0)) || bad "down takes no argument"
  local n; n=$(committee_size)
  local pids=() names=() i pid
  for ((i = 0; i < (n > MAX_VALIDATORS ? n : MAX_VALIDATORS); i++)); do
    pid=$(pid_of "$i")
    if [[ -n "$pid" ]]; then kill -TERM "$pid"; pids+=("$pid"); names+=("v$i"); fi
    rm -f "$(vdir "$i")/pid" 2>/dev/null || true
  done
  if ((${#pids[@]} == 0)); then say "nothing is running in $base"; return; fi
  say "sent SIGTERM to ${names[*]}; waiting up to $grace s"
  local deadline=$((SECONDS + grace)) alive
  while :; do
    alive=()
    for pid in "${pids[@]}"; do gone "$pid" || alive+=("$pid"); done
    ((${#alive[@]} == 0)) && break
    if ((SECONDS >= deadline)); then
      say "still running after $grace s, sending SIGKILL to pid ${alive[*]}"
      kill -KILL "${alive[@]}" 2>/dev/null || true
      for pid in "${alive[@]}"; do until gone "$pid"; do sleep 0.1; done; done
      break
    fi
    sleep 0.2
  done
  say "stopped ${names[*]}"
}

# One number field of a JSON text (the first occurrence), or "-".
json_number() { local v; v=$(grep -o "\"$1\":-\{0,1\}[0-9]*" <<<"$2" | head -n 1 | cut -d: -f2); echo "${v:--}"; }
json_string() { local v; v=$(grep -o "\"$1\":\"[^\"]*\"" <<<"$2" | head -n 1 | cut -d'"' -f4); echo "${v:--}"; }

cmd_status() {
  local n; n=$(committee_size)
  ((n > 0)) || { say "no local committee in $base (run: scripts/local-committee.sh up N)"; return 0; }
  local i pid proc ready status
  for ((i = 0; i < n; i++)); do
    pid=$(pid_of "$i")
    if [[ -n "$pid" ]]; then proc="pid $pid alive"; else proc="not running"; fi
    ready=-; status=""
    if [[ -n "$pid" ]]; then
      if is_ready "$i"; then ready=UP; else ready=DOWN; fi
      status=$(curl -fs -m 2 "http://127.0.0.1:$(http_port "$i")/api/v1/status" 2>/dev/null || true)
    fi
    printf 'v%-2d %-22s ready %-5s %-10s commit index %-8s round %-8s http://127.0.0.1:%d\n' "$i" "$proc" "$ready" \
      "$(json_string lifecycle "$status")" "$(json_number lastCommitIndex "$status")" "$(json_number currentRound "$status")" \
      "$(http_port "$i")"
  done
}

case "$cmd" in
  up) cmd_up ;;
  down) cmd_down ;;
  kill) cmd_kill ;;
  start) cmd_start ;;
  wipe) cmd_wipe ;;
  status) ((${#positional[@]} == 0)) || bad "status takes no argument"; cmd_status ;;
  -h|--help|help) usage ;;
  *) bad "unknown command '$cmd'" ;;
esac
