#!/usr/bin/env bash
# What a new user hit on the command line (issue 14): a fresh demo has an
# account for every department and role, an O&M and a catalogue account,
# nothing later than now, no stuck case, history rows that count in the
# accounts' 已办, place names in their district; `case todo` without --as is a
# usage error and `case act` without --as says on whose behalf it acts; the
# case table is aligned by display width (Chinese status names); serve on a
# busy port names the address and the port; `user list --role` with an unknown
# role is a usage error and a weak password in `user add` names `password`.
set -u
BIN=${GG_BIN:-build/asan/gonggai}
d=$(mktemp -d); trap 'rm -rf "$d"' EXIT
fail=0
ok()  { echo "ok   $*"; }
bad() { echo "FAIL $*"; fail=1; }
expect() { # expect CODE DESCRIPTION -- command...
  local want=$1 what=$2; shift 3
  "$@" >"$d/out" 2>"$d/err"; local got=$?
  if [ "$got" = "$want" ]; then ok "$what"; else bad "$what: exit $got, want $want"; cat "$d/err"; fi
}
db="$d/demo.db"
sql() { sqlite3 "$db" "$1"; }

# default --as-of (today): nothing after the moment it ran
expect 0 "demo with the default --as-of" -- "$BIN" demo --db "$db" --projects 150 --seed 5
ran=$(date +%s)
[ "$(sql "SELECT count(*) FROM case_status WHERE at > $ran")" = 0 ] && ok "no event after now" \
  || bad "events after now: $(sql "SELECT count(*) FROM case_status WHERE at > $ran")"
[ "$(sql "SELECT count(*) FROM cases WHERE received_at > $ran OR coalesce(final_at, 0) > $ran")" = 0 ] \
  && ok "no case received or finished after now" || bad "cases after now"

# accounts: every department has a clerk, a reviewer and a head; ops and catalogue exist
missing=$(sql "SELECT count(*) FROM departments d, (SELECT 'clerk' r UNION SELECT 'reviewer' UNION SELECT 'head') r
  WHERE NOT EXISTS (SELECT 1 FROM users u JOIN user_roles ur ON ur.user_id = u.id
                    WHERE u.department_code = d.code AND ur.role = r.r AND u.active = 1)")
[ "$missing" = 0 ] && ok "every department has clerk, reviewer and head" || bad "$missing department roles without account"
for u in demo_ops demo_catalog demo_leader demo_auditor demo_zjj_reviewer demo_610203_xsp_clerk; do
  grep -q "^  $u " "$d/out" && ok "account $u listed" || bad "account $u not listed"
done
[ "$(sql "SELECT count(*) FROM users u JOIN user_roles r ON r.user_id = u.id WHERE r.role = 'ops'")" -ge 1 ] \
  && ok "an O&M account" || bad "no ops account"

# a fresh demo is stuck-free
expect 0 "cases.stuck OK on a fresh demo" -- "$BIN" inspect --db "$db" --only cases.stuck
grep -q "^OK *cases.stuck" "$d/out" && ok "cases.stuck reads OK" || { bad "cases.stuck"; cat "$d/out"; }

# history rows belong to accounts: 已办 is not empty
[ "$(sql "SELECT count(*) FROM case_status WHERE user_id IS NULL")" = 0 ] && ok "every history row names an account" \
  || bad "history rows without account"
expect 0 "case done --as a reviewer" -- "$BIN" case done --db "$db" --as demo_zrzy_reviewer --json
total=$(python3 -c "import json; print(json.load(open('$d/out'))['total'])")
[ "$total" -gt 0 ] && ok "已办 of demo_zrzy_reviewer: $total" || bad "已办 empty"

# place names in their own district (陈炉 is in 印台区)
[ "$(sql "SELECT count(*) FROM projects WHERE name LIKE '%陈炉%' AND division_code <> '610203'")" = 0 ] \
  && ok "陈炉 only in 印台区" || bad "陈炉 outside 印台区"
[ "$(sql "SELECT count(*) FROM projects WHERE name LIKE '%照金%' AND division_code <> '610204'")" = 0 ] \
  && ok "照金 only in 耀州区" || bad "照金 outside 耀州区"

# case work without --as
expect 2 "case todo without --as is a usage error" -- "$BIN" case todo --db "$db"
grep -q -- "--as" "$d/err" && ok "the message names --as" || bad "todo message: $(cat "$d/err")"
expect 2 "case done without --as is a usage error" -- "$BIN" case done --db "$db"
expect 2 "user list with a role that does not exist is a usage error" -- "$BIN" user list --db "$db" --role nonsense
grep -q "nonsense" "$d/err" && ok "the message names the role" || bad "role message: $(cat "$d/err")"
expect 1 "user add with a weak password" -- "$BIN" user add --db "$db" --username weakling --password abc \
  --role clerk --department 610200-XSP
grep -q "^gonggai: password:" "$d/err" && ok "the weak password names the field password" || bad "field: $(cat "$d/err")"
expect 0 "user list --role clerk" -- "$BIN" user list --db "$db" --role clerk
grep -q "demo_610203_xsp_clerk" "$d/out" && ok "the clerks are listed" || bad "clerks: $(head -3 "$d/out")"
id=$(sql "SELECT id FROM cases WHERE open = 1 AND status = 1 LIMIT 1")
if [ -n "$id" ]; then
  expect 0 "case act without --as" -- "$BIN" case act --db "$db" --case "$id" --action accept
  grep -q "on behalf of the bureau" "$d/err" && ok "act without --as says on whose behalf" || bad "no note: $(cat "$d/err")"
  [ "$(sql "SELECT count(*) FROM audit_log WHERE action LIKE 'case.%' AND username LIKE 'cli:%'")" -ge 1 ] \
    && ok "the act is audited as the command line" || bad "not audited"
  expect 1 "the state machine still applies" -- "$BIN" case act --db "$db" --case "$id" --action accept
fi

# the table is aligned by display width: the column after the status starts at one place
expect 0 "case list table" -- "$BIN" case list --db "$db" --as demo_leader --page-size 30
python3 - "$d/out" <<'EOF' && ok "case table columns aligned by display width" || bad "case table misaligned"
import sys, unicodedata
def width(s):
    return sum(2 if unicodedata.east_asian_width(c) in 'WF' else 1 for c in s)
lines = [l.rstrip('\n') for l in open(sys.argv[1], encoding='utf-8') if l[:1].isdigit()]
# the due column (after the Chinese status) starts at the same display column on every row
starts = set()
for l in lines:
    parts = l.split()
    pos = l.index(' ' + parts[5] + ' ', len(' '.join(parts[:5])))
    starts.add(width(l[:pos]))
sys.exit(0 if len(lines) > 5 and len(starts) == 1 else 1)
EOF

# the inspection table too: values and thresholds carry Chinese units
"$BIN" inspect --db "$db" --only cases.stuck,db.size,calendar.next_year >"$d/out" 2>/dev/null
python3 - "$d/out" <<'EOF' && ok "inspect table aligned by display width" || { bad "inspect table misaligned"; cat "$d/out"; }
import sys, unicodedata
def width(c):
    return 2 if unicodedata.east_asian_width(c) in 'WF' else 1
rows = [l.rstrip('\n') for l in open(sys.argv[1], encoding='utf-8')][1:]
# MESSAGE starts at display column 70 (8+1, 22+1, 12+1, 24+1) on every row, after a space
def at(line, col):
    w = 0
    for i, c in enumerate(line):
        if w == col:
            return line[i - 1], c
        w += width(c)
    return None, None
ok = len(rows) == 4
for l in rows:
    before, c = at(l, 70)
    ok = ok and before == ' ' and c not in (None, ' ')
sys.exit(0 if ok else 1)
EOF

# serve on a busy port names the address and the port (another database: only the port is shared)
"$BIN" init --db "$d/other.db" >/dev/null 2>&1
"$BIN" serve --db "$db" --listen 127.0.0.1:0 >"$d/serve.out" 2>"$d/serve.err" &
spid=$!
for _ in $(seq 100); do grep -q listening "$d/serve.out" && break; sleep 0.1; done
port=$(sed -n 's/^listening on http:\/\/127.0.0.1://p' "$d/serve.out")
if [ -n "$port" ]; then
  expect 1 "a second server on a busy port fails" -- "$BIN" serve --db "$d/other.db" --listen "127.0.0.1:$port"
  grep -q "127.0.0.1:$port" "$d/err" && grep -q "port $port" "$d/err" && ! grep -q "port 0" "$d/err" \
    && ok "the message names 127.0.0.1:$port" || bad "busy-port message: $(cat "$d/err")"
else
  bad "serve did not start: $(cat "$d/serve.err")"
fi
kill "$spid" 2>/dev/null; wait "$spid" 2>/dev/null

[ "$fail" = 0 ] && echo "newuser: all passed" || echo "newuser: FAILED"
exit "$fail"
