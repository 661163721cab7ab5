#!/usr/bin/env bash
# Install the web application's node packages (echarts, playwright-core) from
# package-lock.json with the machine's Node.js when node_modules is missing or
# older than the lock file. Idempotent; never downloads a browser (the tests
# drive Debian's chromium).
set -eu
cd "$(dirname "$0")/.."
command -v npm >/dev/null || { echo "web-deps: npm not found (install Node.js 20 or later)" >&2; exit 1; }
stamp=node_modules/.package-lock.json
if [ -f "$stamp" ] && [ -d node_modules/echarts ] && [ -d node_modules/playwright-core ] &&
   [ ! package-lock.json -nt "$stamp" ] && [ ! package.json -nt "$stamp" ]; then
  exit 0
fi
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
echo "web-deps: installing node packages" >&2
if [ -f package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
else
  npm install --no-audit --no-fund --loglevel=error
fi
