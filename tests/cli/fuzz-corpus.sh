#!/usr/bin/env bash
# Every fuzz target of tests/fuzz, built against the sanitizer build with
# tests/fuzz/replay.c, runs once over each input of its committed corpus
# (tests/fuzz/corpus/NAME/): a regression the fuzzers once covered fails
# here without fuzzing time. Run by tests/run.sh (make check).
set -eu
build=$(dirname "${GG_BIN:-build/asan/gonggai}")
n=0
for src in tests/fuzz/fuzz_*.c; do
  name=$(basename "$src" .c)
  bin=$build/fuzz/$name
  corpus=tests/fuzz/corpus/$name
  [ -x "$bin" ] || { echo "fuzz-corpus: $bin not built (make check builds it)" >&2; exit 1; }
  [ -d "$corpus" ] && [ -n "$(ls "$corpus")" ] || { echo "fuzz-corpus: $corpus is empty" >&2; exit 1; }
  echo "== $name"
  "$bin" "$corpus"
  n=$((n + 1))
done
echo "fuzz-corpus: $n targets replayed"
