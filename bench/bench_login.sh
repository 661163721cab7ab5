#!/usr/bin/env bash
# Password hashing vs the HTTP workers (issue 12 item 6): GET /api/health
# p50/p99 with the server idle, then while 16 clients keep posting password
# changes that cost argon2 (production parameters: 64 MiB, 2 passes: the old
# password is checked, then the change refused as the second of the day).
# The hashing runs on the auth gate's threads, so health should stay near
# its idle figure. Prints both and the ratio loaded/idle of the p50.
# Usage: bench/bench_login.sh BUILD_DIR   (env: DURATION=5s)
set -u
build=${1:-build/release}
dur=${DURATION:-5s}
BIN=${GG_BENCH_BIN:-./gonggai}
command -v wrk >/dev/null || { echo "wrk not installed (scripts/deps.sh --test)"; exit 1; }
d=$(mktemp -d); pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done; rm -rf "$d"; }
trap cleanup EXIT

# wrk URL -> "p50ms p99ms"
lat() {
  wrk -t1 -c8 -d"$dur" --latency "$1" 2>&1 | awk '
    function ms(v) { if (v ~ /us$/) {sub(/us/,"",v); return v/1000} if (v ~ /ms$/) {sub(/ms/,"",v); return v}
                     sub(/s/,"",v); return v*1000 }
    $1=="50%" {p50=ms($2)} $1=="99%" {p99=ms($2)} END {print p50, p99}'
}

"$BIN" init --db "$d/g.db" --json >"$d/acc.json"
pw=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["accounts"][1]["password"])' "$d/acc.json")
printf '[security]\nadmin_totp = off\nlogin_failures_per_minute = 10000\nlockout_failures = 100\n' >"$d/bench.ini"
"$BIN" serve --db "$d/g.db" --listen 127.0.0.1:0 --threads 2 --config "$d/bench.ini" >"$d/serve.out" 2>"$d/serve.err" &
pids+=($!)
for _ in $(seq 50); do grep -q listening "$d/serve.out" && break; sleep 0.1; done
url=$(sed -n 's/^listening on //p' "$d/serve.out")
curl -s -c "$d/cj" -o /dev/null -H 'Content-Type: application/json' -d "{\"username\":\"secadmin\",\"password\":\"$pw\"}" "$url/api/session"
curl -s -b "$d/cj" -o /dev/null -H 'Content-Type: application/json' \
  -d "{\"old_password\":\"$pw\",\"new_password\":\"Bench-Passw0rd!\"}" "$url/api/me/password"
body='{"old_password":"Bench-Passw0rd!","new_password":"Bench-Passw0rd!"}'
code=$(curl -s -b "$d/cj" -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' -d "$body" "$url/api/me/password")
case $code in 400|409) ;; *) echo "password change answered $code, expected 409 (second change of the day)"; exit 1 ;; esac

read -r idle50 idle99 <<<"$(lat "$url/api/health")"
touch "$d/run"
for i in $(seq 16); do
  ( while [ -e "$d/run" ]; do
      curl -s -b "$d/cj" -o /dev/null -H 'Content-Type: application/json' -d "$body" "$url/api/me/password"
    done ) & pids+=($!)
done
sleep 1
read -r load50 load99 <<<"$(lat "$url/api/health")"
rm -f "$d/run"
printf 'GET /api/health idle                      p50 %7.2f ms   p99 %7.2f ms\n' "$idle50" "$idle99"
printf 'GET /api/health, 16 password changes busy p50 %7.2f ms   p99 %7.2f ms\n' "$load50" "$load99"
awk -v a="$idle50" -v b="$load50" 'BEGIN { printf "ratio p50 loaded/idle     %.2fx   (issue: 682 ms p50 before)\n", (a > 0 ? b/a : 0) }'
