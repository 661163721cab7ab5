#!/bin/sh
# lint.sh: cppcheck over src/ with a short, curated set of checks: its
# default error checks plus `warning` (undefined behaviour, leaks, misuse of
# APIs) and `portability`; no style checks (the code's style is its own).
# Findings judged wrong are listed with their reason in scripts/cppcheck.supp.
# Run by `make check`; alone: scripts/lint.sh (needs cppcheck, scripts/deps.sh --test).
set -eu
cd "$(dirname "$0")/.."
command -v cppcheck >/dev/null || { echo "lint: cppcheck missing (scripts/deps.sh --test)" >&2; exit 1; }
out=$(cppcheck -q -j2 --std=c11 -D_GNU_SOURCE -DGG_TESTING --library=scripts/cppcheck.cfg \
	--enable=warning,portability --suppress=missingIncludeSystem \
	--suppressions-list=scripts/cppcheck.supp --error-exitcode=1 \
	--template='{file}:{line}: {severity}: {message} [{id}]' src 2>&1) && rc=0 || rc=$?
[ -n "$out" ] && echo "$out"
[ "$rc" = 0 ] && echo "lint: ok"
exit "$rc"
