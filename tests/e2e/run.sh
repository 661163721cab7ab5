#!/usr/bin/env bash
# Browser tests: installs the node packages when missing (scripts/web-deps.sh),
# then runs tests/e2e/run.mjs with the machine's Node.js against $GG_BIN
# (tests/run.sh exports it; default ./gonggai) and Debian's /usr/bin/chromium.
# Usage: tests/e2e/run.sh [PATTERN]   (PATTERN: a regexp of test names)
# Exits non-zero on any failure; prints "e2e: N passed, N failed".
set -eu
cd "$(dirname "$0")/../.."
export GG_BIN=${GG_BIN:-$PWD/gonggai}
if [ ! -x "$GG_BIN" ]; then
  echo "e2e: no server binary at $GG_BIN (build it or set GG_BIN)" >&2
  exit 1
fi
command -v node >/dev/null || { echo "e2e: node not found" >&2; exit 1; }
chromium=${CHROMIUM:-/usr/bin/chromium}
if [ ! -x "$chromium" ]; then
  echo "e2e: $chromium not found (scripts/deps.sh --test installs Debian's chromium)" >&2
  exit 1
fi
scripts/web-deps.sh
# every module of the web application must at least parse
bad=0
for f in web/*.js web/js/*.js web/pages/*.js; do
  node --experimental-default-type=module --check "$f" >/dev/null 2>&1 ||
    { echo "e2e: syntax error in $f:" >&2; node --experimental-default-type=module --check "$f" 2>&1 | head -5 >&2; bad=1; }
done
[ "$bad" -eq 0 ] || { echo "e2e: 0 passed, 1 failed (syntax)"; exit 1; }
exec node tests/e2e/run.mjs "$@"
