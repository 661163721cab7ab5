#!/usr/bin/env bash
# The O&M reports (report monthly|annual): a small database with desk
# tickets, a consultation, a training, a quality run, a backup and a restore
# drill; the reports as JSON, XLSX (read back with Debian's python3-openpyxl)
# and HTML; the figures equal the CLI's own lists (desk ticket list, backup
# list); the annual report has a monthly trend per section and one section
# per service row of the contract's 第一条; bad input exits 2 naming the field.
set -u
BIN=${GG_BIN:-build/asan/gonggai}
PY=/usr/bin/python3
d=$(mktemp -d /tmp/h-paperwork-XXXXXX)
trap 'rm -rf "$d"' EXIT
fail=0
ok()  { echo "ok   $*"; }
bad() { echo "FAIL $*"; fail=1; }
expect() { # expect CODE NAME -- CMD...: exit code CODE, output in $d/out
  local want=$1 name=$2; shift 3
  "$@" >"$d/out" 2>&1; local rc=$?
  [ "$rc" = "$want" ] && ok "$name" || { bad "$name (exit $rc, want $want): $(head -c 300 "$d/out")"; }
}
db="$d/gg.db"
printf '[security]\nargon2_memlimit_kib = 8192\nargon2_opslimit = 1\n[ops]\nscheduler = off\nbackup_dir = %s/bk\n' \
  "$d" >"$d/gg.ini"
"$BIN" init --db "$db" --json >/dev/null || { echo "FAIL init"; exit 1; }
D() { "$BIN" desk "$@" --db "$db" --config "$d/gg.ini"; }
now=$(date +%s)
for lv in 1 2 2 3; do
  GG_NOW=$((now - 86400 - lv * 600)) D ticket add --kind fault --level $lv --category bug --title "故障 $lv" \
    >/dev/null || bad "ticket add"
done
GG_NOW=$((now - 86400 - 600 + 30)) D ticket act --id 1 --action respond >/dev/null || bad "respond"
D consult add --data '{"caller":"张三","channel":"phone","question":"如何导出","answer":"统计报表","minutes":12}' \
  >/dev/null || bad "consult add"
D training add --data "{\"day\":\"$(TZ=Asia/Shanghai date -d @$((now - 86400)) +%F)\",\"topic\":\"系统操作\",\"trainer\":\"ops\",\"hours\":2}" \
  >/dev/null || bad "training add"
"$BIN" backup --db "$db" --config "$d/gg.ini" >/dev/null 2>&1 || bad "backup"
"$BIN" backup drill --db "$db" --config "$d/gg.ini" >/dev/null 2>&1 || bad "drill"
"$BIN" quality run --db "$db" --config "$d/gg.ini" >/dev/null 2>&1 || bad "quality run"
D ticket list --json >"$d/tickets.json" || bad "ticket list"
"$BIN" backup list --db "$db" --json >"$d/backups.json" || bad "backup list"

# the bureau's days are Asia/Shanghai's: from 16:00 UTC on, its today is UTC's tomorrow
export TZ=Asia/Shanghai
from=$(date -d "$(date +%Y-%m-01) -1 month" +%F); to=$(date +%F)
afrom=$(date -d "$(date +%Y-%m-01) -11 months" +%F)
R() { "$BIN" report "$@" --db "$db" --config "$d/gg.ini"; }

# ---- usage --------------------------------------------------------------------------------------
expect 0 "report --help names monthly and annual" -- "$BIN" report --help
grep -q 'report monthly|annual' "$d/out" || bad "help text"
expect 2 "unknown kind" -- R weekly --from "$from" --to "$to"
expect 2 "from missing is named" -- R monthly --to "$to"
grep -q 'from' "$d/out" || bad "the message names from: $(cat "$d/out")"
expect 2 "a period over 400 days is refused" -- R annual --from 2024-01-01 --to 2025-12-31
grep -q 'to' "$d/out" || bad "the message names to"
expect 2 "to before from" -- R monthly --from "$to" --to "$from"
expect 2 "unknown format" -- R monthly --from "$from" --to "$to" --format pdf
expect 1 "xlsx is not for stdout" -- R monthly --from "$from" --to "$to" --format xlsx -o -

# ---- monthly ------------------------------------------------------------------------------------
expect 0 "monthly as JSON" -- R monthly --from "$from" --to "$to" --format json -o "$d/m.json"
expect 0 "monthly as XLSX" -- R monthly --from "$from" --to "$to" --format xlsx -o "$d/m.xlsx"
expect 0 "monthly as HTML to stdout" -- R monthly --from "$from" --to "$to" --format html -o -
grep -q '月度运维报告' "$d/out" && grep -q '故障处理' "$d/out" && ok "the HTML has its title and sections" ||
  bad "html: $(head -c 300 "$d/out")"
$PY - "$d" <<'PY' && ok "monthly XLSX figures equal the JSON and the CLI's lists" || bad "monthly figures"
import json, sys, openpyxl
d = sys.argv[1]
doc = json.load(open(f"{d}/m.json"))
tickets = json.load(open(f"{d}/tickets.json"))
backups = json.load(open(f"{d}/backups.json"))
wb = openpyxl.load_workbook(f"{d}/m.xlsx")
secs = {s["id"]: s for s in doc["sections"]}
assert len(wb.sheetnames) == len(doc["sections"]) + 1, wb.sheetnames
def sheet_summary(title):
    ws = next(wb[n] for n in wb.sheetnames if n[3:] == title[:26])
    return {r[0]: r[1] for r in ws.iter_rows(values_only=True) if r[0] is not None and len(r) > 1}
def doc_summary(sid):
    return {x["label"]: x["value"] for x in secs[sid].get("summary", [])}
for s in doc["sections"]:
    xs, js = sheet_summary(s["title"]), doc_summary(s["id"])
    for k, v in js.items():
        if isinstance(v, (int, float)):
            assert abs(xs[k] - v) < 1e-9, (s["id"], k, xs.get(k), v)
t = doc_summary("desk.tickets")
items = tickets["items"]
assert t["故障工单"] == tickets["total"] == 4, (t, tickets["total"])
for lv, name in ((1, "一级"), (2, "二级"), (3, "三级")):
    assert t[name] == sum(1 for x in items if x["level"] == lv), (name, t)
assert t["响应及时率"] == 100.0, t   # the one response was in time
assert t["解决及时率"] is None, t    # nothing resolved yet
rows = secs["desk.tickets"]["tables"][0]["rows"]
assert sorted(r["report"] for r in rows) == sorted(f"/api/desk/tickets/{x['id']}/report" for x in items)
# the 故障处理报告 / 重大事件故障报告 of the period, collected
r = doc_summary("desk.reports")
assert r["故障处理报告"] == 3 and r["重大事件故障报告"] == 1 and r["已提交根本原因分析"] == 0, r
reps = secs["desk.reports"]["tables"][0]["rows"]
assert sorted(x["id"] for x in reps) == sorted(x["id"] for x in items)
major = next(x for x in reps if x["report_kind"] == "重大事件故障报告")
assert major["rca"] == "（未提交）" and major["cause"] == "（未填写）", major
assert all(x["rca"] == "—" for x in reps if x is not major)
b = doc_summary("ops.backups")
assert b["备份次数"] == len(backups) == 1 and b["备份成功"] == 1, b
assert b["恢复演练"] == 1 and b["最近一次成功恢复演练"] != "无", b
assert doc_summary("desk.consults") == {"技术咨询": 1, "处理时长": 12.0}, doc_summary("desk.consults")
assert doc_summary("desk.trainings") == {"培训场次": 1, "培训学时": 2.0}, doc_summary("desk.trainings")
assert doc_summary("quality")["质检运行"] == 1
assert doc_summary("archive")["维护事件"] >= 5   # system, backup, drill, incidents
PY

# ---- annual -------------------------------------------------------------------------------------
expect 0 "annual as JSON" -- R annual --from "$afrom" --to "$to" --format json -o "$d/a.json"
expect 0 "annual as XLSX" -- R annual --from "$afrom" --to "$to" --format xlsx -o "$d/a.xlsx"
expect 0 "annual as HTML" -- R annual --from "$afrom" --to "$to" --format html -o "$d/a.html"
$PY - "$d" <<'PY' && ok "annual: monthly trends add up, 14 service rows, XLSX equal" || bad "annual figures"
import json, sys, openpyxl
d = sys.argv[1]
doc = json.load(open(f"{d}/a.json"))
tickets = json.load(open(f"{d}/tickets.json"))
secs = {s["id"]: s for s in doc["sections"]}
t = secs["desk.tickets"]
trend = next(x for x in t["tables"] if x["title"] == "月度趋势")
assert len(trend["rows"]) == 12, len(trend["rows"])
key = next(c["key"] for c in trend["columns"] if c["head"] == "故障工单")
assert sum(r.get(key, 0) for r in trend["rows"]) == tickets["total"] == 4
svc = [s for s in doc["sections"] if s["id"].startswith("service.")]
names = [s["title"].split("：")[1] for s in svc]
assert names == ["技术咨询", "故障处理", "日常巡检", "系统维护", "数据异常修复", "文档管理", "需求受理", "业务调整",
                 "数据服务", "业务运营", "培训服务", "应急演练", "定期回访", "工作成效"], names
fault = secs["service.fault"]
assert {x["label"]: x["value"] for x in fault["summary"]}["故障工单"] == 4
assert len(fault["tables"][0]["rows"]) == 4          # the examples
assert {x["label"]: x["value"] for x in fault["summary"]}["重大事件故障报告"] == 1   # the reports, collected
assert "重大事件故障报告" in [x["label"] for x in secs["service.documents"]["summary"]]
assert "上报行数" in [x["label"] for x in secs["service.data_service"]["summary"]]   # the exchange's figures
assert "执行修复" in [x["label"] for x in secs["service.data_repair"]["summary"]]   # the repairs' figures
wb = openpyxl.load_workbook(f"{d}/a.xlsx")
assert len(wb.sheetnames) == len(doc["sections"]) + 1
ws = wb[next(n for n in wb.sheetnames if n.endswith("故障处理") and "服务" not in n)]
rows = list(ws.iter_rows(values_only=True))
i = next(k for k, r in enumerate(rows) if r[0] == "月度趋势")
head = rows[i + 1]
col = head.index("故障工单")
assert sum(r[col] or 0 for r in rows[i + 2:i + 14]) == 4
PY
grep -o '<section' "$d/a.html" | wc -l | grep -qx "$($PY -c "import json; print(len(json.load(open('$d/a.json'))['sections']))")" &&
  ok "the annual HTML has every section" || bad "annual html sections"

# ---- the audit trail ----------------------------------------------------------------------------
n=$($PY -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute(
  \"SELECT count(*) FROM audit_log WHERE action = 'paperwork.report'\").fetchone()[0])" "$db")
[ "$n" = 6 ] && ok "every report written is audited" || bad "audit rows paperwork.report: $n"
"$BIN" audit verify --db "$db" >/dev/null && ok "the audit chain stays intact" || bad "audit verify"
exit $fail
