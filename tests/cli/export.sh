#!/usr/bin/env bash
# 办件 export (issue 14 item 5): GET /api/cases/export writes every case the
# list filters match — past the 10,000 rows the page used to stop at — as CSV
# and XLSX, in the caller's scope, named with the Asia/Shanghai date and the
# number of rows; a bad format is a 400 naming the field.
set -u
BIN=${GG_BIN:-build/asan/gonggai}
d=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$d"' EXIT
fail=0
ok()  { echo "ok   $*"; }
bad() { echo "FAIL $*"; fail=1; }
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0}
db="$d/demo.db"
"$BIN" demo --db "$db" --projects 1400 --seed 2 >"$d/demo.out" 2>&1 || { cat "$d/demo.out"; exit 1; }
"$BIN" serve --db "$db" --listen 127.0.0.1:0 >"$d/serve.out" 2>"$d/serve.err" &
pid=$!
for _ in $(seq 100); do grep -q listening "$d/serve.out" && break; sleep 0.1; done
url=$(sed -n 's/^listening on //p' "$d/serve.out")
[ -n "$url" ] || { echo "FAIL serve did not start"; cat "$d/serve.err"; exit 1; }
login() {
  curl -sf -c "$d/$1.jar" -H 'Content-Type: application/json' \
    -d "{\"username\":\"$1\",\"password\":\"Demo-Passw0rd!\"}" "$url/api/session" >/dev/null
}
total() { curl -sf -b "$d/$1.jar" "$url/api/cases?page_size=1&$2" | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])'; }
# every matching row, paged through the list (its total stops at 10,000)
count() {
  local p=1 n=0 k
  while :; do
    k=$(curl -sf -b "$d/$1.jar" "$url/api/cases?page_size=200&page=$p&$2" |
        python3 -c 'import json,sys; print(len(json.load(sys.stdin)["items"]))')
    n=$((n + k)); [ "$k" -lt 200 ] && break; p=$((p + 1))
  done
  echo "$n"
}
fetch() { # fetch USER QUERY FILE -> http status; headers in FILE.h
  curl -s -b "$d/$1.jar" -D "$3.h" -o "$3" -w '%{http_code}' "$url/api/cases/export?$2"
}
csv_rows() { python3 -c "import csv,sys; r=list(csv.reader(open('$1',encoding='utf-8-sig'))); print(len(r)-1)"; }
login demo_leader || { echo "FAIL login"; exit 1; }
login demo_zjj_clerk

all=$(count demo_leader "")
[ "$all" -gt 10000 ] && ok "list holds $all rows (over 10,000)" || bad "demo too small: $all"
[ "$(total demo_leader "")" = 10000 ] && curl -sf -b "$d/demo_leader.jar" "$url/api/cases?page_size=1" |
  grep -q '"total_capped": *true' && ok "list total capped at 10,000" || bad "total not capped"
[ "$(fetch demo_leader format=csv "$d/all.csv")" = 200 ] && ok "CSV export 200" || bad "CSV export"
n=$(csv_rows "$d/all.csv")
[ "$n" = "$all" ] && ok "CSV holds every row: $n" || bad "CSV rows $n, list $all"
day=$(TZ=Asia/Shanghai date +%F)
grep -qi "filename=\"cases-$day-$all.csv\"" "$d/all.csv.h" && ok "file name: Shanghai date and rows" \
  || bad "disposition: $(grep -i disposition "$d/all.csv.h")"
python3 - "$d/all.csv" <<'PY' && ok "CSV header and codes beside names" || bad "CSV columns"
import csv, sys
r = csv.reader(open(sys.argv[1], encoding='utf-8-sig'))
head = next(r)
assert head[0] == '办件编号' and '状态代码(BLZT)' in head and '状态' in head, head
row = next(r)
i = head.index('状态代码(BLZT)')
assert row[i].isdigit() and row[i + 1], row
PY

[ "$(fetch demo_leader format=xlsx "$d/all.xlsx")" = 200 ] && ok "XLSX export 200" || bad "XLSX export"
python3 - "$d/all.xlsx" "$all" <<'PY' && ok "XLSX holds every row" || bad "XLSX rows"
import re, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
sheet = z.read('xl/worksheets/sheet1.xml').decode()
rows = len(re.findall(r'<row ', sheet)) - 1
sys.exit(0 if rows == int(sys.argv[2]) else 1)
PY

# the file is named with the Asia/Shanghai date: at 01:30 in Shanghai it is still the day before in UTC
late=$(date -u -d '2026-12-07 17:30:00' +%s)
curl -s -b "$d/demo_leader.jar" -H "X-GG-Now: $late" -D "$d/late.h" -o /dev/null "$url/api/cases/export?format=csv"
grep -qi 'filename="cases-2026-12-08-' "$d/late.h" && ok "file name dated by Asia/Shanghai, not UTC" \
  || bad "late-night name: $(grep -i disposition "$d/late.h")"

# the same filters as the list
ok11=$(count demo_leader "status=11")
fetch demo_leader "format=csv&status=11" "$d/s11.csv" >/dev/null
[ "$(csv_rows "$d/s11.csv")" = "$ok11" ] && ok "status filter: $ok11 rows" || bad "status filter"
red=$(count demo_leader "stage=4&district=610204")
fetch demo_leader "format=csv&stage=4&district=610204" "$d/red.csv" >/dev/null
[ "$(csv_rows "$d/red.csv")" = "$red" ] && ok "stage and district filters: $red rows" || bad "stage filter"
# the caller's scope
mine=$(count demo_zjj_clerk "")
fetch demo_zjj_clerk format=csv "$d/zjj.csv" >/dev/null
[ "$(csv_rows "$d/zjj.csv")" = "$mine" ] && [ "$mine" -lt "$all" ] && ok "department scope: $mine rows" || bad "scope"
# bad input
[ "$(fetch demo_leader format=pdf "$d/bad")" = 400 ] && grep -q '"field":"format"' "$d/bad" \
  && ok "format=pdf: 400 naming format" || bad "bad format"
[ "$(fetch demo_leader "format=csv&light=blue" "$d/bad")" = 400 ] && ok "bad light: 400" || bad "bad light"
[ "$(curl -s -o /dev/null -w '%{http_code}' "$url/api/cases/export?format=csv")" = 401 ] && ok "no session: 401" || bad "401"

[ "$fail" = 0 ] && echo "export: all passed" || echo "export: FAILED"
exit "$fail"
