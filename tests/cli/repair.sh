#!/usr/bin/env bash
# CLI tests of `gonggai repair` on a small demo database: usage errors, the
# role repair_approve (granted like any other, refused together with ops),
# a field correction proposed (prints its id), approval refused to the
# proposer and to the bare command line, apply refused before approval,
# approved by another account and applied (show --json: status, proposed_by,
# approved_by, changes), statistics and audit chain intact, undo, and a bulk
# department move as a dry run and for real.
# Uses $GG_BIN.
set -u
bin=${GG_BIN:?GG_BIN must name the gonggai binary}
fails=0; checks=0
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
db="$tmp/demo.db"

t() {
  local want_rc=$1 want_out=$2 want_err=$3; shift 4
  "$bin" "$@" >"$tmp/out" 2>"$tmp/err"; local rc=$?
  checks=$((checks+1))
  if [ "$rc" != "$want_rc" ]; then
    echo "FAIL gonggai $*: exit $rc, want $want_rc ($(head -c 300 "$tmp/err"))"; fails=$((fails+1)); return
  fi
  if [ -n "$want_out" ] && ! grep -qF -- "$want_out" "$tmp/out"; then
    echo "FAIL gonggai $*: stdout lacks '$want_out': $(head -c 300 "$tmp/out")"; fails=$((fails+1)); return
  fi
  if [ -n "$want_err" ] && ! grep -qF -- "$want_err" "$tmp/err"; then
    echo "FAIL gonggai $*: stderr lacks '$want_err': $(head -c 300 "$tmp/err")"; fails=$((fails+1))
  fi
}
ok() { checks=$((checks+1)); if ! eval "$1"; then echo "FAIL $2"; fails=$((fails+1)); fi; }
py() { python3 -c "$1" <"$tmp/out"; }
q() { sqlite3 "$db" "$1"; }

"$bin" demo --db "$db" --projects 40 --seed 7 --as-of 2025-11-20 >/dev/null 2>&1 || { echo "FAIL demo"; exit 1; }
pw='Repair#Test-2026'

# ---- usage and the role ------------------------------------------------------------------------
t 0 "usage: gonggai repair" "" -- repair --help
t 2 "" "--db is required" -- repair list
t 2 "" "bad arguments" -- repair propose --db "$db" --unit x
t 0 "repair_approve" "" -- user --help
t 0 "" "" -- user add --db "$db" --username ops1 --password "$pw" --role ops
t 0 "" "" -- user add --db "$db" --username ops2 --password "$pw" --role ops
t 0 "" "" -- user add --db "$db" --username bureau1 --password "$pw" --role leader
t 0 "" "" -- user grant --db "$db" --username bureau1 --role repair_approve
t 1 "" "职责分离" -- user add --db "$db" --username mixed --password "$pw" --role ops,repair_approve
t 1 "" "职责分离" -- user grant --db "$db" --username ops2 --role repair_approve
ok '[ "$(q "SELECT name FROM roles WHERE code = '"'repair_approve'"'")" = "数据修复审批" ]' "the role has its Chinese name"

# ---- a field correction ------------------------------------------------------------------------
code=$(q "SELECT code FROM projects ORDER BY id LIMIT 1")
old=$(q "SELECT address FROM projects WHERE code = '$code'")
t 1 "" "reason" -- repair propose --db "$db" --as ops1 --project "$code" --field address --value 新地址 --reason x
t 1 "" "没有可修复的字段" -- repair propose --db "$db" --as ops1 --project "$code" --field deleted_at --value 1 --reason 录入错误
t 1 "" "只有运维工程师" -- repair propose --db "$db" --as bureau1 --project "$code" --field address --value 新地址 --reason 录入错误
t 0 '"id"' "" -- repair propose --db "$db" --as ops1 --project "$code" --field address --value 铜川市新区正阳路1号 --reason 地址录入错误 --json
id=$(py 'import json,sys; print(json.load(sys.stdin)["id"])')
ok 'py "import json,sys; d=json.load(sys.stdin); c=[x for x in d[\"changes\"] if x[\"field\"]==\"address\"]; assert d[\"status\"]==\"proposed\" and c and c[0][\"before\"]==\"$old\" and c[0][\"after\"]==\"铜川市新区正阳路1号\", d"' \
   "the proposal shows the address before and after"
t 1 "" "repair_approve" -- repair approve --db "$db" --as ops1 --id "$id"
t 1 "" "repair_approve" -- repair approve --db "$db" --id "$id"
t 1 "" "未经批准" -- repair apply --db "$db" --as ops1 --id "$id"
t 0 "approved" "" -- repair approve --db "$db" --as bureau1 --id "$id" --note 同意
t 0 "applied" "" -- repair apply --db "$db" --as ops2 --id "$id"
ok '[ "$(q "SELECT address FROM projects WHERE code = '"'$code'"'")" = "铜川市新区正阳路1号" ]' "apply changed the address"
t 0 '"status": "applied"' "" -- repair show --db "$db" --id "$id" --json
ok 'py "import json,sys; d=json.load(sys.stdin); assert d[\"proposed_by\"]==\"ops1\" and d[\"approved_by\"]==\"bureau1\" and all(set(c)=={\"object\",\"field\",\"before\",\"after\"} for c in d[\"changes\"])"' \
   "show --json names who proposed and who approved, and the changes"
t 0 "equal:" "" -- stats check --db "$db"
t 0 "audit chain ok" "" -- audit verify --db "$db"
t 1 "" "reason" -- repair undo --db "$db" --as ops1 --id "$id" --reason x
t 0 "undone" "" -- repair undo --db "$db" --as ops1 --id "$id" --reason 回退核对
ok '[ "$(q "SELECT address FROM projects WHERE code = '"'$code'"'")" = "$old" ]' "undo restored the address"
t 1 "" "只有已执行" -- repair undo --db "$db" --as ops1 --id "$id" --reason 再次回退

# ---- 机构改革: a bulk department move -------------------------------------------------------------
from=$(q "SELECT department_code FROM cases WHERE open = 1 GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1")
to=$(q "SELECT code FROM departments WHERE active = 1 AND code LIKE '610200-%' AND code <> '$from' ORDER BY code LIMIT 1")
nusers=$(q "SELECT count(*) FROM users WHERE department_code = '$from'")
nopen=$(q "SELECT count(*) FROM cases WHERE department_code = '$from' AND open = 1")
nrep=$(q "SELECT count(*) FROM repairs")
t 0 "preview" "" -- repair propose --db "$db" --as ops1 --op move-department --from "$from" --to "$to" --reason 机构改革合并 --dry-run
ok '[ "$(q "SELECT count(*) FROM repairs")" = "$nrep" ]' "the dry run stores nothing"
t 0 '"id"' "" -- repair propose --db "$db" --as ops1 --op move_department --from "$from" --to "$to" --reason 机构改革合并 --json
mid=$(py 'import json,sys; print(json.load(sys.stdin)["id"])')
t 0 "" "" -- repair approve --db "$db" --as bureau1 --id "$mid"
t 0 "applied" "" -- repair apply --db "$db" --as ops1 --id "$mid"
ok '[ "$(q "SELECT count(*) FROM users WHERE department_code = '"'$from'"'")" = 0 ] && [ "$(q "SELECT count(*) FROM cases WHERE department_code = '"'$from'"' AND open = 1")" = 0 ]' \
   "accounts and running 办件 left $from"
ok '[ "$(q "SELECT count(*) FROM cases WHERE department_code = '"'$to'"' AND open = 1")" -ge "$nopen" ]' "running 办件 moved to $to"
t 0 "equal:" "" -- stats check --db "$db"
t 0 "audit chain ok" "" -- audit verify --db "$db"
t 0 "$mid" "" -- repair list --db "$db" --status applied
ok '[ "$nusers" -gt 0 ]' "the moved department had accounts"

# the month's O&M report counts the repairs (数据异常修复 section)
month=$(TZ=Asia/Shanghai date +%Y-%m-01)
next=$(TZ=Asia/Shanghai date -d "$month +1 month" +%Y-%m-%d)
t 0 "" "" -- report monthly --db "$db" --from "$month" --to "$next" --format json -o "$tmp/om.json"
applied=$(q "SELECT count(*) FROM repairs WHERE status IN ('applied', 'undone')")
ok '[ "$(/usr/bin/python3 -c "import json; d=json.load(open(\"$tmp/om.json\")); s=[x for x in d[\"sections\"] if x[\"id\"]==\"repair\"][0]; print({i[\"label\"]: i[\"value\"] for i in s[\"summary\"]}[\"执行修复\"], len(s[\"tables\"][0][\"rows\"]))")" = "$applied $(q "SELECT count(*) FROM repairs")" ]' \
   "the monthly report's 数据异常修复 counts the applied repairs and lists every repair of the month"

echo "repair.sh: $checks checks, $fails failed"
[ "$fails" = 0 ]
