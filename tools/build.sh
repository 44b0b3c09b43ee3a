#!/usr/bin/env bash
# Configures and builds one build directory: tools/build.sh DIR [cmake args...].
# Incremental: a second run only rebuilds what changed.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
dir="$1"; shift
if [ ! -f "$dir/CMakeCache.txt" ]; then
  cmake -S "$root" -B "$dir" "$@" >/dev/null
fi
cmake --build "$dir" -j"$(nproc)" >/dev/null || cmake --build "$dir" -j1
