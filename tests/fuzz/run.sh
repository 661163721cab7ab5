#!/usr/bin/env bash
# Run every libFuzzer target of BUILD (make fuzz) for FUZZ_SECONDS each
# (default 60), starting from its committed corpus tests/fuzz/corpus/NAME/;
# new inputs go to BUILD/corpus/NAME/ (the committed corpus stays as it is;
# merge by hand: BUILD/NAME -merge=1 tests/fuzz/corpus/NAME BUILD/corpus/NAME).
# Prints one line per target with its executions and time; a crash stops
# that target, leaves the input in BUILD/crash-NAME-* and fails the run.
# Usage: tests/fuzz/run.sh BUILD_DIR
set -u
build=${1:-build/fuzz}
secs=${FUZZ_SECONDS:-60}
fail=0
for bin in "$build"/fuzz_*; do
  [ -x "$bin" ] || continue
  name=$(basename "$bin")
  seeds=tests/fuzz/corpus/$name
  work=$build/corpus/$name
  mkdir -p "$work" "$seeds"
  log=$build/$name.log
  start=$(date +%s)
  if "$bin" -max_total_time="$secs" -print_final_stats=1 -timeout=10 -rss_limit_mb=2048 \
       -artifact_prefix="$build/crash-$name-" "$work" "$seeds" >"$log" 2>&1; then
    status=PASS
  else
    status=FAIL; fail=1
  fi
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n1)
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -n1)
  printf '%s %s: %s executions in %ss, %s, corpus %s files\n' "$status" "$name" "${execs:-?}" \
    "$(( $(date +%s) - start ))" "${cov:-cov: ?}" "$(ls "$work" | wc -l)"
  [ "$status" = FAIL ] && grep -E 'ERROR|SUMMARY|invariant' "$log" | head -n 5
done
exit $fail
