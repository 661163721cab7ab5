#!/usr/bin/env bash
# Foundation from the command line: init (json, refusal to overwrite), usage
# exit codes, user verbs, audit verify with tampering, serve with SIGTERM,
# /metrics through promtool, X-Forwarded-For only from trusted proxies.
set -u
BIN=${GG_BIN:-build/asan/gonggai}
d=$(mktemp -d); trap 'kill $pid 2>/dev/null; rm -rf "$d"' EXIT
pid=
fail=0
ok()  { echo "ok   $*"; }
bad() { echo "FAIL $*"; fail=1; }
expect() { # expect CODE DESCRIPTION -- command...
  local want=$1 what=$2; shift 3
  "$@" >"$d/out" 2>"$d/err"; local got=$?
  if [ "$got" = "$want" ]; then ok "$what"; else bad "$what: exit $got, want $want"; cat "$d/err"; fi
}

expect 0 "help" -- "$BIN" --help
expect 2 "no verb" -- "$BIN"
expect 2 "unknown verb" -- "$BIN" frobnicate
expect 0 "init --help" -- "$BIN" init --help
expect 2 "init unknown option" -- "$BIN" init --db "$d/x.db" --colour
expect 2 "init without --db" -- "$BIN" init
expect 0 "init --json" -- "$BIN" init --db "$d/g.db" --json
python3 -c '
import json,sys
j=json.load(open(sys.argv[1]))
names=[a["username"] for a in j["accounts"]]
assert names==["sysadmin","secadmin","auditor"], names
assert all(len(a["password"])>=8 for a in j["accounts"])
assert list(j)==["accounts"]
' "$d/out" && ok "init json shape" || bad "init json shape"
cp "$d/out" "$d/accounts.json"
expect 1 "init refuses an existing database" -- "$BIN" init --db "$d/g.db"
grep -q "exists\|已存在" "$d/err" && ok "init says why" || bad "init message"
expect 0 "user add" -- "$BIN" user add --db "$d/g.db" --username clerk1 --password 'Init-Passw0rd!' --role clerk --department 610202-XSP
expect 1 "user add weak password" -- "$BIN" user add --db "$d/g.db" --username c2 --password weak --role clerk
expect 2 "user add without role" -- "$BIN" user add --db "$d/g.db" --username c2 --password 'Init-Passw0rd!'
expect 1 "user add unknown department" -- "$BIN" user add --db "$d/g.db" --username c3 --password 'Init-Passw0rd!' --role clerk --department nope
expect 0 "user grant" -- "$BIN" user grant --db "$d/g.db" --username clerk1 --role reviewer
expect 1 "user grant incompatible admin role" -- "$BIN" user grant --db "$d/g.db" --username clerk1 --role auditor
expect 0 "user list" -- "$BIN" user list --db "$d/g.db"
grep -q "clerk,reviewer" "$d/out" && ok "list shows roles" || bad "list roles"
expect 0 "user disable" -- "$BIN" user disable --db "$d/g.db" --username clerk1
expect 0 "user reset-password" -- "$BIN" user reset-password --db "$d/g.db" --username clerk1
grep -q "one-time password" "$d/out" && ok "reset prints password" || bad "reset output"
expect 1 "user on missing database" -- "$BIN" user list --db "$d/none.db"
expect 0 "audit verify" -- "$BIN" audit verify --db "$d/g.db"
grep -q "audit chain ok: [0-9]* records" "$d/out" && ok "verify message" || bad "verify message"

# serve: health, metrics through promtool, XFF, SIGTERM
cat >"$d/gonggai.ini" <<INI
[server]
trusted_proxies = 127.0.0.1
[security]
argon2_memlimit_kib = 8192
INI
"$BIN" serve --db "$d/g.db" --listen 127.0.0.1:0 --config "$d/gonggai.ini" >"$d/serve.out" 2>"$d/serve.err" &
pid=$!
for _ in $(seq 50); do grep -q listening "$d/serve.out" && break; sleep 0.1; done
url=$(sed -n 's/^listening on //p' "$d/serve.out")
[ -n "$url" ] && ok "serve listening" || bad "serve did not start"
curl -sf "$url/api/health" | grep -q '"status":"ok"' && ok "health" || bad "health"
pw=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["accounts"][0]["password"])' "$d/accounts.json")
curl -s -o /dev/null -H 'Content-Type: application/json' -H 'X-Forwarded-For: 203.0.113.9' \
  -d "{\"username\":\"sysadmin\",\"password\":\"$pw\"}" "$url/api/session"
curl -sf "$url/metrics" >"$d/metrics" && ok "metrics" || bad "metrics"
if command -v promtool >/dev/null; then
  promtool check metrics <"$d/metrics" >"$d/lint" 2>&1 && ok "promtool check metrics" || { bad "promtool"; cat "$d/lint"; }
fi
kill -TERM $pid; wait $pid; rc=$?
[ $rc = 0 ] && ok "SIGTERM exits 0" || bad "SIGTERM exit $rc"
pid=
sqlite3 "$d/g.db" "select source from audit_log where action='session.login' order by id desc limit 1" | grep -q 203.0.113.9 \
  && ok "X-Forwarded-For from a trusted proxy is audited" || bad "XFF source"
expect 0 "audit verify after serving" -- "$BIN" audit verify --db "$d/g.db"

# tampering outside the program
sqlite3 "$d/g.db" "drop trigger audit_log_no_update; update audit_log set outcome='failure' where id=3"
expect 1 "audit verify detects an altered row" -- "$BIN" audit verify --db "$d/g.db"
grep -q "record 3" "$d/out" && ok "names record 3" || { bad "names the bad record"; cat "$d/out"; }
exit $fail
