#!/usr/bin/env bash
# Installs what the benchmark suite needs beyond tools/deps.sh (which the build and the test
# suite need): Mosquitto 2.0 and libmosquitto for the MQTT comparison, perf and valgrind for
# profiling. Fast when everything is there: it asks dpkg, not the network.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
"$here/../deps.sh"

packages=(mosquitto libmosquitto-dev linux-perf valgrind)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "showfloor bench: installing ${missing[*]}" >&2
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "showfloor bench: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
  sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
