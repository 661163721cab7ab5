#!/usr/bin/env bash
# Run every benchmark binary of a release build in turn: BUILD/bench/bench_*.
# Each prints its own absolute figures and ratio lines against a baseline
# measured in the same run; this script prints a header per benchmark and
# exits non-zero when any benchmark does (a missed target or wrong answers).
# Usage: bench/run.sh BUILD_DIR   (make bench passes the release build dir)
set -u
build=${1:-build/release}
status=0; ran=0
for b in "$build"/bench/bench_*; do
  [ -x "$b" ] || continue
  ran=$((ran+1))
  printf '== %s\n' "$(basename "$b")"
  "$b" || { status=1; printf '!! %s exited non-zero\n' "$(basename "$b")"; }
done
for s in bench/bench_*.sh; do
  [ -f "$s" ] || continue
  ran=$((ran+1))
  printf '== %s\n' "$(basename "$s" .sh)"
  bash "$s" "$build" || { status=1; printf '!! %s exited non-zero\n' "$(basename "$s")"; }
done
[ "$ran" -gt 0 ] || echo "no benchmarks found in $build/bench"
exit $status
