#!/usr/bin/env bash
# A valgrind memcheck soak: showfloor-hub and a headless board kiosk run under memcheck for
# SOAK_SECONDS while a load of check-ins (each one an event the board renders) and of
# connections that open, authenticate, subscribe and close again keeps coming. Reports
# memcheck's errors, definite and indirect leaks of both programs, and whether the hub's heap
# grows with connections and events: its heap in use (memcheck's `leak_check summary` over
# vgdb) is read after a warm-up and again at the end, with the load stopped both times.
#
#   tools/soak.sh [BUILD_DIR]     (default build; Debug builds give readable stacks)
#   SOAK_SECONDS=300              load time (default 300)
#   SOAK_MAX_GROWTH_KB=256        most hub heap growth allowed between the two readings beyond
#                                 what SQLite's page cache may take (see db_bytes below)
#   SOAK_OUT=DIR                  keep the database, logs and valgrind reports there
#
# Exits 0 when both programs report no memcheck error and no definite or indirect leak and the
# heap stayed within the bound; 1 otherwise; 2 when valgrind or a binary is missing.
# The summary line starts with "SOAK" (tests/tools/CMakeLists.txt runs a 60-second soak).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
build=${1:-$root/build}
seconds=${SOAK_SECONDS:-300}
max_growth_kb=${SOAK_MAX_GROWTH_KB:-256}
py=/usr/bin/python3 # Debian's, with websockets

hub_bin=$build/hub/showfloor-hub
cli_bin=$build/tools/showfloor
kiosk_bin=$build/kiosk/showfloor-kiosk
for b in "$hub_bin" "$cli_bin" "$kiosk_bin"; do
  [ -x "$b" ] || { echo "soak: $b is missing: build first" >&2; exit 2; }
done
command -v valgrind >/dev/null && command -v vgdb >/dev/null ||
  { echo "soak: valgrind is not installed (tools/bench/deps.sh installs it)" >&2; exit 2; }

out=${SOAK_OUT:-$(mktemp -d /tmp/showfloor-soak.XXXXXX)}
mkdir -p "$out"
db=$out/soak.db
rm -f "$db" "$db-wal" "$db-shm"
hub_pid="" kiosk_pid=""
cleanup() {
  [ -n "$kiosk_pid" ] && kill "$kiosk_pid" 2>/dev/null || true
  [ -n "$hub_pid" ] && kill "$hub_pid" 2>/dev/null || true
  wait 2>/dev/null || true
  [ -z "${SOAK_OUT:-}" ] && [ "${SOAK_KEEP:-0}" != 1 ] && rm -rf "$out"
  return 0
}
trap cleanup EXIT

# The site: two consultants on duty today (site time, UTC+8), a reception and a board.
cli() { "$cli_bin" --db "$db" "$@" 2>>"$out/setup.log"; }
today=$(TZ=Asia/Shanghai date +%F)
cli init >/dev/null
cli site add --code SH01 --name "上海浦东店" --utc-offset 480 >/dev/null
cli staff add --site SH01 --no S001 --name 张伟 --role consultant --pin 1234 >/dev/null
cli staff add --site SH01 --no S002 --name 李娜 --role consultant --pin 2468 >/dev/null
cli duty set --staff S001 --day "$today" --status on >/dev/null
cli duty set --staff S002 --day "$today" --status on >/dev/null
cli model add --code HX7 --name "星河 7" --price-fen 18980000 >/dev/null
cli device add --site SH01 --mode reception --name "Reception 1" >"$out/reception.token"
cli device add --site SH01 --mode board --name "Board 1" >"$out/board.token"
cli device add --site SH01 --mode board --name "Board 2" >"$out/board2.token"
chmod 600 "$out"/*.token

# somalloc: memcheck replaces mimalloc's malloc in the hub (it would otherwise see none of its heap)
memcheck=(valgrind --tool=memcheck --soname-synonyms=somalloc=*mimalloc*
  --leak-check=full --show-leak-kinds=definite,indirect
  --errors-for-leak-kinds=definite,indirect --track-origins=yes --num-callers=30
  --error-exitcode=99 --vgdb=yes --vgdb-error=999999)

"${memcheck[@]}" --log-file="$out/valgrind-hub.txt" "$hub_bin" --db "$db" --port 0 \
  --port-file "$out/port" --log-level info >"$out/hub.log" 2>&1 &
hub_pid=$!
for _ in $(seq 1 600); do
  [ -s "$out/port" ] && break
  kill -0 "$hub_pid" 2>/dev/null || { echo "soak: the hub exited at start" >&2; cat "$out/hub.log" >&2; exit 1; }
  sleep 0.1
done
port=$(cat "$out/port")
url="ws://127.0.0.1:$port/"

SDL_VIDEODRIVER=dummy "${memcheck[@]}" --log-file="$out/valgrind-kiosk.txt" "$kiosk_bin" \
  --headless --mode board --hub "$url" --token-file "$out/board.token" \
  --state-dir "$out/kiosk-state" --screenshot "$out/board.png" >"$out/kiosk.log" 2>&1 &
kiosk_pid=$!

# The hub's heap in use: the sum of every leak_check category (reachable or not).
heap_bytes() {
  vgdb --pid="$hub_pid" leak_check summary any 2>/dev/null | "$py" -c '
import re, sys
text = sys.stdin.read()
n = [int(m.replace(",", "")) for m in re.findall(r"(?:definitely lost|indirectly lost|possibly lost|still reachable|suppressed): ([\d,]+) bytes", text)]
print(sum(n) if len(n) == 5 else -1)'
}

# The database's size in bytes (committed pages, the WAL's included). SQLite's page cache
# (default cache_size: 2,000 KiB per connection; the hub sets none) holds the pages the hub
# reads and writes, so while the database is smaller than the cache the heap grows with the
# database, up to cache_size: that much growth is the cache, not a leak.
db_bytes() {
  "$py" -c 'import sqlite3, sys
c = sqlite3.connect("file:" + sys.argv[1] + "?mode=ro", uri=True)
print(c.execute("PRAGMA page_count").fetchone()[0] * c.execute("PRAGMA page_size").fetchone()[0])' "$db"
}

# The load, in two phases: a warm-up (a fifth of the time), then the rest; between them and
# at the end no client is connected, so the two heap readings compare like with like.
load() { # seconds, phone prefix (3 digits) -> "checkins connections"
  "$py" - "$url" "$out/reception.token" "$out/board2.token" "$1" "$2" <<'EOF'
import asyncio, json, sys, time
import websockets

url, rtok, btok, seconds, prefix = sys.argv[1], open(sys.argv[2]).read().strip(), \
    open(sys.argv[3]).read().strip(), float(sys.argv[4]), sys.argv[5]
count = {"checkins": 0, "connections": 0}

async def session(token, sub):
    ws = await websockets.connect(url, subprotocols=["showfloor.v1"], open_timeout=60,
                                  ping_interval=None, max_size=8 << 20)
    await asyncio.wait_for(ws.recv(), 60)  # hello
    await ws.send(json.dumps({"type": "auth", "args": {"token": token, "client": "soak/1"}}))
    m = json.loads(await asyncio.wait_for(ws.recv(), 60))
    assert m["type"] == "auth_ok", m
    count["connections"] += 1
    if sub:
        await ws.send(json.dumps({"type": "subscribe", "id": "s", "args": {"since": 0}}))
    return ws

async def request(ws, rid, mtype, args):
    await ws.send(json.dumps({"type": mtype, "id": rid, "args": args}))
    while True:
        m = json.loads(await asyncio.wait_for(ws.recv(), 60))
        if m.get("type") == "result" and m.get("id") == rid:
            return m

async def reception(worker, deadline):
    n = 0
    while time.monotonic() < deadline:
        ws = await session(rtok, False)
        for _ in range(5):  # a few check-ins per connection, then a new connection
            phone = f"13{prefix}{worker}{n:05d}"
            m = await request(ws, f"soak-{prefix}-{worker}-{n}", "checkin",
                              {"phone": phone, "consent": True, "name": "王小明",
                               "gender": "male"})
            assert m["ok"], m
            count["checkins"] += 1
            n += 1
        await ws.close()

async def board(deadline):
    while time.monotonic() < deadline:
        ws = await session(btok, True)
        end = time.monotonic() + 3
        while time.monotonic() < end:  # reads the snapshot and the events, then leaves
            try:
                await asyncio.wait_for(ws.recv(), 0.5)
            except asyncio.TimeoutError:
                pass
        await ws.close()

async def main():
    deadline = time.monotonic() + seconds
    await asyncio.gather(*[reception(w, deadline) for w in range(2)], board(deadline))
    print(count["checkins"], count["connections"])

asyncio.run(main())
EOF
}

warm=$((seconds / 5))
[ "$warm" -lt 5 ] && warm=5
rest=$((seconds - warm))
[ "$rest" -lt 5 ] && rest=5
read -r warm_checkins warm_conns < <(load "$warm" 100)
sleep 3
heap1=$(heap_bytes)
db1=$(db_bytes)
read -r checkins conns < <(load "$rest" 200)
sleep 3
heap2=$(heap_bytes)
db2=$(db_bytes)

kill -TERM "$kiosk_pid"
kiosk_rc=0; wait "$kiosk_pid" || kiosk_rc=$?
kiosk_pid=""
kill -TERM "$hub_pid"
hub_rc=0; wait "$hub_pid" || hub_rc=$?
hub_pid=""

# memcheck's own summary of one program: "errors definite indirect" (bytes).
summary() {
  "$py" - "$1" <<'EOF'
import re, sys
t = open(sys.argv[1], errors="replace").read()
def last(pat):
    m = re.findall(pat, t)
    return int(m[-1].replace(",", "")) if m else 0
errors = last(r"ERROR SUMMARY: ([\d,]+) errors")
print(errors, last(r"definitely lost: ([\d,]+) bytes"), last(r"indirectly lost: ([\d,]+) bytes"))
EOF
}
read -r hub_err hub_def hub_ind < <(summary "$out/valgrind-hub.txt")
read -r kiosk_err kiosk_def kiosk_ind < <(summary "$out/valgrind-kiosk.txt")

growth=-1 excess=0
if [ "$heap1" -ge 0 ] && [ "$heap2" -ge 0 ]; then
  growth=$((heap2 - heap1))
  cache=$((db2 - db1))
  [ "$cache" -gt 2048000 ] && cache=2048000 # the cache stops at cache_size
  excess=$((growth - cache))
fi
echo "soak: ${seconds} s under memcheck; warm-up ${warm_checkins} check-ins, ${warm_conns} connections;" \
  "then ${checkins} check-ins, ${conns} connections"
echo "soak: hub heap in use ${heap1} B after the warm-up, ${heap2} B at the end: growth ${growth} B;" \
  "database ${db1} B -> ${db2} B; growth beyond what the page cache may take ${excess} B" \
  "($((excess / (checkins + conns + 1))) B per check-in or connection)"
echo "soak: hub exit ${hub_rc}, ${hub_err} errors, definitely lost ${hub_def} B, indirectly lost ${hub_ind} B"
echo "soak: kiosk exit ${kiosk_rc}, ${kiosk_err} errors, definitely lost ${kiosk_def} B, indirectly lost ${kiosk_ind} B"
echo "soak: reports in $out/valgrind-hub.txt, $out/valgrind-kiosk.txt"

fail=()
[ "$hub_rc" -eq 0 ] || fail+=("hub exit $hub_rc")
[ "$kiosk_rc" -eq 0 ] || fail+=("kiosk exit $kiosk_rc")
[ "$hub_err" -eq 0 ] || fail+=("hub: $hub_err memcheck errors")
[ "$kiosk_err" -eq 0 ] || fail+=("kiosk: $kiosk_err memcheck errors")
[ "$heap1" -ge 0 ] && [ "$heap2" -ge 0 ] || fail+=("heap not read over vgdb")
[ "$excess" -le $((max_growth_kb * 1024)) ] || fail+=("hub heap grew ${excess} B beyond the page cache")
[ "$checkins" -gt 0 ] || fail+=("no check-in under load")
if [ ${#fail[@]} -eq 0 ]; then
  echo "SOAK ok"
  exit 0
fi
[ -n "${SOAK_OUT:-}" ] || SOAK_KEEP=1 # keep the reports of a failed soak
echo "SOAK FAILED: ${fail[*]}"
exit 1
