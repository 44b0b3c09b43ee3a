#!/usr/bin/env bash
# Installs the Debian packages Showfloor builds, tests and demos with, when any is missing.
# Fast when everything is there: it asks dpkg, not the network.
set -euo pipefail

packages=(
  build-essential cmake pkg-config git
  libsdl2-dev libsdl2-ttf-dev libwebsockets-dev libsqlite3-dev libcjson-dev
  libsodium-dev libinih-dev libpng-dev libfontconfig-dev fonts-wqy-microhei
  libcmocka-dev libcurl4-openssl-dev libmimalloc-dev python3 python3-websockets
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "showfloor: installing ${missing[*]}" >&2
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "showfloor: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
  sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
