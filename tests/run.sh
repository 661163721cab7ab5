#!/usr/bin/env bash
# Run every test of the sanitizer build: each cmocka binary in BUILD/tests,
# then every script in tests/cli/*.sh and tests/e2e/run.sh when present.
# Prints one line per test program and ends with "N passed, N failed".
# Usage: tests/run.sh BUILD_DIR
set -u
build=${1:-build/asan}
export GG_BIN="$PWD/$build/gonggai"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
pass=0; fail=0; failed=()
logdir="$build/test-logs"; mkdir -p "$logdir"
run_one() {
  local name=$1; shift
  local log="$logdir/$name.log"
  if "$@" >"$log" 2>&1; then
    pass=$((pass+1)); printf 'PASS %s\n' "$name"
  else
    fail=$((fail+1)); failed+=("$name"); printf 'FAIL %s\n' "$name"; tail -n 40 "$log"
  fi
  grep -E '^\[  (PASSED|FAILED)  \]' "$log" | sed 's/^/     /'
}
for t in "$build"/tests/test_*; do
  [ -x "$t" ] || continue
  run_one "$(basename "$t")" "$t"
done
for s in tests/cli/*.sh; do
  [ -f "$s" ] || continue
  run_one "$(basename "$s" .sh)" bash "$s"
done
if [ -f tests/e2e/run.sh ]; then
  run_one e2e bash tests/e2e/run.sh
fi
[ ${#failed[@]} -gt 0 ] && printf 'failed: %s\n' "${failed[*]}"
printf '%d passed, %d failed\n' "$pass" "$fail"
[ "$fail" -eq 0 ]
