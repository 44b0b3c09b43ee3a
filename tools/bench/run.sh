#!/usr/bin/env bash
# The Showfloor benchmark suite in one command: builds the programs (RelWithDebInfo, in
# build-bench/), then measures, on this machine and in the same run, the hub beside
# Mosquitto 2.0 (QoS 0 and 1) and a bare libwebsockets broadcast server driven by the same
# load generator, durable check-ins per second at 1, 8 and 64 senders beside what the disk
# and SQLite alone sustain (showfloor-disk-ref), 10,000 held connections, and the headless
# kiosk. Prints the table and writes tools/bench/BENCHMARKS.md.
#
#   tools/bench/run.sh [--quick] [--reps N] [--build DIR] [--out FILE] [--results FILE]
#                      [--no-build]
#
# --quick: one repetition, 2 s windows, 100 subscribers instead of 1,000, 1,000 held
# connections instead of 10,000 (a smoke run: tests/tools/test_bench.py uses it).
# --results FILE keeps the raw measurements (one JSON object a line, one per run).
# Needs tools/deps.sh's packages plus tools/bench/deps.sh's (mosquitto, libmosquitto-dev);
# without Mosquitto the MQTT rows are left out and the file says so.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
quick=0
reps=3
build="$root/build-bench"
out="$here/BENCHMARKS.md"
do_build=1
keep_results=""
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) quick=1; reps=1 ;;
    --reps) reps="$2"; shift ;;
    --build) build="$2"; shift ;;
    --out) out="$2"; shift ;;
    --results) keep_results="$2"; shift ;;
    --no-build) do_build=0 ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown argument $1" >&2; exit 2 ;;
  esac
  shift
done

if [ "$quick" = 1 ]; then
  dur=2; warm=0.5; nlat=100; nbig=100; nhold=1000; kiosk_s=2; idle_s=2; ref_s=0.5
  sat_subs="100"
else
  dur=10; warm=1; nlat=1000; nbig=1000; nhold=10000; kiosk_s=10; idle_s=10; ref_s=3
  sat_subs="100 1000"
fi

if [ "$do_build" = 1 ]; then
  cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
  cmake --build "$build" -j2 --target showfloor-hub showfloor showfloor-loadgen \
    showfloor-bare-ws showfloor-kiosk showfloor-disk-ref >/dev/null
fi
HUB="$build/hub/showfloor-hub"
CLI="$build/tools/showfloor"
LOADGEN="$build/tools/bench/showfloor-loadgen"
BARE="$build/tools/bench/showfloor-bare-ws"
KIOSK="$build/kiosk/showfloor-kiosk"
DISKREF="$build/tools/bench/showfloor-disk-ref"
PY=/usr/bin/python3
have_mqtt=0
if command -v mosquitto >/dev/null 2>&1 && "$LOADGEN" --features | grep -qw mqtt; then
  have_mqtt=1
fi

work=$(mktemp -d /tmp/showfloor-bench.XXXXXX)
results="$work/results.jsonl"
: > "$results"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  [ -n "${SHOWFLOOR_KEEP_TMP:-}" ] || rm -rf "$work"
}
trap cleanup EXIT
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

log() { echo "bench: $*" >&2; }

# ---- the database (template.sh): made once, copied for every hub run so each starts empty.
template="$work/template.db"
# shellcheck source=tools/bench/template.sh
. "$here/template.sh"

srv_pid=0
srv_port=0
# start_hub: a fresh copy of the template, the hub on an ephemeral loopback port.
start_hub() {
  local d="$work/hub.$RANDOM"
  mkdir -p "$d"
  cp "$template" "$d/hub.db"
  "$HUB" --db "$d/hub.db" --port 0 --port-file "$d/port" --log-level warn 2>"$d/hub.log" &
  srv_pid=$!
  pids+=("$srv_pid")
  wait_port "$d/port"
}
start_bare() {
  local d="$work/bare.$RANDOM"
  mkdir -p "$d"
  "$BARE" 0 "$d/port" 2>"$d/bare.log" &
  srv_pid=$!
  pids+=("$srv_pid")
  wait_port "$d/port"
}
start_mosquitto() {
  local d="$work/mosq.$RANDOM"
  mkdir -p "$d"
  srv_port=$($PY -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  cat > "$d/mosquitto.conf" <<CONF
listener $srv_port 127.0.0.1
allow_anonymous true
# Nagle off on the broker's sockets too: its default adds ~40 ms stalls
set_tcp_nodelay true
persistence false
max_queued_messages 100000
max_connections -1
log_dest stderr
log_type error
CONF
  mosquitto -c "$d/mosquitto.conf" 2>"$d/mosquitto.log" &
  srv_pid=$!
  pids+=("$srv_pid")
  for _ in $(seq 1 100); do
    (exec 3<>"/dev/tcp/127.0.0.1/$srv_port") 2>/dev/null && return 0
    sleep 0.05
  done
  log "mosquitto did not start: $(cat "$d/mosquitto.log")"; return 1
}
wait_port() {
  for _ in $(seq 1 200); do
    if [ -s "$1" ]; then srv_port=$(cat "$1"); return 0; fi
    sleep 0.05
  done
  log "server did not write its port file $1"; return 1
}
stop_srv() {
  kill "$srv_pid" 2>/dev/null || true
  wait "$srv_pid" 2>/dev/null || true
  srv_pid=0
}

# run_lg REP LABEL ARGS...: one load-generator run against the server started last.
run_lg() {
  local rep=$1 label=$2; shift 2
  local line
  line=$("$LOADGEN" --port "$srv_port" --server-pid "$srv_pid" --label "$label" \
    --sub-tokens "$work/board.tok" --send-tokens "$work/reception.tok" \
    --warmup "$warm" --duration "$dur" "$@" 2>>"$work/loadgen.log" | grep '^RESULT ' || true)
  if [ -n "$line" ]; then
    echo "{\"rep\":$rep,${line#RESULT \{}" >> "$results"
    tail -n 1 "$work/loadgen.log" | sed 's/^/  /' >&2
  else
    log "$label: no result (see below)"; tail -n 5 "$work/loadgen.log" >&2
  fi
}

# disk_ref REP: what the disk and SQLite alone sustain, in the directory the hub's database
# is in, just before the durable check-ins (the reference they are read against).
disk_ref() {
  local rep=$1 line
  "$DISKREF" --dir "$work" --seconds "$ref_s" 2>"$work/disk-ref.log" | while read -r line; do
    case "$line" in
      "RESULT {"*) echo "{\"rep\":$rep,${line#RESULT \{}" >> "$results"; echo "  $line" >&2 ;;
    esac
  done || log "disk-ref: a measure failed"
  [ -s "$work/disk-ref.log" ] && log "disk-ref: $(tail -3 "$work/disk-ref.log")"
  return 0
}

# fanout REP SCENARIO SUBS RATE: the same load through each of the four servers.
fanout() {
  local rep=$1 sc=$2 subs=$3 rate=$4
  start_hub; run_lg "$rep" "$sc/hub" --subs "$subs" --rate "$rate"; stop_srv
  start_bare; run_lg "$rep" "$sc/bare" --subs "$subs" --rate "$rate"; stop_srv
  if [ "$have_mqtt" = 1 ]; then
    for q in 0 1; do
      start_mosquitto; run_lg "$rep" "$sc/mqtt-qos$q" --mqtt --qos "$q" --subs "$subs" \
        --rate "$rate"; stop_srv
    done
  fi
}

# ---- the kiosk, headless: start-up, frame rate with 200 rows while events arrive at 50/s,
# peak RSS, idle CPU.
kiosk_bench() {
  local rep=$1 d="$work/kiosk.$rep"
  mkdir -p "$d"
  start_hub
  head -n 1 "$work/board.tok" > "$d/token"; chmod 600 "$d/token"
  # 200 visits today: 200 rows on the board
  "$LOADGEN" --port "$srv_port" --send-tokens "$work/reception.tok" --subs 0 --rate 200 \
    --warmup 0 --duration 1 --label seed 2>>"$work/loadgen.log" >/dev/null || true
  # events at 50/s for the whole measurement
  "$LOADGEN" --port "$srv_port" --send-tokens "$work/reception.tok" --subs 0 --rate 50 \
    --warmup 0 --duration $((kiosk_s + 8)) --label kiosk-events 2>>"$work/loadgen.log" \
    >/dev/null &
  local lg=$!
  pids+=("$lg")
  local t0 kout
  t0=$($PY -c 'import time; print(int(time.time()*1000))')
  SDL_FRAMEBUFFER_ACCELERATION=0 "$KIOSK" --mode board --hub "ws://127.0.0.1:$srv_port/" \
    --token-file "$d/token" --headless --bench "$kiosk_s" 2>"$d/kiosk.log" || true
  kill "$lg" 2>/dev/null || true; wait "$lg" 2>/dev/null || true
  # idle: connected, nothing changes
  SDL_FRAMEBUFFER_ACCELERATION=0 "$KIOSK" --mode board --hub "ws://127.0.0.1:$srv_port/" \
    --token-file "$d/token" --headless 2>"$d/kiosk-idle.log" &
  local kp=$!
  pids+=("$kp")
  sleep 2
  local c0 c1
  c0=$(awk '{print $14+$15}' "/proc/$kp/stat")
  sleep "$idle_s"
  c1=$(awk '{print $14+$15}' "/proc/$kp/stat")
  local idle_rss
  idle_rss=$(awk '/VmHWM/{print $2}' "/proc/$kp/status")
  kill "$kp" 2>/dev/null || true; wait "$kp" 2>/dev/null || true
  stop_srv
  $PY - "$d/kiosk.log" "$t0" "$c0" "$c1" "$idle_s" "$(getconf CLK_TCK)" "$idle_rss" "$rep" \
    >> "$results" <<'PYEOF'
import json, re, sys
log, t0, c0, c1, idle_s, tck, idle_rss, rep = sys.argv[1:]
vals = {}
for line in open(log, encoding="utf-8", errors="replace"):
    if line.startswith("bench "):
        for k, v in re.findall(r"(\w+)=(-?[\d.]+)", line):
            vals.setdefault(k, float(v))
            if k == "wall_ms" and "first_wall" not in vals:
                vals["first_wall"] = float(v)
out = {"rep": int(rep), "label": "kiosk", "mode": "kiosk"}
if "first_wall" in vals:
    out["spawn_to_first_frame_ms"] = vals["first_wall"] - float(t0)
for k in ("first_frame_ms", "first_connected_frame_ms", "fps", "frames", "frame_ms_max",
          "notes", "peak_rss_kb"):
    if k in vals:
        out[k] = vals[k]
out["idle_cpu_pct"] = (int(c1) - int(c0)) / int(tck) / float(idle_s) * 100
out["idle_peak_rss_kb"] = int(idle_rss or 0)
print(json.dumps(out))
PYEOF
  grep '^bench' "$d/kiosk.log" | sed 's/^/  kiosk: /' >&2 || log "kiosk: no figures: $(tail -3 "$d/kiosk.log")"
}

log "work dir $work; reps=$reps quick=$quick mqtt=$have_mqtt"
make_template
uptime_before=$(uptime)
for rep in $(seq 1 "$reps"); do
  log "repetition $rep/$reps"
  # 1. latency: N subscribers, 20 events/s
  fanout "$rep" "latency-$nlat" "$nlat" 20
  # 2. saturation: events as fast as each server takes them
  for n in $sat_subs; do fanout "$rep" "saturation-$n" "$n" 0; done
  # 3. durable check-ins acknowledged after commit, 1/8/64 senders, after the disk's and
  # SQLite's own rates
  disk_ref "$rep"
  for s in 1 8 64; do
    start_hub; run_lg "$rep" "commands-$s/hub" --mode commands --senders "$s"; stop_srv
  done
  # 4. held connections: authenticated, subscribed boards; the hub's memory and idle CPU
  start_hub
  run_lg "$rep" "hold-$nhold/hub" --mode hold --subs "$nhold" --max-connecting 500
  stop_srv
  # 5. the kiosk
  kiosk_bench "$rep"
done
uptime_after=$(uptime)

# ---- the table and BENCHMARKS.md
versions=$(printf 'libwebsockets %s; SQLite %s; mimalloc %s; Mosquitto %s; libmosquitto %s; gcc %s' \
  "$(pkg-config --modversion libwebsockets)" "$(pkg-config --modversion sqlite3)" \
  "$(dpkg-query -W -f='${Version}' libmimalloc2.0 2>/dev/null || echo none)" \
  "$(mosquitto -h 2>/dev/null | sed -n 's/^mosquitto version //p' | head -1)" \
  "$(pkg-config --modversion libmosquitto 2>/dev/null || echo none)" \
  "$(gcc -dumpfullversion)")
machine=$(printf '%s cores, %s, %s MB RAM, kernel %s' "$(nproc)" \
  "$(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)" \
  "$(awk '/MemTotal/{print int($2/1024)}' /proc/meminfo)" "$(uname -r)")
$PY "$here/report.py" --results "$results" --out "$out" --quick "$quick" --reps "$reps" \
  --machine "$machine" --versions "$versions" --load-before "$uptime_before" \
  --load-after "$uptime_after" --nlat "$nlat" --nhold "$nhold" --have-mqtt "$have_mqtt" \
  --command "tools/bench/run.sh $([ "$quick" = 1 ] && echo --quick)"
[ -z "$keep_results" ] || cp "$results" "$keep_results"
