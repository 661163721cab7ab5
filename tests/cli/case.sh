#!/usr/bin/env bash
# 办件 lifecycle from the command line: `gonggai case` takes a project from
# 立项用地规划许可 to 竣工验收 (with the 54Y 联合验收) acting as the
# department accounts (--as), with the department/role rules (exit 1 and a
# message), the 409 message naming state and allowed actions, documents to
# a file, lists, 待办, the timeline, the audit chain; then `gonggai demo`
# on a small scale (deterministic, consistent, accounts usable).
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
db="$d/g.db"
G() { "$BIN" "$@" --db "$db"; }
jq_() { python3 -c "import json,sys; j=json.load(open('$d/out')); print($1)"; }

expect 0 "init" -- "$BIN" init --db "$db" --json
for u in "zr_c clerk 610200-ZRZY" "zr_r reviewer 610200-ZRZY" "zr_h head 610200-ZRZY" \
         "zj_c clerk 610200-ZJJ" "zj_r reviewer 610200-ZJJ" "zj_h head 610200-ZJJ" \
         "da_c clerk 610200-DAJ" "da_r reviewer 610200-DAJ" "da_h head 610200-DAJ" "win clerk 610200-XSP"; do
  set -- $u
  expect 0 "user $1" -- G user add --username "$1" --password 'Init-Passw0rd!' --role "$2" --department "$3"
done
expect 0 "project add" -- G project add --code 2025-610203-47-01-000201 --name 印台区陈炉古镇游客中心 \
  --flow-type 4 --division 610203 --address 印台区陈炉镇 --investment 1800 --land-area 2000 --floor-area 2600 \
  --start 2026-12-01 --finish 2027-12-31 --unit builder,铜川市行政审批服务局,11610200MB29655940,张三,13912345678
P=$(jq_ 'j["id"]')

expect 0 "case --help" -- "$BIN" case --help
expect 2 "case without subcommand" -- "$BIN" case --db "$db"
expect 2 "case unknown subcommand" -- G case frob
expect 1 "apply stage 2 first" -- G case apply --project "$P" --stage 2 --items GHXK-001 --as win
grep -q "前一阶段" "$d/err" && ok "says the stage is not open" || bad "stage message"

# one case through its steps: apply, accept, review, decide
walk() { # walk DEPT CASE NSTEPS
  local dep=$1 c=$2 n=$3
  expect 0 "$dep accept $c" -- G case act --case "$c" --action accept --as "${dep}_c"
  expect 0 "$dep start_review $c" -- G case act --case "$c" --action start_review --as "${dep}_r"
  for ((s = 1; s < n - 1; s++)); do
    expect 0 "$dep next_step $c" -- G case act --case "$c" --action next_step --as "${dep}_r"
  done
  local decider=${dep}_r; [ "$n" -gt 2 ] && decider=${dep}_h
  expect 0 "$dep approve $c" -- G case act --case "$c" --action approve --opinion 同意 --as "$decider"
}

expect 0 "apply stage 1" -- G case apply --project "$P" --stage 1 --items YDGH-001 --as win
A=$(jq_ 'j["cases"][0]["number"]')
expect 1 "reviewer cannot accept" -- G case act --case "$A" --action accept --as zr_r
grep -q "窗口人员" "$d/err" && ok "403 names the step role" || bad "role message"
expect 1 "other department cannot act" -- G case act --case "$A" --action accept --as zj_c
expect 1 "approve before acceptance" -- G case act --case "$A" --action approve --as zr_c
grep -q "accept, refuse, supplement" "$d/err" && ok "409 lists allowed actions" || bad "409 message: $(cat "$d/err")"
walk zr "$A" 3
expect 0 "show" -- G case show --case "$A"
[ "$(jq_ 'j["status"]["code"]')" = 11 ] && ok "approved" || bad "status"
[ "$(jq_ 'len(j["history"])')" = 5 ] && ok "history rows" || bad "history"
expect 0 "acceptance notice" -- G case doc --case "$A" --kind acceptance -o "$d/acc.html"
grep -q "受理通知书" "$d/acc.html" && grep -q "610200-ZRZY受〔" "$d/acc.html" && ok "notice numbered" || bad "notice"
expect 1 "no denial document" -- G case doc --case "$A" --kind denial

expect 0 "apply stage 2" -- G case apply --project "$P" --stage 2 --items GHXK-001 --as win
walk zr "$(jq_ 'j["cases"][0]["id"]')" 3
expect 0 "apply stage 3" -- G case apply --project "$P" --stage 3 --items SGXK-001,SGTS-001 --as win
S3=$(jq_ 'j["cases"][0]["id"]'); T3=$(jq_ 'j["cases"][1]["id"]')
walk zj "$S3" 3
expect 0 "todo of the clerk" -- G case todo --as zj_c
grep -q "SGTS-001" "$d/out" && ok "todo lists the waiting case" || bad "todo"
grep -q "未受理 1" "$d/out" && ok "todo counts by light" || bad "todo counts: $(head -3 "$d/out")"
expect 0 "todo --light red --json" -- G case todo --as zj_c --light red --json
[ "$(jq_ 'j["total"], j["counts"]["none"]')" = "0 1" ] && ok "light filter and counts" || bad "todo --light: $(cat "$d/out" | head -5)"
expect 1 "todo --light purple" -- G case todo --as zj_c --light purple
walk zj "$T3" 2
expect 0 "done of the reviewer" -- G case done --as zj_r --json
[ "$(jq_ 'j["total"]')" = 2 ] && ok "done counts" || bad "done: $(cat "$d/out" | head -5)"
expect 1 "JGBA before its prerequisites" -- G case apply --project "$P" --stage 4 --items JGBA-001 --as win
grep -q "GHHS-001" "$d/err" && ok "409 names prerequisites" || bad "prerequisite message"
expect 0 "apply 54Y" -- G case apply --project "$P" --stage 4 --side-line 54Y --items GHHS-001,XFBA-001,DAYS-001 --as win
G1=$(jq_ 'j["cases"][0]["id"]'); X1=$(jq_ 'j["cases"][1]["id"]'); D1=$(jq_ 'j["cases"][2]["id"]')
walk zr "$G1" 4
walk zj "$X1" 2
walk da "$D1" 4
expect 0 "joint acceptance document" -- G case doc --case "$X1" --kind joint
grep -q "验收合格" "$d/out" && ok "combined result" || bad "joint"
expect 0 "apply stage 4" -- G case apply --project "$P" --stage 4 --items JGBA-001 --as win
walk zj "$(jq_ 'j["cases"][0]["id"]')" 2
expect 0 "timeline" -- G case timeline --project 2025-610203-47-01-000201
[ "$(jq_ 'j["progress"]["finished"]')" = True ] && ok "project finished" || bad "not finished"
[ "$(jq_ 'len(j["stages"])')" = 4 ] && ok "four stages" || bad "stages"
expect 0 "timeline --as zj_r" -- G case timeline --project 2025-610203-47-01-000201 --as zj_r
[ "$(jq_ 'sum(i["hidden_cases"] for i in j["instances"])')" -gt 0 ] && \
  [ "$(jq_ 'sorted(set(c["department"]["code"] if isinstance(c["department"], dict) else c["department"] for i in j["instances"] for c in i["cases"]))')" = "['610200-ZJJ']" ] \
  && ok "timeline: other departments' cases only counted" || bad "timeline leaks: $(head -c 300 "$d/out")"
expect 0 "list" -- G case list --status 11
grep -q "total 8" "$d/out" && ok "list table" || bad "list: $(tail -1 "$d/out")"
expect 0 "list as json" -- G case list --json --department 610200-ZJJ
[ "$(jq_ 'j["total"]')" = 4 ] && ok "filter by department" || bad "department filter"
expect 0 "audit chain" -- G audit verify

# demo: deterministic and consistent, on a small scale
expect 0 "demo" -- "$BIN" demo --db "$d/demo.db" --projects 300 --seed 7 --as-of 2026-06-30
grep -q "办件" "$d/out" && ok "demo prints a summary" || bad "demo output"
grep -q "demo_zjj_clerk" "$d/out" && ok "demo prints its accounts" || bad "demo accounts"
expect 0 "demo again, same seed" -- "$BIN" demo --db "$d/demo2.db" --projects 300 --seed 7 --as-of 2026-06-30
q() { sqlite3 "$1" "SELECT count(*), sum(status), sum(coalesce(due_day,0)), group_concat(number,'') IS NOT NULL FROM cases; SELECT count(*) FROM case_status"; }
[ "$(q "$d/demo.db")" = "$(q "$d/demo2.db")" ] && ok "deterministic" || bad "not deterministic"
n=$(sqlite3 "$d/demo.db" "SELECT count(*) FROM cases")
[ "$n" -gt 1000 ] && ok "demo cases: $n" || bad "demo cases: $n"
# every final case has a final_at, nothing follows a final status, statuses ascend in time
bad_rows=$(sqlite3 "$d/demo.db" "
 SELECT count(*) FROM cases WHERE open = 0 AND final_at IS NULL;
 SELECT count(*) FROM case_status a JOIN case_status b ON b.case_id = a.case_id AND b.id > a.id
   WHERE a.status IN (2,4,5,11,12,13,14,15) OR b.at < a.at;
 SELECT count(*) FROM cases c WHERE status <> (SELECT status FROM case_status s WHERE s.case_id = c.id ORDER BY id DESC LIMIT 1);
 SELECT count(*) FROM cases WHERE accepted = 1 AND due_day IS NULL;" | tr '\n' ' ')
[ "$bad_rows" = "0 0 0 0 " ] && ok "demo history consistent" || bad "demo inconsistent: $bad_rows"
[ -z "$(sqlite3 "$d/demo.db" "PRAGMA foreign_key_check")" ] && ok "demo references intact" || bad "foreign keys"
[ "$(sqlite3 "$d/demo.db" "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND tbl_name = 'cases'")" -ge 7 ] \
  && ok "demo indexes restored" || bad "indexes missing"
[ "$(sqlite3 "$d/demo.db" "PRAGMA journal_mode")" = wal ] && ok "demo database back in WAL" || bad "journal mode"
expect 0 "demo audit chain" -- "$BIN" audit verify --db "$d/demo.db"
expect 0 "demo statistics check" -- "$BIN" stats check --db "$d/demo.db"
grep -q "^equal" "$d/out" && ok "demo statistics equal a recount" || bad "stats check: $(head -2 "$d/out")"
expect 0 "demo case readable" -- "$BIN" case list --db "$d/demo.db" --as demo_zjj_head --light red --json
expect 1 "demo refuses a used database" -- "$BIN" demo --db "$d/demo.db" --projects 10
exit $fail
