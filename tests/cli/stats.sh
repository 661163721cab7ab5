#!/usr/bin/env bash
# CLI tests of `gonggai stats`: report formats and defaults, usage errors,
# overview, refresh, rebuild, and check (exit 0 when every aggregate matches
# a full recount, exit 1 naming the first difference after tampering).
# Uses $GG_BIN (the sanitizer binary, exported by tests/run.sh); prints one
# line per failure and exits non-zero when any check failed.
set -u
bin=${GG_BIN:?GG_BIN must name the gonggai binary}
fails=0; checks=0
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
db="$tmp/gg.db"

# t WANT_EXIT WANT_STDOUT_SUBSTRING [WANT_STDERR_SUBSTRING] -- ARGS...
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

"$bin" init --db "$db" --json >/dev/null 2>&1 || { echo "FAIL init"; exit 1; }
year=$(TZ=Asia/Shanghai date +%Y)

# ---- usage ------------------------------------------------------------------------------
t 0 "usage: gonggai stats" "" -- stats --help
t 2 "" "--db is required" -- stats
t 2 "" "unknown subcommand 'frob'" -- stats frob --db "$db"
t 2 "" "--format is table" -- stats --db "$db" --format pdf
t 2 "" "--group is district" -- stats --db "$db" --group city
t 2 "" "needs -o FILE" -- stats --db "$db" --format xlsx
t 2 "" "period" -- stats --db "$db" --period week
t 2 "" "to" -- stats --db "$db" --period range --from 2026-01-01
t 2 "" "from" -- stats --db "$db" --period month --from 2026-13
t 1 "" "数据库不存在" -- stats --db "$tmp/none.db"

# ---- an empty database --------------------------------------------------------------------
t 0 "统计周期: ${year}年" "" -- stats --db "$db"
t 0 "合计" "" -- stats --db "$db" --group flow-type
t 0 '"kind": "year"' "" -- stats --db "$db" --format json
t 0 "equal: 0 cases" "" -- stats check --db "$db"

# ---- some 办件 --------------------------------------------------------------------------------
"$bin" project add --db "$db" --code "${year}-610203-47-01-000001" --name 统计命令测试 --flow-type 4 \
  --division 610203 --address 铜川 --investment 500 --land-area 800 --floor-area 1200 \
  --start "${year}-01-01" --finish "$((year+1))-12-31" \
  --unit 'builder,铜川市行政审批服务局,11610200MB29655940,王五,13912345678' >/dev/null 2>&1 \
  || { echo "FAIL project add"; exit 1; }
"$bin" case apply --db "$db" --project "${year}-610203-47-01-000001" --stage 1 --items QYBA-001,YDGH-001 \
  >/dev/null 2>&1 || { echo "FAIL case apply"; exit 1; }
"$bin" case act --db "$db" --case 1 --action accept >/dev/null 2>&1 || { echo "FAIL accept"; exit 1; }
"$bin" case act --db "$db" --case 2 --action withdraw --opinion 申请人撤回 >/dev/null 2>&1 || { echo "FAIL withdraw"; exit 1; }

t 0 "印台区" "" -- stats --db "$db"
t 0 "" "" -- stats --db "$db" --format csv -o "$tmp/r.csv"
ok "head -c 3 '$tmp/r.csv' | od -An -tx1 | grep -q 'ef bb bf'" "csv has a UTF-8 BOM"
ok "grep -q '^610203,印台区,2,1,0,0,' '$tmp/r.csv'" "csv row of 印台区: received 2, accepted 1"
ok "grep -q '^,合计,2,1,0,0,0,0,0,1,' '$tmp/r.csv'" "csv totals: one 撤件 (withdrawn before acceptance)"
t 0 "" "" -- stats --db "$db" --format xlsx -o "$tmp/r.xlsx" --period year
ok "[ \"\$(head -c 2 '$tmp/r.xlsx')\" = PK ]" "xlsx is a zip"
t 0 '"running": 1' "" -- stats overview --db "$db"
t 0 '"cancelled": 1' "" -- stats --db "$db" --format json --group item
t 0 "lights refreshed" "" -- stats refresh --db "$db"
t 0 "rebuilt statistics of 2 cases" "" -- stats rebuild --db "$db"
t 0 "equal: 2 cases" "" -- stats check --db "$db"
t 0 '"received": 1' "" -- stats --db "$db" --format json --department 610200-ZRZY

# ---- tampering is caught, rebuild repairs it --------------------------------------------------
if command -v sqlite3 >/dev/null; then
  sqlite3 "$db" "UPDATE stats_day SET received = received + 1 WHERE day = (SELECT max(day) FROM stats_day)"
  t 1 "DIFFERENT: stats_day" "" -- stats check --db "$db"
  sqlite3 "$db" "DELETE FROM stats_case WHERE case_id = 2"
  t 1 "case 2 is not counted" "" -- stats check --db "$db"
  t 0 "" "" -- stats rebuild --db "$db"
  t 0 "equal: 2 cases" "" -- stats check --db "$db"
fi

if [ "$fails" -gt 0 ]; then
  echo "$fails of $checks checks failed"; exit 1
fi
echo "all $checks checks passed"
