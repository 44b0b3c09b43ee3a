#!/usr/bin/env bash
# Renders every screen of every kiosk mode, in Chinese and English, at 1280x720 and
# 1080x1920, against a demo hub: headless kiosks driven by scripts, one PNG per screen into
# docs/screens/ (listed in docs/README.md). Also the "hub is down" screens: data shown with
# its age, a sign-off saved on the kiosk; and the fleet's: pairing, out of order, identify.
#   tools/screenshots.sh [BUILD_DIR]     (default: build; the binaries must be built)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="$(cd "${1:-$root/build}" && pwd)"
hub_bin="$build/hub/showfloor-hub"
cli="$build/tools/showfloor"
kiosk_bin="$build/kiosk/showfloor-kiosk"
for b in "$hub_bin" "$cli" "$kiosk_bin"; do
  [ -x "$b" ] || { echo "screenshots.sh: $b is not built" >&2; exit 2; }
done
command -v sqlite3 >/dev/null || { echo "screenshots.sh: needs the sqlite3 shell" >&2; exit 2; }
out="$root/docs/screens"
mkdir -p "$out"
work="$(mktemp -d /tmp/showfloor-shots.XXXXXX)"
hub_pid=""
cleanup() {
  [ -n "$hub_pid" ] && kill "$hub_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# One pristine demo database with a device per mode; each run gets a fresh copy, because
# the scripts change it (a check-in, a delivery).
pristine="$work/pristine.db"
"$cli" --db "$pristine" init >/dev/null
"$cli" --db "$pristine" demo-data --seed 2026 >"$work/demo-data.txt"
for m in reception status delivery board; do
  "$cli" --db "$pristine" device add --site SH01 --mode "$m" --name "Shots $m" \
    >"$work/$m.token" 2>/dev/null
  chmod 600 "$work/$m.token"
done
q() { sqlite3 -batch -noheader "$pristine" "$1"; }
# A ready order to sign off and its consultant; an order in the middle of its life for the
# status lookup, with the customer's phone tail.
read -r dl_order dl_staff < <(q "SELECT o.order_no, s.staff_no FROM orders o JOIN staff s
  ON s.id = o.consultant_id WHERE o.stage = 'ready' ORDER BY o.delivery_at LIMIT 1" | tr '|' ' ')
dl_pin="1${dl_staff#S}"
# (phones are sealed in the database: the demo's own summary names the order and the tail)
read -r st_order st_last4 < <(sed -n 's/.*status kiosk: order \([^,]*\), phone ending \([0-9]*\).*/\1 \2/p' \
  "$work/demo-data.txt")
[ -n "$st_last4" ] || { echo "screenshots.sh: demo-data named no status-lookup order" >&2; exit 1; }
# The board's acting flow: an order for the manager's final approval, one for the first
# review (refused to a consultant), an open conflict; the demo's manager S008 and consultant
# S003 (PIN "1" + the staff number's digits).
bd_final=$(q "SELECT order_no FROM orders WHERE stage = 'reviewed' ORDER BY id DESC LIMIT 1")
bd_first=$(q "SELECT order_no FROM orders WHERE stage = 'entered' ORDER BY id LIMIT 1")
bd_conflict=$(q "SELECT id FROM conflicts WHERE state = 'open' ORDER BY id LIMIT 1")

start_hub() {
  cp "$pristine" "$work/run.db"
  # the customers' fields are sealed: the copy goes with its data key and key store
  cp "$pristine.data-key" "$work/run.db.data-key"
  cp "$pristine.keystore" "$work/run.db.keystore"
  rm -f "$work/port"
  "$hub_bin" --db "$work/run.db" --port 0 --port-file "$work/port" >>"$work/hub.log" 2>&1 &
  hub_pid=$!
  for _ in $(seq 150); do [ -s "$work/port" ] && break; sleep 0.1; done
  [ -s "$work/port" ] || { echo "screenshots.sh: the hub did not start" >&2; exit 1; }
  url="ws://127.0.0.1:$(cat "$work/port")/"
}
stop_hub() {
  kill "$hub_pid" 2>/dev/null || true
  wait "$hub_pid" 2>/dev/null || true
  hub_pid=""
}

# run MODE LANG SIZE SCRIPT_TEXT [background]
run_kiosk() {
  local mode=$1 lang=$2 size=$3 text=$4
  printf '%s\n' "$text" >"$work/script"
  rm -rf "$work/state"
  "$kiosk_bin" --mode "$mode" --hub "$url" --token-file "$work/$mode.token" --headless \
    --size "$size" --lang "$lang" --state-dir "$work/state" --script "$work/script" \
    2>>"$work/kiosk.log"
}

n=0
for lang in zh en; do
  for size in 1280x720 1080x1920; do
    s() { echo "$out/$1-$lang-$size.png"; }
    start_hub
    run_kiosk reception "$lang" "$size" "expect_connected
wait_screen reception.attract
sleep 300
screenshot $(s reception-1-attract)
tap btn.checkin
wait_screen reception.consent
screenshot $(s reception-2-consent)
tap btn.agree
wait_screen reception.phone
type 1471234
screenshot $(s reception-3-phone)
type 5678
tap btn.submit
wait_screen reception.model
screenshot $(s reception-4-model)
tap model.XH7
wait_screen reception.source
screenshot $(s reception-5-source)
tap source.referral
wait_screen reception.first_visit
screenshot $(s reception-6-first-visit)
tap first.yes
wait_screen reception.gender
screenshot $(s reception-7-gender)
tap gender.male
wait_screen reception.name
type_text wang
screenshot $(s reception-8-name)
tap cand.0
tap kb.done
wait_screen reception.done
screenshot $(s reception-9-done)
quit"
    run_kiosk status "$lang" "$size" "expect_connected
wait_screen status.wall
sleep 300
screenshot $(s status-1-wall)
tap btn.lookup
wait_screen status.order
type ${st_order#SF}
screenshot $(s status-2-order)
tap btn.next
wait_screen status.phone4
type $st_last4
screenshot $(s status-3-phone4)
tap btn.search
wait_screen status.result
screenshot $(s status-4-result)
quit"
    run_kiosk delivery "$lang" "$size" "expect_connected
wait_screen delivery.list
sleep 300
screenshot $(s delivery-01-list)
tap btn.login
type ${dl_staff#S}
screenshot $(s delivery-02-staff-no)
tap btn.next
type $dl_pin
screenshot $(s delivery-03-pin)
tap btn.login_submit
wait_screen delivery.staff
screenshot $(s delivery-04-staff)
tap delivery.open.$dl_order
wait_screen delivery.checklist
tap check.vehicle_clean
tap check.invoice
tap check.coc
tap check.warranty
screenshot $(s delivery-05-checklist)
tap check.keys
tap check.accessories
tap check.explained
tap btn.next
wait_screen delivery.summary
screenshot $(s delivery-06-summary)
tap btn.sign
wait_screen delivery.sign
sign sig.pad
sleep 100
screenshot $(s delivery-07-sign)
tap btn.next
wait_screen delivery.rating
tap rate.5
tap btn.comment
wait_screen delivery.comment
type_text very smooth delivery
screenshot $(s delivery-08-comment)
tap kb.done
wait_screen delivery.rating
screenshot $(s delivery-09-rating)
tap btn.submit
wait_screen delivery.done
screenshot $(s delivery-10-done)
quit"
    run_kiosk board "$lang" "$size" "expect_connected
wait_screen board.main
sleep 300
screenshot $(s board-1-main)
tap board.page.figures
wait_screen board.figures
sleep 300
screenshot $(s board-2-figures)
tap board.page.floor
wait_screen board.main
tap board.review_more
wait_screen board.act.pick
screenshot $(s board-3-act-pick)
tap board.review.$bd_final
wait_screen board.act.staff_no
type 008
screenshot $(s board-4-act-staff-no)
tap btn.next
wait_screen board.act.pin
type 1008
screenshot $(s board-4-act-pin)
tap btn.login_submit
wait_screen board.act.card
sleep 300
screenshot $(s board-5-act-card)
tap act.reject
wait_screen board.act.reason
tap reason.0
screenshot $(s board-6-act-reason)
tap btn.back
wait_screen board.act.card
tap act.approve
wait_screen board.act.done
screenshot $(s board-7-act-done)
tap btn.finish
wait_screen board.main
tap board.rule.$bd_conflict
type 007
tap btn.next
type 1007
tap btn.login_submit
wait_screen board.act.card
screenshot $(s board-8-act-conflict)
tap btn.cancel
wait_screen board.main
tap board.review_more
tap board.review.$bd_first
type 003
tap btn.next
type 1003
tap btn.login_submit
wait_screen board.act.card
tap act.approve
wait_screen board.act.done
screenshot $(s board-8-act-refused)
quit"
    stop_hub

    # The hub goes away while kiosks run: the last state stays, with its age.
    start_hub
    marker="$work/connected"
    rm -f "$marker"
    conn_text=$([ "$lang" = zh ] && echo "正在重新连接" || echo "reconnecting")
    for mode in status board; do
      screen=$([ "$mode" = status ] && echo status.wall || echo board.main)
      rm -f "$marker.$mode"
      run_kiosk "$mode" "$lang" "$size" "expect_connected
wait_screen $screen
sleep 200
screenshot $marker.$mode
wait_text $conn_text
sleep 1200
screenshot $(s $mode-9-offline)
quit" &
      for _ in $(seq 100); do [ -s "$marker.$mode" ] && break; sleep 0.1; done
      # both kiosks have drawn live data; the hub dies under them
      [ "$mode" = board ] && stop_hub
    done
    wait
    # A sign-off made while the hub is down: saved on the kiosk, and said so.
    start_hub
    rm -f "$marker.delivery"
    run_kiosk delivery "$lang" "$size" "expect_connected
tap btn.login
type ${dl_staff#S}
tap btn.next
type $dl_pin
tap btn.login_submit
wait_screen delivery.staff
tap delivery.open.$dl_order
wait_screen delivery.checklist
tap check.vehicle_clean
tap check.invoice
tap check.coc
tap check.warranty
tap check.keys
tap check.accessories
tap check.explained
tap btn.next
tap btn.sign
wait_screen delivery.sign
sign sig.pad
sleep 100
tap btn.next
wait_screen delivery.rating
tap rate.4
screenshot $marker.delivery
wait_text $conn_text
tap btn.submit
wait_screen delivery.done
screenshot $(s delivery-11-saved-offline)
tap btn.finish
wait_screen delivery.staff
sleep 200
screenshot $(s delivery-12-queue)
quit" &
    for _ in $(seq 150); do [ -s "$marker.delivery" ] && break; sleep 0.1; done
    stop_hub
    wait
    # The fleet's screens: a kiosk with no token shows its pairing code; a screen put out of
    # order from the CLI; a screen asked to identify itself.
    start_hub
    printf 'wait_screen fleet.pairing\nsleep 300\nscreenshot %s\nquit\n' \
      "$(s fleet-1-pairing)" >"$work/script"
    rm -rf "$work/state"
    "$kiosk_bin" --hub "$url" --headless --size "$size" --lang "$lang" \
      --state-dir "$work/state" --script "$work/script" 2>>"$work/kiosk.log"
    "$cli" --db "$work/run.db" device maintenance "Shots reception" on --site SH01 >/dev/null
    run_kiosk reception "$lang" "$size" "expect_connected
wait_screen fleet.maintenance
sleep 300
screenshot $(s fleet-2-maintenance)
quit"
    "$cli" --db "$work/run.db" device maintenance "Shots reception" off --site SH01 >/dev/null
    rm -f "$marker.identify"
    run_kiosk status "$lang" "$size" "expect_connected
wait_screen status.wall
screenshot $marker.identify
wait_screen fleet.identify
sleep 300
screenshot $(s fleet-3-identify)
quit" &
    shot_pid=$!
    for _ in $(seq 150); do [ -s "$marker.identify" ] && break; sleep 0.1; done
    "$cli" --db "$work/run.db" device identify "Shots status" --site SH01 >/dev/null
    wait "$shot_pid" # not a bare wait: the hub runs in the background too
    stop_hub
    n=$((n + 1))
  done
done
count=$(ls "$out"/*.png | wc -l)
# docs/README.md lists the set, one row per screen, both languages and sizes.
{
  echo "# Screenshots"
  echo
  echo "Every kiosk screen in Chinese and English at 1280x720 and 1080x1920, rendered"
  echo "headless against a demo hub by \`tools/screenshots.sh [BUILD_DIR]\` (the demo data of"
  echo "\`showfloor demo-data --seed 2026\`). Files are \`screens/<mode>-<step>-<lang>-<size>.png\`."
  echo "The \`-offline\` and \`-saved-offline\`/\`-queue\` ones are taken after the hub was stopped:"
  echo "the last state stays on screen with its age, and a sign-off is kept on the kiosk."
  echo
  echo "| screen | zh 1280x720 | en 1280x720 | zh 1080x1920 | en 1080x1920 |"
  echo "|---|---|---|---|---|"
  for f in "$out"/*-zh-1280x720.png; do
    b=$(basename "$f" -zh-1280x720.png)
    echo "| $b | [png](screens/$b-zh-1280x720.png) | [png](screens/$b-en-1280x720.png) |" \
      "[png](screens/$b-zh-1080x1920.png) | [png](screens/$b-en-1080x1920.png) |"
  done
} >"$root/docs/README.md"
echo "screenshots.sh: $count screenshots in $out, listed in docs/README.md"
