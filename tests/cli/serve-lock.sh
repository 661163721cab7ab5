#!/usr/bin/env bash
# One server per database: a second `gonggai serve` on the same file refuses
# to start and names the first one's pid; `gonggai restore` names the
# running server as the reason it refuses; once the first server stops
# (SIGTERM, exit 0) a new one starts. Also: bad [server] limits or
# secure_cookies values stop serve naming the key.
set -u
BIN=${GG_BIN:-build/asan/gonggai}
d=$(mktemp -d /tmp/h-serve-lock-XXXXXX); pid=; pid2=
trap 'for p in $pid $pid2; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done; rm -rf "$d"' EXIT
fail=0
ok()  { echo "ok   $*"; }
bad() { echo "FAIL $*"; fail=1; }
db="$d/gg.db"
printf '[ops]\nscheduler = off\n' >"$d/gg.ini"
"$BIN" init --db "$db" --json >/dev/null || { echo "FAIL init"; exit 1; }
"$BIN" init --db "$d/other.db" --json >/dev/null || { echo "FAIL init"; exit 1; }
"$BIN" backup --db "$db" --config "$d/gg.ini" >"$d/backup.out" 2>&1 || { echo "FAIL backup"; exit 1; }
bk=$(tail -n1 "$d/backup.out")

start() { # start OUTFILE: a server in the background; its pid in $started
  "$BIN" serve --db "$db" --config "$d/gg.ini" --listen 127.0.0.1:0 --threads 1 >"$1" 2>"$1.err" &
  started=$!
  for _ in $(seq 1 100); do grep -qs '^listening on' "$1" && return 0; kill -0 "$started" 2>/dev/null || return 1; sleep 0.1; done
  return 1
}
start "$d/one" && pid=$started || bad "first server did not start: $(cat "$d/one.err")"

timeout 20 "$BIN" serve --db "$db" --config "$d/gg.ini" --listen 127.0.0.1:0 >"$d/two" 2>"$d/two.err"
rc=$?
[ "$rc" = 1 ] && ok "second serve refused (exit 1)" || bad "second serve: exit $rc, want 1"
grep -q "pid $pid" "$d/two.err" && ok "second serve names the first one's pid" || bad "no pid in: $(cat "$d/two.err")"
grep -q '^listening' "$d/two" && bad "second serve listened" || ok "second serve did not listen"

"$BIN" restore "$bk" --db "$db" --config "$d/gg.ini" >/dev/null 2>"$d/restore.err"
rc=$?
[ "$rc" != 0 ] && ok "restore refused under the server (exit $rc)" || bad "restore ran under the server"
grep -q "pid $pid" "$d/restore.err" && ok "restore names the running server" || bad "restore: $(cat "$d/restore.err")"

for bad in "secure_cookies = yes" "per_ip_connections = -1" "timeout_seconds = 0" "connection_memory_kib = 1"; do
  key=${bad%% *}
  printf '[ops]\nscheduler = off\n[server]\n%s\n' "$bad" >"$d/bad.ini"
  timeout 20 "$BIN" serve --db "$d/other.db" --config "$d/bad.ini" --listen 127.0.0.1:0 >/dev/null 2>"$d/bad.err"
  rc=$?
  { [ "$rc" = 1 ] || [ "$rc" = 2 ]; } && grep -q "$key" "$d/bad.err" && ok "serve refuses $bad" ||
    bad "serve with $bad: exit $rc: $(cat "$d/bad.err")"
done

kill -TERM "$pid"; wait "$pid"; rc=$?; pid=
[ "$rc" = 0 ] && ok "first server stopped with exit 0" || bad "first server exit $rc"
start "$d/three" && { pid2=$started; ok "a new server starts once the first stopped"; } || bad "restart: $(cat "$d/three.err")"
[ -n "$pid2" ] && { kill -TERM "$pid2"; wait "$pid2"; pid2=; }
exit $fail
