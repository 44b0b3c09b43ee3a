#!/usr/bin/env bash
# The running demo: installs what is missing, builds, creates a demo database (once), starts
# the hub and one kiosk of each mode. With a display the kiosks open windows; without one
# they run headless and keep a screenshot of each screen in demo/screens/.
#   tools/demo.sh          start (restarts a demo that is already running)
#   tools/demo.sh stop     stop everything the demo started
#   tools/demo.sh reset    stop and delete the demo database, so the next start is fresh
#   SIMULATE=1 tools/demo.sh   also play a dealership day through the hub (showfloor simulate,
#                              SIMULATE_SPEED=60 by default; log in demo/logs/simulate.log)
#   TLS=1 tools/demo.sh        wss/https: a self-signed pair for 127.0.0.1 and localhost is
#                              made once in demo/tls/ (openssl); kiosks trust it by --ca-file
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
demo="$root/demo"
port="${SHOWFLOOR_DEMO_PORT:-7420}"
modes=(reception status delivery board)

stop_demo() {
  [ -f "$demo/pids" ] || return 0
  while read -r pid name; do
    if kill -0 "$pid" 2>/dev/null; then
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -9 "$pid" 2>/dev/null || true
      echo "stopped $name (pid $pid)"
    fi
  done <"$demo/pids"
  rm -f "$demo/pids"
}

case "${1:-start}" in
  stop) stop_demo; exit 0 ;;
  reset) stop_demo; rm -rf "$demo"; echo "demo data removed"; exit 0 ;;
  start) ;;
  *) echo "usage: tools/demo.sh [start|stop|reset]" >&2; exit 2 ;;
esac

bash tools/deps.sh
echo "building (build/)..."
bash tools/build.sh build -DCMAKE_BUILD_TYPE=RelWithDebInfo
hub="$root/build/hub/showfloor-hub"
cli="$root/build/tools/showfloor"
kiosk="$root/build/kiosk/showfloor-kiosk"

stop_demo
mkdir -p "$demo/tokens" "$demo/screens" "$demo/logs"
chmod 700 "$demo/tokens"
db="$demo/showfloor.db"
if [ ! -f "$db" ]; then
  echo "creating the demo database $db"
  "$cli" --db "$db" demo-data --seed 2026 >"$demo/logs/demo-data.txt"
  for m in "${modes[@]}" api; do
    "$cli" --db "$db" device add --site SH01 --mode "$m" --name "Demo $m" >"$demo/tokens/$m.token"
    chmod 600 "$demo/tokens/$m.token"
  done
fi

# A demo database made before the api device existed gets one now (tokens are shown once,
# so a lost token file means a new device rather than a recovered one).
if [ ! -s "$demo/tokens/api.token" ]; then
  "$cli" --db "$db" device add --site SH01 --mode api --name "Demo api $(date +%s)" \
    >"$demo/tokens/api.token" 2>/dev/null
  chmod 600 "$demo/tokens/api.token"
fi

# TLS=1: the hub serves wss/https with demo/tls/hub.crt, which the kiosks are told to trust.
hub_args=()
scheme=ws
if [ "${TLS:-0}" = 1 ]; then
  if [ "${SIMULATE:-0}" = 1 ]; then
    echo "TLS=1 and SIMULATE=1 together are not supported (simulate speaks http)" >&2
    exit 2
  fi
  mkdir -p "$demo/tls"
  if [ ! -s "$demo/tls/hub.crt" ] || [ ! -s "$demo/tls/hub.key" ]; then
    openssl req -x509 -newkey rsa:2048 -nodes -days 365 -subj "/CN=showfloor demo hub" \
      -addext "subjectAltName=IP:127.0.0.1,DNS:localhost" \
      -keyout "$demo/tls/hub.key" -out "$demo/tls/hub.crt" 2>"$demo/logs/openssl.log"
    chmod 600 "$demo/tls/hub.key"
  fi
  printf '[tls]\ncert = %s\nkey = %s\n' "$demo/tls/hub.crt" "$demo/tls/hub.key" \
    >"$demo/tls/hub.ini"
  hub_args=(--config "$demo/tls/hub.ini")
  scheme=wss
fi

rm -f "$demo/hub.port"
setsid "$hub" "${hub_args[@]}" --db "$db" --port "$port" --port-file "$demo/hub.port" \
  >"$demo/logs/hub.log" 2>&1 </dev/null &
echo "$! showfloor-hub" >>"$demo/pids"
for _ in $(seq 100); do [ -s "$demo/hub.port" ] && break; sleep 0.1; done
if [ ! -s "$demo/hub.port" ]; then
  echo "the hub did not start; see $demo/logs/hub.log:" >&2
  tail -n 20 "$demo/logs/hub.log" >&2
  stop_demo
  exit 1
fi
url="$scheme://127.0.0.1:$(cat "$demo/hub.port")/"

headless=1
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then headless=0; fi
for m in "${modes[@]}"; do
  args=(--mode "$m" --hub "$url" --token-file "$demo/tokens/$m.token")
  if [ "$scheme" = wss ]; then args+=(--ca-file "$demo/tls/hub.crt"); fi
  if [ "$headless" = 1 ]; then
    args+=(--headless --screenshot "$demo/screens/$m.png")
  else
    args+=(--size 1280x720)
  fi
  setsid "$kiosk" "${args[@]}" >"$demo/logs/kiosk-$m.log" 2>&1 </dev/null &
  echo "$! showfloor-kiosk ($m)" >>"$demo/pids"
done

if [ "$headless" = 1 ]; then
  for _ in $(seq 100); do
    n=0; for m in "${modes[@]}"; do [ -s "$demo/screens/$m.png" ] && n=$((n + 1)); done
    [ "$n" = ${#modes[@]} ] && break; sleep 0.1
  done
fi

# SIMULATE=1: a simulated dealership day plays through the hub's API, so every screen moves.
if [ "${SIMULATE:-0}" = 1 ]; then
  setsid "$cli" --db "$db" simulate --hub "http://127.0.0.1:$(cat "$demo/hub.port")" \
    --speed "${SIMULATE_SPEED:-60}" --reception-token-file "$demo/tokens/reception.token" \
    --api-token-file "$demo/tokens/api.token" >"$demo/logs/simulate.log" 2>&1 </dev/null &
  echo "$! showfloor simulate" >>"$demo/pids"
fi

echo
echo "Showfloor demo is running."
echo "  hub:      $url   (http://127.0.0.1:$(cat "$demo/hub.port")/healthz, /metrics)"
echo "  database: $db"
while read -r pid name; do echo "  pid $pid  $name"; done <"$demo/pids"
if [ "$headless" = 1 ]; then
  echo "  no display: kiosks run headless; their screens are kept up to date in"
  echo "            $demo/screens/{reception,status,delivery,board}.png"
fi
echo "  logs:     $demo/logs/"
if [ "${SIMULATE:-0}" = 1 ]; then
  echo "  simulator: a dealership day at ${SIMULATE_SPEED:-60}x, one line per action in $demo/logs/simulate.log"
fi
echo "  staff logins (staff no / PIN) and sample orders: $demo/logs/demo-data.txt"
echo "  admin CLI: $cli --db $db --help"
echo "  order verbs through the hub, e.g. a supervisor's review queue:"
echo "            SHOWFLOOR_HUB_URL=http://127.0.0.1:$(cat "$demo/hub.port") SHOWFLOOR_TOKEN_FILE=$demo/tokens/api.token \\"
echo "            $cli --staff S007 --pin 1007 order list --stage entered"
echo "Stop it with: tools/demo.sh stop"
