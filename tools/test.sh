#!/usr/bin/env bash
# The whole test suite: installs what is missing, builds, runs every test in a normal build
# and again in an AddressSanitizer + UndefinedBehaviorSanitizer build. Non-zero on failure.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
bash tools/deps.sh

jobs=$(nproc)
status=0
# run_suite DIR "CTEST ARGS" CMAKE ARGS...
run_suite() {
  local dir="$1" ctest_args="$2"; shift 2
  echo "== build $dir"
  bash tools/build.sh "$dir" -DSHOWFLOOR_WERROR=ON "$@"
  echo "== test $dir"
  # shellcheck disable=SC2086 # ctest_args is a list of words
  if ! (cd "$dir" && ctest --output-on-failure -j"$jobs" --timeout 300 $ctest_args); then
    status=1
  fi
}

run_suite build "" -DCMAKE_BUILD_TYPE=RelWithDebInfo
# The benchmark smoke test measures nothing meaningful under the sanitizers: normal build only.
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
  run_suite build-asan "-E tools_bench" -DCMAKE_BUILD_TYPE=Debug -DSHOWFLOOR_SANITIZE=address,undefined
exit $status
