#!/usr/bin/env bash
# The service desk from the command line: a level-2 fault answered late (the
# breach recorded), assigned, resolved and closed, acting --as an ops account
# and the reporter; refusals (a forbidden transition, a missing field, a
# clerk answering) exit 1 naming the field; usage errors exit 2; a CRIT
# inspection from `gonggai inspect` opens exactly one ticket however often
# it repeats, the recovery noted on it; the monthly summary read back with
# python3-openpyxl; the ticket report; the audit chain intact.
set -u
BIN=${GG_BIN:-build/asan/gonggai}
PY=/usr/bin/python3
d=$(mktemp -d /tmp/h-desk-cli-XXXXXX)
trap 'rm -rf "$d"' EXIT
fail=0
ok()  { echo "ok   $*"; }
bad() { echo "FAIL $*"; fail=1; }
expect() { # expect CODE DESCRIPTION -- command...
  local want=$1 what=$2; shift 3
  "$@" >"$d/out" 2>"$d/err"; local got=$?
  if [ "$got" = "$want" ]; then ok "$what"; else bad "$what: exit $got, want $want"; head -c 2000 "$d/out" "$d/err"; fi
}
db="$d/gg.db"
cat >"$d/gg.ini" <<EOF
[security]
argon2_memlimit_kib = 8192
argon2_opslimit = 1
[inspect]
probe_timeout_ms = 2000
EOF
sed 's/^\[inspect\]$/[inspect]\nhost.disk.data.crit = 0.01/' "$d/gg.ini" >"$d/full.ini"
"$BIN" init --db "$db" --json >/dev/null || { echo "FAIL init"; exit 1; }
"$BIN" user add --db "$db" --username ops1 --password 'Init-Passw0rd!' --role ops >/dev/null &&
"$BIN" user add --db "$db" --username clerk1 --password 'Init-Passw0rd!' --role clerk --department 610202-XSP \
  >/dev/null || { echo "FAIL users"; exit 1; }
D() { "$BIN" desk "$@" --db "$db" --config "$d/gg.ini"; }
DT() { local t=$1; shift; GG_NOW=$t "$BIN" desk "$@" --db "$db" --config "$d/gg.ini"; }
T0=1793000000   # 2026-10-26 15:33:20 +08:00
field() { $PY -c "import json,sys; d=json.load(open('$d/out')); print(eval(sys.argv[1]))" "$1"; }

# ---- usage ------------------------------------------------------------------------
expect 0 "desk --help" -- "$BIN" desk --help
expect 2 "desk without --db" -- "$BIN" desk ticket list
expect 2 "desk unknown option" -- D ticket list --colour
expect 2 "desk unknown subcommand" -- D ticket frobnicate

# ---- a level-2 fault answered late -----------------------------------------------------------
expect 0 "clerk reports a level-2 fault" -- env GG_NOW=$T0 "$BIN" desk ticket add --db "$db" --as clerk1 \
  --kind fault --level 2 --category bug --title "受理页面打不开" --description "窗口三台电脑" --json
[ "$(field 'd["id"], d["status"], d["reporter"], d["sla"]["response"]["target_minutes"]')" = "(1, 'open', 'clerk1', 5)" ] &&
  ok "ticket 1 open, reported by clerk1, 5 minutes to respond" || bad "ticket shape: $(head -c 600 "$d/out")"
expect 1 "a clerk cannot respond" -- env GG_NOW=$((T0+60)) "$BIN" desk ticket act --db "$db" --as clerk1 --id 1 --action respond
grep -q "action" "$d/err" && ok "refusal names the field" || bad "refusal: $(cat "$d/err")"
expect 1 "a clerk cannot backdate a report" -- env GG_NOW=$T0 "$BIN" desk ticket add --db "$db" --as clerk1 \
  --kind fault --level 3 --category config --title x --reported-at 2026-10-26T15:00
grep -q "reported_at" "$d/err" && ok "backdating refused naming reported_at" || bad "backdate: $(cat "$d/err")"
expect 0 "ops respond 10 minutes late" -- env GG_NOW=$((T0+600)) "$BIN" desk ticket act --db "$db" --as ops1 --id 1 --action respond --json
[ "$(field 'd["sla"]["response"]["met"], d["sla"]["response"]["breached"], d["sla"]["response"]["breached_at"]')" = \
  "(False, True, '2026-10-26T15:38:20+08:00')" ] && ok "response breach recorded at 15:38:20" || bad "breach: $(field 'd["sla"]["response"]')"
expect 1 "close from in_progress is refused" -- DT $((T0+700)) ticket act --id 1 --action close
expect 1 "assign to a clerk is refused" -- DT $((T0+700)) ticket act --id 1 --action assign --handler clerk1
expect 0 "assign to ops1" -- DT $((T0+700)) ticket act --id 1 --action assign --handler ops1 --json
expect 1 "resolve without prevention" -- DT $((T0+900)) ticket act --id 1 --action resolve --cause c --fix f
grep -q "prevention" "$d/err" && ok "missing prevention named" || bad "resolve refusal: $(cat "$d/err")"
expect 0 "resolve" -- DT $((T0+1800)) ticket act --id 1 --action resolve --cause "证书过期" --fix "更新证书" --prevention "证书到期巡检" --json
[ "$(field 'd["sla"]["resolution"]["met"], d["sla"]["resolution"]["elapsed_minutes"]')" = "(True, 30)" ] &&
  ok "resolved in 30 minutes, met" || bad "resolution: $(field 'd["sla"]["resolution"]')"
expect 0 "the reporter verifies" -- env GG_NOW=$((T0+2000)) "$BIN" desk ticket act --db "$db" --as clerk1 --id 1 --action verify
expect 0 "ops close" -- DT $((T0+2100)) ticket act --id 1 --action close --json
[ "$(field 'd["status"], [e["action"] for e in d["events"]]')" = \
  "('closed', ['created', 'respond', 'assign', 'resolve', 'verify', 'close'])" ] && ok "closed with its event log" ||
  bad "events: $(field '[e["action"] for e in d["events"]]')"
expect 0 "list --json" -- D ticket list --status closed --json
[ "$(field 'd["total"], d["items"][0]["id"]')" = "(1, 1)" ] && ok "list shape items/total" || bad "list: $(head -c 400 "$d/out")"

# ---- a level-1 fault by phone, no RCA -------------------------------------------------------------
expect 0 "ops enter a phone report 10 minutes after the call" -- DT $((T0+86400)) ticket add --kind fault --level 1 \
  --category infrastructure --title "全市审批系统无法登录" --caller "市局值班室" --reported-at "2026-10-27 15:23:20" --json
[ "$(field 'd["id"], d["reported_at"], d["sla"]["response"]["breached"]')" = "(2, '2026-10-27T15:23:20+08:00', True)" ] &&
  ok "reported_at from the call, response clock from it" || bad "phone report: $(head -c 600 "$d/out")"
expect 0 "respond" -- DT $((T0+86400+30)) ticket act --id 2 --action respond
expect 0 "resolve" -- DT $((T0+86400+3600)) ticket act --id 2 --action resolve --cause a --fix b --prevention c
expect 0 "show after 24 h" -- DT $((T0+2*86400+3600+120)) ticket show --id 2
[ "$(field 'd["sla"]["rca"]["breached"], d["sla"]["rca"]["met"]')" = "(True, None)" ] && ok "RCA clock breached 24 h after resolve" ||
  bad "rca: $(field 'd["sla"]["rca"]')"

# ---- inspections open tickets ---------------------------------------------------------------------
for i in 1 2 3; do "$BIN" inspect --db "$db" --config "$d/full.ini" --only host.disk.data >/dev/null 2>&1; done
expect 0 "list after three CRIT runs" -- D ticket list --q host.disk.data --json
[ "$(field 'd["total"], d["items"][0]["source_ref"], d["items"][0]["level"], d["items"][0]["source"]')" = \
  "(1, 'host.disk.data', 2, 'inspection')" ] && ok "one ticket for host.disk.data, level 2" || bad "auto ticket: $(head -c 600 "$d/out")"
id=$(field 'd["items"][0]["id"]')
"$BIN" inspect --db "$db" --config "$d/gg.ini" --only host.disk.data >/dev/null 2>&1
expect 0 "show the inspection ticket" -- D ticket show --id "$id"
[ "$(field '[e["action"] for e in d["events"]], d["status"], d["item"]')" = "(['created', 'recovered'], 'open', 'host.disk.data')" ] &&
  ok "recovery noted, the ticket waits for a person" || bad "recovery: $(field '[e["action"] for e in d["events"]]')"

# ---- the other services: --data is the API's JSON ------------------------------------------------
expect 0 "a clerk submits a request" -- DT $((T0+3*86400)) request add --as clerk1 --data '{"kind":"logo","title":"更换系统标识"}'
rq=$(field 'd["id"]')
expect 1 "a clerk cannot assess" -- DT $((T0+3*86400)) request act --as clerk1 --id "$rq" --data '{"action":"assess"}'
expect 0 "ops assess" -- DT $((T0+3*86400)) request act --id "$rq" --data '{"action":"assess","feasibility":"可行","estimate_days":0.5}'
[ "$(field 'd["status"], d["estimate_days"], d["actions"]')" = "('assessed', 0.5, ['assess', 'reply', 'reject'])" ] &&
  ok "assessed, 0.5 person-days" || bad "assess: $(head -c 400 "$d/out")"
expect 1 "bad JSON is refused" -- D request add --data '{"kind":'
expect 1 "unknown field is named" -- D request add --data '{"kind":"logo","title":"x","colour":1}'
grep -q "colour" "$d/err" && ok "unknown field colour named" || bad "unknown field: $(cat "$d/err")"
expect 0 "a visit with pain points" -- DT $((T0+3*86400)) visit add --data '{"day":"2026-10-29","unit":"耀州区行政审批服务局",
  "score_response":4,"score_quality":4,"score_attitude":5,"pain_points":["统计口径说明不清"]}'
v=$(field 'd["id"]')
expect 0 "pain point to request" -- DT $((T0+3*86400)) visit to-request --id "$v" --index 0
[ "$(field 'd["title"], d["visit_id"], d["status"]')" = "('统计口径说明不清', $v, 'received')" ] && ok "pain point became request" ||
  bad "to-request: $(head -c 400 "$d/out")"
expect 1 "twice is refused" -- DT $((T0+3*86400)) visit to-request --id "$v" --index 0
expect 0 "an article" -- D article add --data '{"title":"如何导出统计报表","body":"统计分析 → 统计报表 → 导出","tags":"统计,导出"}'
expect 0 "a clerk searches the help centre" -- "$BIN" desk article search --db "$db" --as clerk1 --q 导出
[ "$(field 'd["total"], d["items"][0]["title"]')" = "(1, '如何导出统计报表')" ] && ok "article found" || bad "search: $(head -c 300 "$d/out")"
"$BIN" backup drill --db "$db" --config "$d/gg.ini" >/dev/null 2>&1
expect 0 "drills" -- D drill list
[ "$(field '[(x["source"], x["plan"]) for x in d["items"]]')" = "[('ops', 'backup')]" ] &&
  ok "the restore drill is a drill of the backup plan" || bad "drills: $(head -c 400 "$d/out")"

# ---- reports ---------------------------------------------------------------------------------------
expect 0 "monthly xlsx" -- DT $((T0+5*86400)) report monthly --period 2026-10 --format xlsx -o "$d/m.xlsx"
$PY - "$d/m.xlsx" <<'PYEOF' && ok "monthly summary read back with openpyxl" || bad "xlsx content"
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
assert wb.sheetnames == ["概况", "按级别", "按分类", "时限达标", "工单明细", "应急演练"], wb.sheetnames
s = {r[0]: r[1] for r in wb["概况"].iter_rows(min_row=2, values_only=True)}
assert s["统计月份"] == "2026-10" and s["工单总数"] == 2, s
lv = [r for r in wb["按级别"].iter_rows(min_row=2, values_only=True)]
assert [r[1] for r in lv] == [1, 1, 0], lv
clk = {r[0]: r[1:] for r in wb["时限达标"].iter_rows(min_row=2, values_only=True)}
assert clk["响应时限"][:3] == (2, 0, 2), clk       # both answered late
assert clk["解决时限"][:3] == (2, 2, 0), clk
assert clk["RCA报告时限"][:3] == (1, 0, 1), clk
rows = list(wb["工单明细"].iter_rows(min_row=2, values_only=True))
assert [r[0] for r in rows] == [1, 2] and rows[0][9] == "超时" and rows[0][11] == "达标", rows
PYEOF
expect 0 "monthly html" -- D report monthly --period 2026-10 --format html -o "$d/m.html"
grep -q "运维服务台月度报告" "$d/m.html" && ok "monthly html title" || bad "monthly html"
expect 1 "bad period" -- D report monthly --period 2026-13 --format html
expect 1 "a clerk gets no monthly report" -- "$BIN" desk report monthly --db "$db" --as clerk1 --period 2026-10 --format html
expect 0 "ticket report" -- D report ticket --id 1 -o "$d/t1.html"
grep -q "故障处理报告" "$d/t1.html" && grep -q "证书到期巡检" "$d/t1.html" && ok "故障处理报告 with prevention" || bad "ticket report"
expect 0 "major incident report" -- D report ticket --id 2 -o "$d/t2.html"
grep -q "重大事件故障报告" "$d/t2.html" && grep -q "未提交" "$d/t2.html" && ok "重大事件故障报告 shows the missing RCA" || bad "major report"

expect 0 "运维档案 lists the faults" -- "$BIN" archive list --db "$db" --kind incident --from 2026-10-01 --to 2026-10-31 --json
[ "$(field '[x["ref"] for x in d["items"]]')" = "['desk_ticket:2', 'desk_ticket:1']" ] && ok "faults in the archive" ||
  bad "archive: $(head -c 400 "$d/out")"
expect 0 "audit chain intact" -- "$BIN" audit verify --db "$db"
exit $fail
