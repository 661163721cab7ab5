#!/usr/bin/env bash
# HTTP benchmark of the foundation (issue 2): a bare libmicrohttpd handler vs
# GET /api/health vs an authenticated GET /api/users/{id}, same machine, same
# run. Server pinned to core 0 with one worker thread, wrk (1 thread, 32
# connections) on core 1. Prints req/s and p99 of each and the ratios.
# Usage: bench/bench_http.sh BUILD_DIR   (env: DURATION=5s)
set -u
build=${1:-build/release}
dur=${DURATION:-5s}
BIN=${GG_BENCH_BIN:-./gonggai}
command -v wrk >/dev/null || { echo "wrk not installed (scripts/deps.sh --test)"; exit 1; }
d=$(mktemp -d); pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done; rm -rf "$d"; }
trap cleanup EXIT
pin_srv="taskset -c 0"; pin_wrk="taskset -c 1"
[ "$(nproc)" -ge 2 ] || { pin_srv=""; pin_wrk=""; }

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
# run NAME URL [HEADER] -> "reqs p99ms"
measure() {
  local out
  out=$($pin_wrk wrk -t1 -c32 -d"$dur" --latency ${3:+-H "$3"} "$2" 2>&1)
  local rps p99
  rps=$(awk '/^Requests\/sec/ {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {v=$2; if (v ~ /us$/) {sub(/us/,"",v); v/=1000} else if (v ~ /ms$/) {sub(/ms/,"",v)} else if (v ~ /s$/) {sub(/s/,"",v); v*=1000}; print v}' <<<"$out")
  local non2xx
  non2xx=$(awk '/Non-2xx/ {print $NF}' <<<"$out")
  [ -n "$non2xx" ] && echo "  warning: $1 had $non2xx non-2xx answers" >&2
  printf '%-28s %10.0f req/s   p99 %6.2f ms\n' "$1" "$rps" "$p99" >&2
  echo "$rps $p99"
}

# servers first, then measure in alternating rounds and keep each one's best,
# so a burst of load from elsewhere does not favour one side
port=$(free_port)
$pin_srv "$build/bench/bare_mhd" "$port" 1 >"$d/bare.out" & pids+=($!)
"$BIN" init --db "$d/g.db" --json >"$d/acc.json"
pw=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["accounts"][1]["password"])' "$d/acc.json")
# the authenticated GET is the secadmin's: without its TOTP factor (a login
# per run would need an enrolment first; the factor costs nothing per request)
printf '[security]\nadmin_totp = off\n' >"$d/bench.ini"
$pin_srv "$BIN" serve --db "$d/g.db" --listen 127.0.0.1:0 --threads 1 --config "$d/bench.ini" >"$d/serve.out" 2>"$d/serve.err" & pids+=($!)
for _ in $(seq 50); do grep -q listening "$d/serve.out" && break; sleep 0.1; done
url=$(sed -n 's/^listening on //p' "$d/serve.out")
curl -s -c "$d/cj" -o /dev/null -H 'Content-Type: application/json' -d "{\"username\":\"secadmin\",\"password\":\"$pw\"}" "$url/api/session"
curl -s -b "$d/cj" -o /dev/null -H 'Content-Type: application/json' \
  -d "{\"old_password\":\"$pw\",\"new_password\":\"Bench-Passw0rd!\"}" "$url/api/me/password"
tok=$(awk '$6=="gg_session" {print $7}' "$d/cj")
code=$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: gg_session=$tok" "$url/api/users/1")
[ "$code" = 200 ] || { echo "authenticated GET answered $code"; exit 1; }
best() { awk -v a="$1" -v b="$2" 'BEGIN {split(a,x," "); split(b,y," "); print (x[1] >= y[1] ? a : b)}'; }
bare="0 0"; health="0 0"; user="0 0"
for round in 1 2; do
  bare=$(best "$bare" "$(measure "bare MHD handler" "http://127.0.0.1:$port/ping")")
  health=$(best "$health" "$(measure "GET /api/health" "$url/api/health")")
  user=$(best "$user" "$(measure "GET /api/users/1 (auth)" "$url/api/users/1" "Cookie: gg_session=$tok")")
done
read -r bare_rps bare_p99 <<<"$bare"; read -r h_rps h_p99 <<<"$health"; read -r u_rps u_p99 <<<"$user"
printf 'best: bare %.0f req/s p99 %.2f ms | health %.0f req/s p99 %.2f ms | auth GET %.0f req/s p99 %.2f ms\n' \
  "$bare_rps" "$bare_p99" "$h_rps" "$h_p99" "$u_rps" "$u_p99"
awk -v b="$bare_rps" -v h="$h_rps" -v u="$u_rps" 'BEGIN {
  printf "ratio health/bare        %.2fx\n", h/b;
  printf "ratio auth GET/bare      %.2fx   (target >= 0.50x) %s\n", u/b, (u/b >= 0.5 ? "met" : "MISSED");
}'
