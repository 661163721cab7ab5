#!/usr/bin/env bash
# CLI tests of `gonggai import projects`: usage errors, a file without the
# needed columns (each missing column named), a dry run that names the row,
# column and rule of each failing row and writes nothing, quoted fields with
# commas and a BOM, columns found by name in any order and case (SPGL or
# Chinese headings), the real import (all or nothing: a second run of the
# same file fails on both codes and creates nothing), and the audit row.
# Uses $GG_BIN.
set -u
bin=${GG_BIN:?GG_BIN must name the gonggai binary}
fails=0; checks=0
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
db="$tmp/i.db"

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
q() { sqlite3 "$db" "$1"; }

"$bin" init --db "$db" >/dev/null 2>&1 || { echo "FAIL init"; exit 1; }
t 0 "usage: gonggai import" "" -- import --help
t 2 "" "SOURCE and --db" -- import projects
t 2 "" "unknown source" -- import frob --db "$db"
t 2 "" "--file is required" -- import projects --db "$db"
t 1 "" "无法读取" -- import projects --db "$db" --file "$tmp/none.csv"

printf 'XMDM,XMMC\n2026-610202-47-01-000101,x\n' >"$tmp/few.csv"
t 1 "缺少列 SPLCLX" "未导入任何数据" -- import projects --db "$db" --file "$tmp/few.csv" --dry-run

# Chinese headings, another order, lower-case SPGL names, a BOM, a quoted comma
printf '\xef\xbb\xbf项目名称,xmdm,审批流程类型,建设地点行政区划,建设地点,总投资（万元）,用地面积,建筑面积,拟开工时间,拟建成时间,单位名称,统一社会信用代码,单位类型,联系人,联系电话\n' >"$tmp/p.csv"
printf '"导入项目一,含逗号",2026-610202-47-01-000101,4,610202,铜川市王益区,800.0000,1000,2000,2026-01-01,2027-12-31,铜川市行政审批服务局,11610200MB29655940,1,王五,13912345678\n' >>"$tmp/p.csv"
printf '"导入项目一,含逗号",2026-610202-47-01-000101,4,610202,铜川市王益区,800,1000,2000,2026-01-01,2027-12-31,某设计院,11610200MB29655940,设计单位,李四,13912345679\n' >>"$tmp/p.csv"
printf '导入项目二,2026-610204-47-01-000102,4,610204,铜川市耀州区,5.5,100,200,2026-03-01,2026-02-01,某公司,11610200MB29655940,builder,赵六,13800000000\n' >>"$tmp/p.csv"
t 1 "第 4 行  investment_wan" "1 处错误" -- import projects --db "$db" --file "$tmp/p.csv" --dry-run
sed -i 's/,5\.5,/,500,/' "$tmp/p.csv"
t 1 '"field": "planned_finish"' "" -- import projects --db "$db" --file "$tmp/p.csv" --dry-run --json
ok 'python3 -c "import json,sys; d=json.load(open(\"$tmp/out\")); assert d[\"projects\"]==2 and d[\"units\"]==3 and d[\"created\"]==[] and d[\"errors\"][0][\"row\"]==4, d"' \
   "the report counts projects and units and names the row"
ok '[ "$(q "SELECT count(*) FROM projects")" = 0 ]' "a dry run writes nothing"
sed -i 's/2026-03-01,2026-02-01/2026-03-01,2027-02-01/' "$tmp/p.csv"
t 0 "试导入: 3 行, 2 个项目, 3 个单位" "" -- import projects --db "$db" --file "$tmp/p.csv" --dry-run
ok '[ "$(q "SELECT count(*) FROM projects")" = 0 ]' "a clean dry run writes nothing either"
t 0 "已创建 2026-610204-47-01-000102" "" -- import projects --db "$db" --file "$tmp/p.csv"
ok '[ "$(q "SELECT name FROM projects WHERE code = '"'2026-610202-47-01-000101'"'")" = "导入项目一,含逗号" ]' "quoted comma kept"
ok '[ "$(q "SELECT group_concat(kind) FROM (SELECT kind FROM project_units WHERE project_id = 1 ORDER BY position)")" = "builder,design" ]' \
   "both units of the first project, kinds mapped"
ok '[ "$(q "SELECT count(*) FROM audit_log WHERE action = '"'import.projects'"'")" = 1 ]' "one import audit row"
t 1 "已登记" "未导入任何数据" -- import projects --db "$db" --file "$tmp/p.csv"
ok '[ "$(q "SELECT count(*) FROM projects")" = 2 ]' "all or nothing: nothing more"
t 0 "audit chain ok" "" -- audit verify --db "$db"

# The same from an Excel workbook (written by openpyxl as Excel does): dates as date cells, investment and phone
# as numbers, a code as a number, columns in another order, a second sheet that is not read.
/usr/bin/python3 - "$tmp/p.xlsx" <<'PY'
import sys, datetime, openpyxl
wb = openpyxl.Workbook(); ws = wb.active; ws.title = "项目"
ws.append(["项目代码", "项目名称", "审批流程类型", "建设地点行政区划", "建设地点", "总投资（万元）", "用地面积", "建筑面积",
           "拟开工时间", "拟建成时间", "单位名称", "统一社会信用代码", "单位类型", "联系人", "联系电话"])
ws.append(["2026-610203-47-01-000103", "表格项目", 4, 610203, "铜川市印台区", 1200, 3000, 4500,
           datetime.date(2026, 5, 1), datetime.date(2028, 4, 30), "铜川市某公司", "11610200MB29655940", 1, "钱七", 13700000001])
ws.append([])
ws.append(["2026-610203-47-01-000104", "表格项目二", 4, 610203, "铜川市印台区", 90, 100, 200,
           datetime.date(2026, 6, 1), datetime.date(2026, 5, 1), "铜川市某公司", "11610200MB29655940", 1, "钱七", 13700000001])
wb.create_sheet("说明").append(["不读取"])
wb.save(sys.argv[1])
PY
t 1 "第 4 行  planned_finish" "1 处错误" -- import projects --db "$db" --file "$tmp/p.xlsx" --dry-run
ok '[ "$(q "SELECT count(*) FROM projects")" = 2 ]' "an xlsx dry run writes nothing"
printf 'PK\003\004not a workbook' >"$tmp/bad.xlsx"
t 1 "" "不是有效的 XLSX 文件" -- import projects --db "$db" --file "$tmp/bad.xlsx" --dry-run
/usr/bin/python3 - "$tmp/p.xlsx" <<'PY'
import sys, datetime, openpyxl
wb = openpyxl.load_workbook(sys.argv[1]); ws = wb["项目"]
ws["J4"] = datetime.date(2027, 5, 1)
wb.save(sys.argv[1])
PY
t 0 "已创建 2026-610203-47-01-000104" "" -- import projects --db "$db" --file "$tmp/p.xlsx"
ok '[ "$(q "SELECT planned_start || '"' '"' || planned_finish || '"' '"' || investment_wan FROM projects WHERE code = '"'2026-610203-47-01-000103'"'")" = "2026-05-01 2028-04-30 1200" ]' \
   "dates and numbers of the workbook stored as typed"
ok '[ "$(q "SELECT phone FROM project_units u JOIN projects p ON p.id = u.project_id WHERE p.code = '"'2026-610203-47-01-000103'"'")" = 13700000001 ]' \
   "a phone typed as a number kept whole"

echo "import.sh: $checks checks, $fails failed"
[ "$fails" = 0 ]
