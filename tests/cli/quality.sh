#!/usr/bin/env bash
# CLI tests of `gonggai quality` on a small demo database: usage errors,
# a recorded run (--json lists every enabled rule), the findings list in
# the API's shape, one finding with its history, dismissal, the rule
# catalogue (export, import unchanged, a parameter change as a new
# version), and the 通报: XLSX read back with openpyxl (letterhead, Chinese
# headings, the definitions on the sheet) and HTML.
# Uses $GG_BIN (the sanitizer binary, which takes "now" from $GG_NOW).
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

# an empty database (no project, no 办件): a run finds nothing and succeeds
"$bin" init --db "$tmp/empty.db" --json >/dev/null 2>&1 || { echo "FAIL init"; exit 1; }
t 0 '"found": 0' "" -- quality run --db "$tmp/empty.db" --json

"$bin" demo --db "$db" --projects 150 --seed 3 --as-of 2025-11-20 >/dev/null 2>&1 || { echo "FAIL demo"; exit 1; }
export GG_NOW=$(( $(date -d '2025-11-20 16:00:00 +0800' +%s) ))

# ---- usage ---------------------------------------------------------------------------------
t 0 "usage: gonggai quality" "" -- quality --help
t 2 "" "SUBCOMMAND and --db are required" -- quality run
t 2 "" "unknown subcommand 'frob'" -- quality frob --db "$db"
t 2 "" "period" -- quality notice --db "$db" --period 2025-13 --format html
t 2 "" "需要 -o FILE" -- quality notice --db "$db" --period 2025-11
t 2 "" "status" -- quality findings --db "$db" --status later
t 2 "" "id" -- quality show --db "$db" --id x
t 1 "" "规则不存在" -- quality run --db "$db" --rule nope

# ---- a run ---------------------------------------------------------------------------------------
t 0 '"run"' "" -- quality run --db "$db" --json
ok 'py "import json,sys; d=json.load(sys.stdin); r=d[\"rules\"]; assert len(r) >= 25 and d[\"run\"][\"id\"] == 1, d[\"run\"]; assert all(set(x) >= {\"id\",\"name\",\"severity\",\"findings\"} for x in r); assert d[\"run\"][\"opened\"] == d[\"run\"][\"found\"] > 0"' \
   "run --json lists every enabled rule and opens what it found"
t 0 "质检运行 #2" "" -- quality run --db "$db"
ok 'grep -q "新增 0" "$tmp/out"' "a second run over the same data opens nothing"
ok 'grep -q "数据来源未接入" "$tmp/out"' "the exchange rules are reported as skipped"

# ---- findings -------------------------------------------------------------------------------------
t 0 '"items"' "" -- quality findings --db "$db" --status open --json --page-size 500
ok 'py "import json,sys; d=json.load(sys.stdin); i=d[\"items\"]; assert d[\"total\"] >= len(i) > 0; keys={\"id\",\"rule\",\"severity\",\"object_kind\",\"object\",\"department\",\"district\",\"message\",\"status\",\"found_at\",\"deadline\",\"fixed_at\"}; assert all(keys <= set(x) for x in i); assert all(x[\"status\"] == \"open\" and x[\"fixed_at\"] is None for x in i)"' \
   "findings --json has the API's item shape"
id=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["items"][0]["id"])' <"$tmp/out")
t 0 '"events"' "" -- quality show --db "$db" --id "$id"
ok 'py "import json,sys; d=json.load(sys.stdin); assert d[\"events\"][0][\"event\"] == \"found\" and d[\"fix\"]"' "show has the history and the fix hint"
t 1 "" "reason" -- quality dismiss --db "$db" --id "$id"
t 0 "已核销" "" -- quality dismiss --db "$db" --id "$id" --reason "测试核销理由"
t 0 "dismissed" "" -- quality findings --db "$db" --status dismissed

# ---- rules ------------------------------------------------------------------------------------------
t 0 "case-zombie" "" -- quality rules --db "$db"
t 0 "" "" -- quality rules --db "$db" export -o "$tmp/rules.json"
ok 'python3 -c "import json; d=json.load(open(\"$tmp/rules.json\")); assert d[\"format\"] == \"gonggai-quality-rules\" and len(d[\"rules\"]) >= 25"' "rules export writes the catalogue"
t 0 "0 条" "" -- quality rules --db "$db" import "$tmp/rules.json"
t 0 '"version": 1' "" -- quality rule --db "$db" --id case-zombie --param days=30 --note 放宽
t 1 "" "没有参数" -- quality rule --db "$db" --id case-zombie --param weeks=3
t 0 '"enabled": false' "" -- quality rule --db "$db" --id unit-required --disable
t 0 "" "" -- quality run --db "$db" --json
ok 'py "import json,sys; d=json.load(sys.stdin); assert \"unit-required\" not in [r[\"id\"] for r in d[\"rules\"]]"' "a disabled rule is not run"

# ---- the 通报 ------------------------------------------------------------------------------------------
t 0 "" "" -- quality notice --db "$db" --period 2025-11 --format xlsx -o "$tmp/notice.xlsx"
if /usr/bin/python3 -c "import openpyxl" 2>/dev/null; then
  ok '/usr/bin/python3 - "$tmp/notice.xlsx" <<EOF
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
assert wb.sheetnames == ["通报", "按规则", "未整改问题清单"], wb.sheetnames
ws = wb["通报"]
assert ws["A1"].value == "铜川市行政审批服务局", ws["A1"].value
assert "数据质检通报（2025-11）" in ws["A2"].value
heads = [c.value for c in ws[5]]
assert heads[:4] == ["区县", "部门", "期初未整改", "本期新发现"] and "整改率" in heads, heads
texts = " ".join(str(c.value) for row in ws.iter_rows() for c in row if c.value)
assert "整改率 = 本期已整改" in texts and "合计" in texts
assert ws.page_setup.paperSize in (9, "9")
rows = list(wb["未整改问题清单"].iter_rows(values_only=True))
assert rows[0][0] == "编号" and len(rows) > 1
EOF' "the 通报 workbook reads back with openpyxl"
else
  echo "note: Debian python3-openpyxl not installed; workbook not read back"
fi
t 0 "整改率" "" -- quality notice --db "$db" --period 2025-11 --format html
t 0 '"groups"' "" -- quality notice --db "$db" --period 2025-11 --format json
t 0 '"items"' "" -- quality runs --db "$db"

echo "$checks checks, $fails failed"
[ "$fails" -eq 0 ]
