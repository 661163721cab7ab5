#!/usr/bin/env bash
# The round trip of issue 18: a demo database is reported through the
# exchange into a PostgreSQL front DB (tests/pg.sh, the province simulator
# tests/exchange/province.sql accepting rows), then `gonggai import spgl`
# reads that front DB into a freshly initialised database. The import must
# give the same projects, units, 办件 and status sequences (the status
# changes the front DB holds), count in the statistics (stats check equal),
# write one audit row, and a push from the new database must not send the
# imported rows back. A dry run writes nothing; a second import is refused
# row by row. A repair of an imported 办件 is then sent as a correction.
# Uses $GG_BIN; skipped (exit 0 with a note) without PostgreSQL.
set -u
bin=${GG_BIN:?GG_BIN must name the gonggai binary}
here=$(cd "$(dirname "$0")/.." && pwd)
fails=0; checks=0
tmp=$(mktemp -d)
cleanup() { "$here/pg.sh" stop "$tmp/pg" >/dev/null 2>&1; rm -rf "$tmp"; }
trap cleanup EXIT
ok() { checks=$((checks+1)); }
fail() { checks=$((checks+1)); fails=$((fails+1)); echo "FAIL $*"; }
expect() { if [ "$2" = "$3" ]; then ok; else fail "$1: got '$2', want '$3'"; fi; }

ls -d /usr/lib/postgresql/*/bin >/dev/null 2>&1 || { echo "import_spgl.sh: no PostgreSQL, skipped"; exit 0; }
ci=$("$here/pg.sh" start "$tmp/pg") || { echo "FAIL cannot start PostgreSQL"; exit 1; }
psql "$ci" -qc "CREATE DATABASE front" >/dev/null
front="${ci/dbname=postgres/dbname=front}"
psql "$front" -q -v ON_ERROR_STOP=1 -f "$here/exchange/spgl-ddl.sql" >/dev/null || fail "ddl"
q() { psql "$front" -tAc "$1"; }
a="$tmp/a.db"; b="$tmp/b.db"
"$bin" demo --db "$a" --projects 25 --seed 11 >/dev/null 2>&1 || fail "demo"
push() { "$bin" exchange push --db "$1" --target "$front" >"$tmp/push.out" 2>"$tmp/push.err"; }
sent() { sed -n 's/^rows sent \([0-9]*\),.*/\1/p' "$tmp/push.out"; }
for _ in 1 2 3 4 5 6 7 8 9 10 11 12; do
  push "$a" || { fail "push: $(cat "$tmp/push.err")"; break; }
  [ "$(sent)" = 0 ] && break
  psql "$front" -q -v ON_ERROR_STOP=1 -f "$here/exchange/province.sql" >/dev/null || fail "province"
done
expect "every 办件 in the front DB" "$(q 'SELECT count(DISTINCT spsxslbm) FROM spgl_xmspsxblxxb')" \
  "$(sqlite3 "$a" 'SELECT count(*) FROM cases')"

"$bin" init --db "$b" >/dev/null 2>&1 || fail "init"
"$bin" import spgl --db "$b" --source "$front" --xzqhdm 610200 --dry-run --json >"$tmp/dry.json" 2>"$tmp/dry.err" ||
  fail "dry run: $(cat "$tmp/dry.err") $(jq -c '.errors[:3]' "$tmp/dry.json" 2>/dev/null)"
expect "the dry run writes nothing" "$(sqlite3 "$b" 'SELECT count(*) FROM projects')" 0
expect "the dry run counts every 办件" "$(jq '.would_create.case' "$tmp/dry.json")" "$(sqlite3 "$a" 'SELECT count(*) FROM cases')"
"$bin" import spgl --db "$b" --source "$front" --xzqhdm 610200 >"$tmp/imp.out" 2>"$tmp/imp.err" || fail "import: $(cat "$tmp/imp.err")"

same() { # same WHAT SQL_A SQL_B
  sqlite3 "$a" "$2" >"$tmp/a.txt"; sqlite3 "$b" "$3" >"$tmp/b.txt"
  if [ -s "$tmp/a.txt" ] && cmp -s "$tmp/a.txt" "$tmp/b.txt"; then ok; else
    fail "$1 differ: $(diff "$tmp/a.txt" "$tmp/b.txt" | head -4)"; fi
}
P="SELECT code, name, flow_type, division_code, address, investment_wan, land_area_m2, floor_area_m2, planned_start, planned_finish FROM projects"
same "projects" "$P WHERE id IN (SELECT project_id FROM case_progress) ORDER BY code" "$P ORDER BY code"
U="SELECT p.code, u.kind, u.name, u.credit_code FROM project_units u JOIN projects p ON p.id = u.project_id"
same "units" "$U WHERE p.id IN (SELECT project_id FROM case_progress) ORDER BY p.code, u.position" "$U ORDER BY p.code, u.position"
C="SELECT c.number, c.item_code, c.department_code, c.district_code, c.stage, c.status, c.open, c.received_at, c.accepted_at, c.final_at, CASE WHEN n.ncases > 1 THEN n.number END FROM cases c JOIN case_instances n ON n.id = c.instance_id ORDER BY c.number"
same "办件" "$C" "$C"
same "status sequences" \
  "SELECT c.number, s.status, s.at, CASE WHEN s.username = '' THEN '系统' ELSE s.username END, s.opinion FROM case_status s JOIN cases c ON c.id = s.case_id WHERE s.status IS NOT (SELECT q.status FROM case_status q WHERE q.case_id = s.case_id AND q.id < s.id ORDER BY q.id DESC LIMIT 1) ORDER BY c.number, s.id" \
  "SELECT c.number, s.status, s.at, s.username, s.opinion FROM case_status s JOIN cases c ON c.id = s.case_id ORDER BY c.number, s.id"
"$bin" stats check --db "$b" | grep -q "^equal" && ok || fail "stats check after the import"
"$bin" audit verify --db "$b" | grep -q "audit chain ok" && ok || fail "audit verify"
expect "one import audit row" "$(sqlite3 "$b" "SELECT count(*) FROM audit_log WHERE action = 'import.spgl'")" 1
expect "sources remembered" "$(sqlite3 "$b" "SELECT count(*) FROM import_sources WHERE kind = 'case'")" "$(sqlite3 "$a" 'SELECT count(*) FROM cases')"

# not sent back where they came from
before=$(q 'SELECT count(*) FROM spgl_xmjbxxb') cases_before=$(q 'SELECT count(*) FROM spgl_xmspsxblxxb')
status_before=$(q 'SELECT count(*) FROM spgl_xmspsxblxxxxb')
for _ in 1 2 3 4 5 6; do
  push "$b" || { fail "push from the import: $(cat "$tmp/push.err")"; break; }
  [ "$(sent)" = 0 ] && break
  psql "$front" -q -v ON_ERROR_STOP=1 -f "$here/exchange/province.sql" >/dev/null
done
expect "no project sent back" "$(q 'SELECT count(*) FROM spgl_xmjbxxb')" "$before"
expect "no 办件 sent back" "$(q 'SELECT count(*) FROM spgl_xmspsxblxxb')" "$cases_before"
expect "no status row sent back" "$(q 'SELECT count(*) FROM spgl_xmspsxblxxxxb')" "$status_before"

# a second import is refused and writes nothing
n=$(sqlite3 "$b" 'SELECT count(*) FROM case_status')
"$bin" import spgl --db "$b" --source "$front" --json >"$tmp/again.json" 2>/dev/null; expect "second import exit" $? 1
jq -e '[.errors[] | select(.table == "SPGL_XMJBXXB" and .field == "XMDM" and .lsh != "")] | length > 0' "$tmp/again.json" >/dev/null &&
  ok || fail "second import names the rows: $(jq -c '.errors[:2]' "$tmp/again.json")"
expect "nothing more written" "$(sqlite3 "$b" 'SELECT count(*) FROM case_status')" "$n"

# a repair of an imported 办件 goes to the province as a correction
"$bin" user add --db "$b" --username ops1 --password 'Repair#Test-2026' --role ops >/dev/null 2>&1
"$bin" user add --db "$b" --username bureau1 --password 'Repair#Test-2026' --role repair_approve >/dev/null 2>&1
num=$(sqlite3 "$b" "SELECT number FROM cases WHERE open = 0 ORDER BY id LIMIT 1")
dept=$(sqlite3 "$b" "SELECT code FROM departments WHERE active = 1 AND code <> (SELECT department_code FROM cases WHERE number = '$num') ORDER BY code LIMIT 1")
id=$("$bin" repair propose --db "$b" --as ops1 --case "$num" --field department_code --value "$dept" --reason 部门录错 --json | jq .id)
"$bin" repair approve --db "$b" --as bureau1 --id "$id" >/dev/null && "$bin" repair apply --db "$b" --as ops1 --id "$id" >/dev/null || fail "repair"
push "$b" || fail "push after the repair: $(cat "$tmp/push.err")"
expect "the corrected 办件 sent again" "$(q "SELECT count(*) FROM spgl_xmspsxblxxb WHERE spsxslbm = '$num' AND spbmbm = '$dept'")" 1
"$bin" stats check --db "$b" | grep -q "^equal" && ok || fail "stats check after the repair"

echo "import_spgl.sh: $checks checks, $fails failed"
[ "$fails" = 0 ]
