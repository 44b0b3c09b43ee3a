#!/usr/bin/env bash
# Installs a Showfloor kiosk on a fresh Debian 12 box, from a clone of this repo:
#   sudo tools/install-kiosk.sh --hub wss://hub.local:7420/ [--tty tty1]
# It installs the packages (build and KMS/DRM runtime), copies the source to
# /opt/showfloor/src and builds showfloor-kiosk there (the kiosk finds its strings and themes
# in that tree), installs /usr/local/bin/showfloor-kiosk, creates the unprivileged user
# showfloor-kiosk (groups video, input, render), writes /etc/showfloor/kiosk-TTY.env and
# enables showfloor-kiosk@TTY.service, which replaces the console login on that tty.
# The kiosk then shows a pairing code; approve it on the hub:
#   showfloor device approve CODE --site SH01 --mode reception --name "Reception 1"
# --dry-run prints every step instead of doing it (no root needed).
set -euo pipefail

usage() {
  cat <<'EOF'
usage: tools/install-kiosk.sh --hub URL [--tty TTY] [--prefix DIR] [--args "KIOSK OPTIONS"]
                              [--no-start] [--dry-run]
  --hub URL      the hub, e.g. wss://hub.local:7420/ (ws:// only on a trusted network)
  --tty TTY      the console the kiosk takes over (default tty1)
  --prefix DIR   where the source and build live (default /opt/showfloor)
  --args OPTS    more showfloor-kiosk options, e.g. "--lang en --size 1920x1080"
  --no-start     enable the service for the next boot but do not start it now
  --dry-run      print the steps, change nothing
EOF
}

root="$(cd "$(dirname "$0")/.." && pwd)"
hub="" tty="tty1" prefix="/opt/showfloor" kiosk_args="" start=1 dry=0
while [ $# -gt 0 ]; do
  case "$1" in
    --hub) hub="${2:?--hub needs a URL}"; shift 2 ;;
    --tty) tty="${2:?--tty needs a name}"; shift 2 ;;
    --prefix) prefix="${2:?--prefix needs a directory}"; shift 2 ;;
    --args) kiosk_args="${2?--args needs a value}"; shift 2 ;;
    --no-start) start=0; shift ;;
    --dry-run) dry=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "install-kiosk: unknown option '$1'" >&2; usage >&2; exit 2 ;;
  esac
done
if [ -z "$hub" ]; then
  echo "install-kiosk: --hub URL is required (the address kiosks connect to)" >&2
  exit 2
fi
case "$hub" in
  ws://*|wss://*) ;;
  *) echo "install-kiosk: --hub must start with ws:// or wss://, not '$hub'" >&2; exit 2 ;;
esac
case "$tty" in
  tty[0-9]|tty[0-9][0-9]) ;;
  *) echo "install-kiosk: --tty must be a console like tty1, not '$tty'" >&2; exit 2 ;;
esac
case "$prefix" in
  /*) ;;
  *) echo "install-kiosk: --prefix must be an absolute path" >&2; exit 2 ;;
esac

user="showfloor-kiosk"
unit="showfloor-kiosk@.service"
env_file="/etc/showfloor/kiosk-$tty.env"

run() {
  if [ "$dry" = 1 ]; then
    printf '+ %s\n' "$*"
  else
    "$@"
  fi
}

if [ "$dry" = 0 ] && [ "$(id -u)" -ne 0 ]; then
  echo "install-kiosk: run as root (sudo tools/install-kiosk.sh ...), or --dry-run" >&2
  exit 1
fi

echo "== packages"
# Build dependencies (tools/deps.sh), then what SDL's KMS/DRM driver loads at run time:
# Mesa's GBM and EGL/GLES, and the DRI drivers of the GPU.
run bash "$root/tools/deps.sh"
run env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
  libgbm1 libegl1 libgles2 libgl1-mesa-dri libdrm2 rsync

echo "== source and build in $prefix"
run mkdir -p "$prefix/src"
if [ "$root" != "$prefix/src" ]; then
  run rsync -a --delete --exclude '/build*' --exclude '/demo' --exclude '.git' \
    "$root/" "$prefix/src/"
fi
run cmake -S "$prefix/src" -B "$prefix/build" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DSHOWFLOOR_BENCH=OFF
run cmake --build "$prefix/build" -j"$(nproc)" --target showfloor-kiosk
run install -m 0755 "$prefix/build/kiosk/showfloor-kiosk" /usr/local/bin/showfloor-kiosk

echo "== user $user"
# The unit names all three groups; `render` (the GPU's render nodes) exists on Debian 12
# with systemd, but a trimmed system may lack it and the unit would not start.
if ! getent group render >/dev/null; then run groupadd --system render; fi
groups="video,input,render"
if id "$user" >/dev/null 2>&1; then
  run usermod -a -G "$groups" "$user"
else
  run useradd --system --user-group --home-dir "/var/lib/showfloor-kiosk" \
    --shell /usr/sbin/nologin --groups "$groups" "$user"
fi

echo "== service showfloor-kiosk@$tty"
run install -d -m 0755 /etc/showfloor
if [ "$dry" = 1 ]; then
  printf '+ write %s: SHOWFLOOR_HUB=%s SHOWFLOOR_KIOSK_ARGS=%s\n' "$env_file" "$hub" "$kiosk_args"
else
  umask 022
  printf '# showfloor-kiosk@%s (tools/install-kiosk.sh)\nSHOWFLOOR_HUB=%s\nSHOWFLOOR_KIOSK_ARGS=%s\n' \
    "$tty" "$hub" "$kiosk_args" >"$env_file.tmp"
  mv "$env_file.tmp" "$env_file"
fi
run install -m 0644 "$root/tools/systemd/$unit" "/etc/systemd/system/$unit"
run systemctl daemon-reload
# The kiosk owns the console: no login prompt competes for it at boot.
run systemctl disable "getty@$tty.service"
run systemctl enable "showfloor-kiosk@$tty.service"
if [ "$start" = 1 ]; then
  run systemctl restart "showfloor-kiosk@$tty.service"
fi

cat <<EOF

Installed. The kiosk on $tty connects to $hub and, until it is approved, shows a
pairing code (also in: journalctl -u showfloor-kiosk@$tty). On the hub:
  showfloor device pending
  showfloor device approve CODE --site SITE --mode reception|status|delivery|board --name "NAME"
Then: showfloor device list. Logs: journalctl -fu showfloor-kiosk@$tty
EOF
