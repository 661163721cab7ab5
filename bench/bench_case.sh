#!/usr/bin/env bash
# 办件 benchmarks (issue 5), same run:
#  - demo generation rate: `gonggai demo` on DEMO_PROJECTS projects (default
#    90000, ~1 000 000 办件), 办件/s and the time for 1 M;
#  - P1: GET /api/cases/{id} (authenticated, a case with a full history) vs
#    the bare libmicrohttpd handler (bench/bare_mhd.c). Server pinned to core
#    0 with one worker thread, wrk (1 thread, 32 connections) on core 1;
#    alternating rounds, best of each. Targets: >= 0.50x, p99 <= 5 ms.
# P2 (durable transitions) is bench/bench_case_commit.c.
# Usage: bench/bench_case.sh BUILD_DIR   (env: DURATION=5s DEMO_PROJECTS=20000
#        GG_BENCH_BIN=./gonggai)
set -u
build=${1:-build/release}
dur=${DURATION:-5s}
BIN=${GG_BENCH_BIN:-./gonggai}
N=${DEMO_PROJECTS:-90000}
command -v wrk >/dev/null || { echo "wrk not installed (scripts/deps.sh --test)"; exit 1; }
d=$(mktemp -d); pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done; rm -rf "$d"; }
trap cleanup EXIT
pin_srv="taskset -c 0"; pin_wrk="taskset -c 1"
[ "$(nproc)" -ge 2 ] || { pin_srv=""; pin_wrk=""; }
status=0

# ---- demo generation rate ---------------------------------------------------
"$BIN" demo --db "$d/g.db" --projects "$N" --seed 1 >"$d/demo.out" 2>&1 || { cat "$d/demo.out"; exit 1; }
grep '^generated' "$d/demo.out"
rate=$(sed -n 's/^generated .*: \([0-9]*\) 办件\/s.*/\1/p' "$d/demo.out")
cases=$(awk '/^generated/ {print $2}' "$d/demo.out")
awk -v r="$rate" 'BEGIN { printf "demo: %.0f 办件/s; 1 M 办件 in %.1f s (target under 60 s) %s\n",
  r, 1e6 / r, (1e6 / r < 60 ? "met" : "MISSED") }'
awk -v r="$rate" 'BEGIN { exit (1e6 / r < 60 ? 0 : 1) }' || status=1

# ---- P1 ------------------------------------------------------------------------
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
measure() { # NAME URL [HEADER] -> "reqs p99ms"
  local out rps p99 non2xx
  out=$($pin_wrk wrk -t1 -c32 -d"$dur" --latency ${3:+-H "$3"} "$2" 2>&1)
  rps=$(awk '/^Requests\/sec/ {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {v=$2; if (v ~ /us$/) {sub(/us/,"",v); v/=1000} else if (v ~ /ms$/) {sub(/ms/,"",v)} else if (v ~ /s$/) {sub(/s/,"",v); v*=1000}; print v}' <<<"$out")
  non2xx=$(awk '/Non-2xx/ {print $NF}' <<<"$out")
  [ -n "$non2xx" ] && echo "  warning: $1 had $non2xx non-2xx answers" >&2
  printf '%-30s %10.0f req/s   p99 %6.2f ms\n' "$1" "$rps" "$p99" >&2
  echo "$rps $p99"
}
port=$(free_port)
$pin_srv "$build/bench/bare_mhd" "$port" 1 >"$d/bare.out" & pids+=($!)
$pin_srv "$BIN" serve --db "$d/g.db" --listen 127.0.0.1:0 --threads 1 --config /dev/null >"$d/serve.out" 2>"$d/serve.err" & pids+=($!)
for _ in $(seq 100); do grep -q listening "$d/serve.out" && break; sleep 0.1; done
url=$(sed -n 's/^listening on //p' "$d/serve.out")
curl -s -c "$d/cj" -o /dev/null -H 'Content-Type: application/json' \
  -d '{"username":"demo_leader","password":"Demo-Passw0rd!"}' "$url/api/session"
tok=$(awk '$6=="gg_session" {print $7}' "$d/cj")
# a concluded case with a supplement: a long history and sub-lists
id=$(sqlite3 "$d/g.db" "SELECT c.id FROM cases c JOIN case_supplements s ON s.case_id = c.id
  WHERE c.status = 11 AND s.after_acceptance ORDER BY c.id LIMIT 1")
code=$(curl -s -o "$d/case.json" -w '%{http_code}' -H "Cookie: gg_session=$tok" "$url/api/cases/$id")
[ "$code" = 200 ] || { echo "GET /api/cases/$id answered $code"; cat "$d/case.json"; exit 1; }
echo "P1 case $id: $(wc -c <"$d/case.json") bytes, $(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["history"]))' "$d/case.json") history rows; database $cases 办件"
best() { awk -v a="$1" -v b="$2" 'BEGIN {split(a,x," "); split(b,y," "); print (x[1] >= y[1] ? a : b)}'; }
bare="0 0"; detail="0 0"
for round in 1 2 3; do
  bare=$(best "$bare" "$(measure "bare MHD handler" "http://127.0.0.1:$port/ping")")
  detail=$(best "$detail" "$(measure "GET /api/cases/{id} (auth)" "$url/api/cases/$id" "Cookie: gg_session=$tok")")
done
read -r b_rps b_p99 <<<"$bare"; read -r c_rps c_p99 <<<"$detail"
printf 'P1 best: bare %.0f req/s p99 %.2f ms | case detail %.0f req/s p99 %.2f ms\n' "$b_rps" "$b_p99" "$c_rps" "$c_p99"
awk -v b="$b_rps" -v c="$c_rps" -v p="$c_p99" 'BEGIN {
  printf "P1 ratio case detail/bare   %.2fx   (target >= 0.50x) %s\n", c/b, (c/b >= 0.5 ? "met" : "MISSED");
  printf "P1 p99 case detail          %.2f ms (target <= 5 ms) %s\n", p, (p <= 5 ? "met" : "MISSED");
  exit (c/b >= 0.5 && p <= 5) ? 0 : 1 }' || status=1
exit $status
