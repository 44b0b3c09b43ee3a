#!/usr/bin/env bash
# Instructions the hub executes per durable check-in, counted by valgrind's callgrind over a
# steady stretch of closed-loop check-ins: unlike check-ins per second, the count does not move
# with the hour's load on a shared machine (repeat runs agree within ~1 %), so two builds can be
# compared on it where throughput's spread (±20 % between hours) hides a 5 % change.
# Instructions are not time: a cache miss or a syscall costs far more than its count, so the
# figure ranks CPU work, and only the run.sh rows say what the hub sustains.
#
#   tools/bench/instructions.sh [--build DIR] [--hub BIN] [--senders N] [--seconds S]
#
# --build: the CMake build whose CLI and load generator are used (default build-bench/);
# --hub: the hub binary to count (default the build's); --senders: concurrent senders
# (default 16); --seconds: the counted stretch (default 6), after a 4 s warm-up. Prints one
# line: RESULT {"label":"instructions/checkin",...}. Needs valgrind (tools/bench/deps.sh).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build="$root/build-bench"
hub=""
senders=16
seconds=6
while [ $# -gt 0 ]; do
  case "$1" in
    --build) build="$2"; shift ;;
    --hub) hub="$2"; shift ;;
    --senders) senders="$2"; shift ;;
    --seconds) seconds="$2"; shift ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) echo "instructions.sh: unknown argument $1" >&2; exit 2 ;;
  esac
  shift
done
CLI="$build/tools/showfloor"
LOADGEN="$build/tools/bench/showfloor-loadgen"
HUB="${hub:-$build/hub/showfloor-hub}"
PY=/usr/bin/python3
for b in "$CLI" "$LOADGEN" "$HUB"; do
  [ -x "$b" ] || { echo "instructions.sh: $b is missing (build it first)" >&2; exit 2; }
done
command -v valgrind >/dev/null || { echo "instructions.sh: valgrind is missing" >&2; exit 2; }

work=$(mktemp -d /tmp/showfloor-instr.XXXXXX)
hub_pid=0
lg_pid=0
cleanup() {
  [ "$lg_pid" = 0 ] || kill "$lg_pid" 2>/dev/null || true
  [ "$hub_pid" = 0 ] || kill "$hub_pid" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

template="$work/hub.db"
# shellcheck source=tools/bench/template.sh
. "$here/template.sh"
make_template 2>"$work/template.log"

visits() { "$PY" -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("select count(*) from visits").fetchone()[0])' "$template"; }

# Uninstrumented until the warm-up is over: only the stretch between the two counts is counted.
valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file="$work/cg.%p" \
  "$HUB" --db "$template" --port 0 --port-file "$work/port" --log-level warn \
  2>"$work/hub.log" &
hub_pid=$!
for _ in $(seq 1 600); do [ -s "$work/port" ] && break; sleep 0.05; done
[ -s "$work/port" ] || { echo "instructions.sh: the hub did not start" >&2; cat "$work/hub.log" >&2; exit 1; }
"$LOADGEN" --port "$(cat "$work/port")" --label instr --send-tokens "$work/reception.tok" \
  --mode commands --senders "$senders" --warmup 1 --duration $((seconds + 8)) \
  >/dev/null 2>"$work/loadgen.log" &
lg_pid=$!
sleep 4
callgrind_control -i on "$hub_pid" >/dev/null 2>&1
v0=$(visits)
sleep "$seconds"
callgrind_control -d "$hub_pid" >/dev/null 2>&1
v1=$(visits)
dump=$(ls "$work"/cg."$hub_pid".* 2>/dev/null | head -n 1)
[ -n "$dump" ] || { echo "instructions.sh: callgrind wrote no dump" >&2; exit 1; }
ir=$(awk '/^(summary|totals):/ {print $2; exit}' "$dump")
n=$((v1 - v0))
[ "$n" -gt 0 ] || { echo "instructions.sh: no check-in in the counted stretch" >&2; cat "$work/loadgen.log" >&2; exit 1; }
echo "RESULT {\"label\":\"instructions/checkin\",\"senders\":$senders,\"checkins\":$n,\"instructions\":$ir,\"per_checkin\":$((ir / n))}"
