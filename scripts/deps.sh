#!/usr/bin/env bash
# Install the Debian packages gonggai builds and tests with. Idempotent: only
# missing packages are installed; as non-root it only reports what is missing.
#   scripts/deps.sh          build + run dependencies
#   scripts/deps.sh --test   also test helpers (wrk, promtool, openpyxl, chromium, fonts, PostgreSQL, jq,
#                            clang with libFuzzer for make fuzz)
set -eu
pkgs="build-essential pkg-config sqlite3 libsqlite3-dev libmicrohttpd-dev libjansson-dev
      libsodium-dev libinih-dev libxlsxwriter-dev libcurl4-openssl-dev liboath-dev libqrencode-dev libpq-dev
      libzip-dev libexpat1-dev"
if [ "${1:-}" = "--test" ]; then
  pkgs="$pkgs libcmocka-dev python3-openpyxl prometheus wrk chromium fonts-noto-cjk curl zbar-tools librsvg2-bin clang libclang-rt-14-dev postgresql jq"
fi
missing=""
for p in $pkgs; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" != 0 ]; then
  echo "deps: missing Debian packages:$missing (run as root: apt-get install$missing)" >&2
  exit 1
fi
echo "deps: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null || true
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
