#!/usr/bin/env bash
# CLI tests of `gonggai exchange` against a real PostgreSQL front DB started
# by tests/pg.sh in a temporary directory, with the province simulator of
# tests/exchange/province.sql answering SJSCZT 3 or 2:
#   mapping of every table from a demo database, parents first and waiting,
#   idempotence, rejected -> corrected -> accepted (数据质检 running after the
#   pull that learned each verdict), withdrawals as new rows,
#   SIGKILL during a push (at chosen points and at random), `check` naming a
#   missing column, a column type that cannot take our values, a vendor DDL
#   with other column order and types, the 3.0 attachments mapping, and
#   uploaded files (case_files) as attachments (FJFL 1).
set -u
bin=${GG_BIN:?GG_BIN must name the gonggai binary}
here=$(cd "$(dirname "$0")/.." && pwd)
fails=0; checks=0
tmp=$(mktemp -d)
cleanup() { "$here/pg.sh" stop "$tmp/pg" >/dev/null 2>&1; rm -rf "$tmp"; }
trap cleanup EXIT

ok() { checks=$((checks+1)); }
fail() { checks=$((checks+1)); fails=$((fails+1)); echo "FAIL $*"; }
expect() { # expect NAME GOT WANT
  if [ "$2" = "$3" ]; then ok; else fail "$1: got '$2', want '$3'"; fi
}

ci=$("$here/pg.sh" start "$tmp/pg") || { echo "FAIL cannot start PostgreSQL"; exit 1; }
newdb() { # newdb NAME DDL... -> prints conninfo
  psql "$ci" -qc "CREATE DATABASE $1" >/dev/null
  local c="${ci/dbname=postgres/dbname=$1}"; shift
  for f in "$@"; do psql "$c" -q -v ON_ERROR_STOP=1 -f "$f" >/dev/null || echo "FAIL ddl $f" >&2; done
  echo "$c"
}
province() { psql "$1" -q -v ON_ERROR_STOP=1 -f "$here/exchange/province.sql" >/dev/null || fail "province on $1"; }
q() { psql "$1" -tAc "$2"; }
push() { "$bin" exchange push --db "$@" >"$tmp/push.out" 2>"$tmp/push.err"; }
sent() { sed -n 's/^rows sent \([0-9]*\),.*/\1/p' "$tmp/push.out"; }
# rounds DB CONNINFO [ARGS]: push + province until a push sends nothing (at most 10)
rounds() {
  local db=$1 c=$2; shift 2
  for _ in 1 2 3 4 5 6 7 8 9 10; do
    push "$db" --target "$c" "$@" || { fail "push: $(cat "$tmp/push.err")"; return; }
    [ "$(sent)" = 0 ] && return
    province "$c"
  done
  fail "rounds: still sending after 10 rounds"
}
nodup() { psql "$1" -q -v ON_ERROR_STOP=1 -f "$here/exchange/duplicates.sql" >/dev/null 2>"$tmp/dup.err" && ok ||
  fail "duplicates in $1: $(cat "$tmp/dup.err")"; }
status() { "$bin" exchange status --db "$1" --json; }
pending() { status "$1" | jq '[.tables[].pending] | add'; }

"$bin" demo --db "$tmp/a.db" --projects 25 --seed 11 >/dev/null 2>&1 || fail "demo"
cp "$tmp/a.db" "$tmp/b.db"; cp "$tmp/a.db" "$tmp/c.db"; cp "$tmp/a.db" "$tmp/d.db"; cp "$tmp/a.db" "$tmp/e.db"
cp "$tmp/a.db" "$tmp/f.db"

# ---- usage and check ---------------------------------------------------------------------
"$bin" exchange --help | grep -q "gonggai exchange check" && ok || fail "--help"
"$bin" exchange frob --db "$tmp/a.db" 2>/dev/null; expect "unknown action exit" $? 2
"$bin" exchange push --db "$tmp/a.db" 2>"$tmp/err"; expect "push without target exit" $? 1
grep -q "target" "$tmp/err" && ok || fail "no-target message: $(cat "$tmp/err")"
"$bin" exchange push --db "$tmp/a.db" --target "$ci" --wait-for-parent maybe 2>/dev/null
expect "bad wait_for_parent exit" $? 2

empty=$(newdb empty)
"$bin" exchange check --target "$empty" >"$tmp/out"; expect "check on an empty front DB exit" $? 1
grep -q "表 SPGL_XMJBXXB 在前置库中不存在" "$tmp/out" && ok || fail "check names the missing table"
broken=$(newdb broken "$here/exchange/spgl-ddl.sql")
psql "$broken" -qc "ALTER TABLE spgl_xmjbxxb DROP COLUMN jsdd; ALTER TABLE spgl_xmspsxblxxxxb DROP COLUMN blyj"
"$bin" exchange check --target "$broken" >"$tmp/out"; expect "check on a broken front DB exit" $? 1
grep -q "error   SPGL_XMJBXXB 缺少列 JSDD" "$tmp/out" && ok || fail "check names JSDD: $(cat "$tmp/out")"
grep -q "warning SPGL_XMSPSXBLXXXXB 缺少列 BLYJ" "$tmp/out" && ok || fail "check warns about BLYJ"
"$bin" exchange check --target "$broken" --json | jq -e '.errors == 1' >/dev/null && ok || fail "check --json errors"
push "$tmp/d.db" --target "$broken"; expect "push on a broken front DB exit" $? 1
grep -q "JSDD" "$tmp/push.err" && ok || fail "push names JSDD: $(cat "$tmp/push.err")"
expect "nothing written to the broken front DB" "$(q "$broken" 'SELECT count(*) FROM spgl_dfxmsplcxxb')" 0

# a column type that cannot hold our values: named, nothing written
typed=$(newdb typed "$here/exchange/spgl-ddl.sql")
psql "$typed" -qc "ALTER TABLE spgl_xmspsxblxxb ALTER COLUMN slfs TYPE interval USING NULL"
"$bin" exchange check --target "$typed" >"$tmp/out"; expect "check on an interval column exit" $? 1
grep -q "SPGL_XMSPSXBLXXB.SLFS: 列类型 interval 不受支持" "$tmp/out" && ok || fail "check names SLFS: $(cat "$tmp/out")"
push "$tmp/d.db" --target "$typed"; expect "push on an interval column exit" $? 1
grep -q "SLFS" "$tmp/push.err" && ok || fail "push names SLFS: $(cat "$tmp/push.err")"
expect "nothing written to the typed front DB" "$(q "$typed" 'SELECT (SELECT count(*) FROM spgl_dfxmsplcxxb) + (SELECT count(*) FROM spgl_xmspsxblxxb)')" 0

# ---- parents first, waiting for acceptance -------------------------------------------------
# an uploaded file of the first 办件 goes as an attachment with the rest
printf '%%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%%%EOF\n' >"$tmp/a.pdf"
first=$(sqlite3 "$tmp/a.db" 'SELECT number FROM cases ORDER BY id LIMIT 1')
"$bin" case upload --db "$tmp/a.db" --case "$first" --file "$tmp/a.pdf" --name "申请书.pdf" >/dev/null || fail "upload"

front=$(newdb front "$here/exchange/spgl-ddl.sql")
"$bin" exchange check --target "$front" >/dev/null; expect "check on the full DDL exit" $? 0
push "$tmp/a.db" --target "$front" || fail "first push: $(cat "$tmp/push.err")"
flows=$(q "$front" 'SELECT count(*) FROM spgl_dfxmsplcxxb')
[ "$flows" -gt 0 ] && ok || fail "first push sent no flow"
expect "stages wait for their flow" "$(q "$front" 'SELECT count(*) FROM spgl_dfxmsplcjdxxb')" 0
expect "projects wait" "$(q "$front" 'SELECT count(*) FROM spgl_xmjbxxb')" 0
push "$tmp/a.db" --target "$front"
expect "nothing more before the province answers" "$(sent)" 0
province "$front"
push "$tmp/a.db" --target "$front"
[ "$(q "$front" 'SELECT count(*) FROM spgl_dfxmsplcjdxxb')" -gt 0 ] && ok || fail "stages after acceptance"
expect "stage items still wait" "$(q "$front" 'SELECT count(*) FROM spgl_dfxmsplcjdsxxxb')" 0
province "$front"
rounds "$tmp/a.db" "$front"
expect "pending after the rounds" "$(pending "$tmp/a.db")" 0
status "$tmp/a.db" >"$tmp/st.json"
jq -e '.rejected == [] and (.tables | length) == 10 and .last_push != null and .last_pull != null' "$tmp/st.json" >/dev/null &&
  ok || fail "status: $(cat "$tmp/st.json")"
jq -e '[.tables[] | select(.accepted == 0)] | length == 0' "$tmp/st.json" >/dev/null && ok || fail "a table with nothing accepted"
jq -e '.tables[0] | keys == ["accepted","pending","rejected","sent","table"]' "$tmp/st.json" >/dev/null && ok || fail "status keys"
for t in spgl_dfxmsplcxxb spgl_dfxmsplcjdxxb spgl_dfxmsplcjdsxxxb spgl_xmjbxxb spgl_xmdwxxb spgl_xmspsxblxxb \
         spgl_xmspsxblxxxxb spgl_xmspsxbltbcxxxb spgl_xmspsxpfwjxxb spgl_xmqtfjxxb; do
  want=$(jq --arg t "${t^^}" '.tables[] | select(.table == $t) | .accepted' "$tmp/st.json")
  expect "$t rows" "$(q "$front" "SELECT count(*) FROM $t WHERE sjsczt = 3")" "$want"
done
# what the rows say
expect "cases = 办件" "$(q "$front" 'SELECT count(*) FROM spgl_xmspsxblxxb')" "$(sqlite3 "$tmp/a.db" 'SELECT count(*) FROM cases')"
expect "SPSXSLBM is our number" "$(q "$front" "SELECT spsxslbm FROM spgl_xmspsxblxxb WHERE dfsjzj = 'case:1'")" \
  "$(sqlite3 "$tmp/a.db" 'SELECT number FROM cases WHERE id = 1')"
expect "BLSPSLBM only for instances of several items" \
  "$(q "$front" "SELECT count(*) FROM spgl_xmspsxblxxb WHERE blspslbm IS NOT NULL")" \
  "$(sqlite3 "$tmp/a.db" 'SELECT count(*) FROM cases c JOIN case_instances n ON n.id = c.instance_id WHERE n.ncases > 1')"
expect "one virtual stage 5 per flow" "$(q "$front" "SELECT count(*) FROM spgl_dfxmsplcjdxxb WHERE spjdxh = 5 AND spjdsx = 0")" "$flows"
expect "XZQHDM" "$(q "$front" "SELECT DISTINCT xzqhdm FROM spgl_xmjbxxb")" 610200
expect "LSH left to the front DB, SCSJ written" "$(q "$front" "SELECT count(*) FROM spgl_xmjbxxb WHERE scsj IS NULL OR lsh IS NULL")" 0
expect "approval documents have no term" "$(q "$front" "SELECT DISTINCT pfwjyxqx FROM spgl_xmspsxpfwjxxb")" 9999-01-01
expect "BLZT in range" "$(q "$front" "SELECT count(*) FROM spgl_xmspsxblxxxxb WHERE blzt NOT BETWEEN 1 AND 15")" 0
expect "the uploaded file as an attachment" "$(q "$front" "SELECT fjid || ' ' || fjmc || ' ' || fjlx || ' ' || fjfl || ' ' || spsxslbm FROM spgl_xmqtfjxxb WHERE dfsjzj = 'file:1'")" \
  "1 申请书.pdf pdf 1 $first"
nodup "$front"

# ---- idempotence ----------------------------------------------------------------------------
before=$(q "$front" 'SELECT sum(n) FROM (SELECT count(*) n FROM spgl_xmjbxxb UNION ALL SELECT count(*) FROM spgl_xmspsxblxxxxb) x')
push "$tmp/a.db" --target "$front"; expect "push with nothing changed" "$(sent)" 0
push "$tmp/a.db" --target "$front"; expect "and again" "$(sent)" 0
expect "no new rows" "$(q "$front" 'SELECT sum(n) FROM (SELECT count(*) n FROM spgl_xmjbxxb UNION ALL SELECT count(*) FROM spgl_xmspsxblxxxxb) x')" "$before"
# a file uploaded to an accepted 办件 goes at the next push, alone
last=$(sqlite3 "$tmp/a.db" 'SELECT number FROM cases ORDER BY id DESC LIMIT 1')
"$bin" case upload --db "$tmp/a.db" --case "$last" --file "$tmp/a.pdf" --name "补正材料.pdf" >/dev/null || fail "upload 2"
push "$tmp/a.db" --target "$front"; expect "the new file goes" "$(sent)" 1
expect "its row" "$(q "$front" "SELECT fjid || ' ' || fjmc || ' ' || fjfl || ' ' || sjyxbs FROM spgl_xmqtfjxxb WHERE dfsjzj = 'file:2'")" \
  "2 补正材料.pdf 1 1"
province "$front"
push "$tmp/a.db" --target "$front"; expect "and only once" "$(sent)" 0

# ---- rejected -> corrected -> accepted ----------------------------------------------------------
pid=$(sqlite3 "$tmp/a.db" 'SELECT project_id FROM case_progress WHERE finished_at IS NULL ORDER BY project_id LIMIT 1')
code=$(sqlite3 "$tmp/a.db" "SELECT code FROM projects WHERE id = $pid")
# legacy data the domain would refuse today: start after finish
sqlite3 "$tmp/a.db" "UPDATE projects SET planned_start = '2031-01-01', planned_finish = '2030-01-01' WHERE id = $pid"
push "$tmp/a.db" --target "$front"; expect "the changed project goes" "$(sent)" 1
province "$front"
"$bin" exchange pull --db "$tmp/a.db" --target "$front" | jq -e '.rejected == 1' >/dev/null && ok || fail "pull learns the rejection"
status "$tmp/a.db" >"$tmp/st.json"
jq -e --arg c "$code" '.rejected | length == 1 and .[0].table == "SPGL_XMJBXXB" and .[0].object == $c and
  .[0].reason == "NKGSJ时间要早于NJCSJ时间" and (.[0].since | test("^20[0-9-]+T")) and .[0].dfsjzj == "project:'"$pid"'"' \
  "$tmp/st.json" >/dev/null && ok || fail "status lists the rejection: $(jq -c .rejected "$tmp/st.json")"
findings() { "$bin" quality findings --db "$tmp/a.db" --rule exchange-rejected --status "$1" --json | jq '.total'; }
expect "the pull ran 数据质检: the rejection is a finding" "$(findings open)" 1
push "$tmp/a.db" --target "$front"; expect "a rejected row is not sent again" "$(sent)" 0
"$bin" project update --db "$tmp/a.db" --id "$pid" --start 2027-01-01 --finish 2028-06-30 >/dev/null || fail "project update"
push "$tmp/a.db" --target "$front"; expect "the corrected project goes as a new row" "$(sent)" 1
province "$front"
push "$tmp/a.db" --target "$front"
expect "three rows with the key" "$(q "$front" "SELECT count(*) FROM spgl_xmjbxxb WHERE dfsjzj = 'project:$pid'")" 3
expect "verdicts per row" "$(q "$front" "SELECT string_agg(sjsczt::text, ',' ORDER BY lsh) FROM spgl_xmjbxxb WHERE dfsjzj = 'project:$pid'")" 3,2,3
expect "no rejection left" "$(status "$tmp/a.db" | jq '.rejected | length')" 0
expect "the push that learned the acceptance closed the finding" "$(findings fixed)" 1
grep -q "质检运行" "$tmp/push.out" && ok || fail "the push says what 数据质检 found: $(cat "$tmp/push.out")"
# completion is reported as a new row
sqlite3 "$tmp/a.db" "UPDATE case_progress SET finished_at = strftime('%s','now') WHERE project_id = $pid"
push "$tmp/a.db" --target "$front"; expect "completion goes" "$(sent)" 1
expect "XMSFWQBJ=1 with XMWQBJSJ" "$(q "$front" "SELECT count(*) FROM spgl_xmjbxxb WHERE dfsjzj = 'project:$pid' AND xmsfwqbj = 1 AND xmwqbjsj IS NOT NULL")" 1
province "$front"

# ---- withdrawals ----------------------------------------------------------------------------------
cid=$(sqlite3 "$tmp/a.db" 'SELECT id FROM cases ORDER BY id LIMIT 1')
nrows=$(sqlite3 "$tmp/a.db" "SELECT count(*) FROM exchange_rows WHERE object = (SELECT number FROM cases WHERE id = $cid)")
"$bin" exchange withdraw case "$cid" --reason 修复作废 --db "$tmp/a.db" >/dev/null || fail "withdraw"
"$bin" exchange withdraw case "$cid" --db "$tmp/a.db" 2>/dev/null; expect "withdraw without reason exit" $? 1
push "$tmp/a.db" --target "$front" --wait-for-parent sent
expect "every row of the 办件 withdrawn" "$(sent)" "$nrows"
expect "the 办件 row with SJYXBS=0" "$(q "$front" "SELECT sjyxbs || ' ' || sjwxyy FROM spgl_xmspsxblxxb WHERE dfsjzj = 'case:$cid' ORDER BY lsh DESC LIMIT 1")" "0 修复作废"
expect "the earlier row untouched" "$(q "$front" "SELECT sjyxbs FROM spgl_xmspsxblxxb WHERE dfsjzj = 'case:$cid' ORDER BY lsh LIMIT 1")" 1
province "$front"
rounds "$tmp/a.db" "$front"
expect "withdrawal accepted" "$(status "$tmp/a.db" | jq '[.tables[].pending, .tables[].rejected] | add')" 0
sqlite3 "$tmp/a.db" "SELECT count(*) FROM audit_log WHERE action = 'exchange.withdraw'" | grep -qx 1 && ok || fail "withdrawal audited"
[ "$(sqlite3 "$tmp/a.db" "SELECT count(*) FROM audit_log WHERE action = 'exchange.push' AND outcome = 'success'")" -gt 3 ] &&
  ok || fail "pushes that sent or learned something are audited"
"$bin" audit verify --db "$tmp/a.db" >/dev/null && ok || fail "audit chain after the exchange"
nodup "$front"

# ---- inspections, HTTP and metrics on the database that reached the front DB ----------------------------
printf '[exchange]\ntarget = %s\ninterval_minutes = 1440\n' "$front" >"$tmp/gg.ini"
"$bin" inspect --db "$tmp/a.db" --config "$tmp/gg.ini" --only exchange --json >"$tmp/insp.json"
expect "inspect exchange exit" $? 0
jq -e '[.items[].item] == ["exchange.target","exchange.backlog","exchange.rejected"]' "$tmp/insp.json" >/dev/null && ok ||
  fail "inspection items: $(cat "$tmp/insp.json")"
"$bin" inspect --db "$tmp/a.db" --only exchange.target | grep -q "未配置前置库" && ok || fail "exchange.target when off"
"$bin" user add --db "$tmp/a.db" --username xops --password 'Init-Passw0rd!' --role ops >/dev/null || fail "user add"
"$bin" serve --db "$tmp/a.db" --listen 127.0.0.1:0 --config "$tmp/gg.ini" >"$tmp/serve.out" 2>"$tmp/serve.err" & spid=$!
for _ in $(seq 100); do grep -q listening "$tmp/serve.out" && break; sleep 0.1; done
url="http://127.0.0.1:$(sed -n 's/.*:\([0-9]*\)$/\1/p' "$tmp/serve.out")"
J=(-s -b "$tmp/jar" -c "$tmp/jar" -H 'Content-Type: application/json')
curl "${J[@]}" -d '{"username":"xops","password":"Init-Passw0rd!"}' "$url/api/session" >/dev/null
curl "${J[@]}" -d '{"old_password":"Init-Passw0rd!","new_password":"N3w-and-l0nger"}' "$url/api/me/password" >/dev/null
curl "${J[@]}" "$url/api/exchange" >"$tmp/h.json"
jq -e '.enabled == true and (.tables | length) == 10 and .rejected == [] and .last_push != null' "$tmp/h.json" >/dev/null &&
  ok || fail "GET /api/exchange: $(head -c 300 "$tmp/h.json")"
code=$(curl "${J[@]}" -o "$tmp/h.json" -w '%{http_code}' -d '{"wait":true}' "$url/api/exchange/push")
expect "POST /api/exchange/push" "$code" 200
jq -e '.state == "done" and .exchange.kind == "push" and .exchange.trigger == "http" and .exchange.state == "done"' \
  "$tmp/h.json" >/dev/null && ok || fail "push run: $(head -c 400 "$tmp/h.json")"
curl "${J[@]}" "$url/api/exchange/runs?page_size=5" | jq -e '.total > 5 and (.items | length) == 5' >/dev/null && ok || fail "runs"
curl -s "$url/metrics" | grep -q 'gonggai_exchange_rows{table="SPGL_XMJBXXB",state="accepted"} [1-9]' && ok || fail "metrics"
curl -s -b "$tmp/jar" -o /dev/null -w '%{http_code}' -X POST -H 'Content-Type: application/json' -d '{' "$url/api/exchange/push" |
  grep -qx 400 && ok || fail "bad body 400"
kill $spid; wait $spid

# ---- SIGKILL during a push ---------------------------------------------------------------------------
crash=$(newdb crash "$here/exchange/spgl-ddl.sql")
args=(--target "$crash" --wait-for-parent sent --batch-rows 40)
for point in intent:2 commit:3 commit:1 intent:7 commit:9; do
  GG_EXCHANGE_CRASH=$point "$bin" exchange push --db "$tmp/b.db" "${args[@]}" >/dev/null 2>&1
  rc=$?; [ "$rc" = 137 ] || [ "$rc" -gt 128 ] && ok || fail "crash at $point: exit $rc"
done
for delay in 0.05 0.1 0.2 0.3 0.5; do
  "$bin" exchange push --db "$tmp/b.db" "${args[@]}" >/dev/null 2>&1 & p=$!
  sleep "$delay"; kill -9 $p 2>/dev/null; wait $p 2>/dev/null
done
push "$tmp/b.db" "${args[@]}" || fail "push after the crashes: $(cat "$tmp/push.err")"
push "$tmp/b.db" "${args[@]}"; expect "nothing left after the crashes" "$(sent)" 0
nodup "$crash"
for t in SPGL_XMJBXXB SPGL_XMSPSXBLXXB SPGL_XMSPSXBLXXXXB; do
  expect "$t: one row per source row" "$(q "$crash" "SELECT count(*) FROM $t")" \
    "$(sqlite3 "$tmp/b.db" "SELECT count(*) FROM exchange_rows WHERE tbl = (SELECT id FROM exchange_tables WHERE name = '$t')")"
done
expect "nothing pending after the crashes" "$(pending "$tmp/b.db")" 0
expect "no batch left open" "$(sqlite3 "$tmp/b.db" 'SELECT count(*) FROM exchange_batches')" 0
# rows sent at once keep no content: a withdrawal derives it again from the source
cid=$(sqlite3 "$tmp/b.db" "SELECT substr(dfsjzj, 6) FROM exchange_rows WHERE tbl = (SELECT id FROM exchange_tables WHERE name = 'SPGL_XMSPSXBLXXB') AND content = ''
  AND object IN (SELECT c.number FROM cases c JOIN case_status s ON s.case_id = c.id) ORDER BY id LIMIT 1")
[ -n "$cid" ] && ok || fail "rows sent at once keep no content"
num=$(sqlite3 "$tmp/b.db" "SELECT number FROM cases WHERE id = $cid")
nst=$(sqlite3 "$tmp/b.db" "SELECT count(*) FROM exchange_rows WHERE tbl = (SELECT id FROM exchange_tables WHERE name = 'SPGL_XMSPSXBLXXXXB') AND object = '$num' AND content = ''")
[ "$nst" -gt 0 ] && ok || fail "status rows of 办件 $num sent at once"
"$bin" exchange withdraw case "$cid" --reason 修复作废 --db "$tmp/b.db" >/dev/null || fail "withdraw a 办件 sent at once"
push "$tmp/b.db" "${args[@]}"
expect "withdrawals of rows sent at once" "$(sent)" "$(sqlite3 "$tmp/b.db" "SELECT count(*) FROM exchange_rows WHERE object = '$num'")"
expect "withdrawn status rows carry their business key" "$(q "$crash" "SELECT count(*) FROM spgl_xmspsxblxxxxb
  WHERE sjyxbs = 0 AND sjwxyy = '修复作废' AND spsxslbm = '$num' AND blzt IS NOT NULL AND blsj IS NOT NULL")" "$nst"
nodup "$crash"
# projects and units go at once too, and keep their content: a unit taken off its project (no source
# left) is withdrawn from it
xmdw="tbl = (SELECT id FROM exchange_tables WHERE name = 'SPGL_XMDWXXB')"
uk=$(sqlite3 "$tmp/b.db" "SELECT dfsjzj FROM exchange_rows WHERE $xmdw AND content <> '' AND sent_at IS NOT NULL ORDER BY id LIMIT 1")
expect "units sent at once" "$(q "$crash" "SELECT count(*) > 0 FROM spgl_xmdwxxb WHERE dfsjzj = '$uk'")" t
sqlite3 "$tmp/b.db" "DELETE FROM project_units WHERE project_id = $(echo "$uk" | cut -d: -f2) AND credit_code = '$(echo "$uk" | cut -d: -f3)'"
push "$tmp/b.db" "${args[@]}" || fail "push after a unit left: $(cat "$tmp/push.err")"
expect "a unit taken off its project is withdrawn" "$(q "$crash" "SELECT count(*) FROM spgl_xmdwxxb
  WHERE dfsjzj = '$uk' AND sjyxbs = 0 AND sjwxyy = '单位已从项目中移除'")" 1

# ---- a vendor's DDL: other order, other types, extra columns -----------------------------------------
vendor=$(newdb vendor "$here/exchange/spgl-ddl-vendor.sql")
"$bin" exchange check --target "$vendor" >"$tmp/out"; expect "check on the vendor DDL exit" $? 0
rounds "$tmp/c.db" "$vendor"
status "$tmp/c.db" >"$tmp/st.json"
jq -e '[.tables[].pending, .tables[].rejected, .tables[].sent] | add == 0' "$tmp/st.json" >/dev/null && ok ||
  fail "vendor DDL: not all accepted: $(jq -c . "$tmp/st.json")"
expect "vendor LSH is text" "$(q "$vendor" "SELECT count(*) FROM spgl_xmjbxxb WHERE length(lsh) = 32")" \
  "$(q "$vendor" "SELECT count(*) FROM spgl_xmjbxxb")"
nodup "$vendor"

# ---- a value the front DB will not take: the batch rolls back, the row is refused with the column named ------
dom=$(newdb dom "$here/exchange/spgl-ddl.sql")
psql "$dom" -qc "CREATE DOMAIN small_code AS numeric(10) CHECK (VALUE < 10); ALTER TABLE spgl_xmspsxblxxxxb ALTER COLUMN blzt TYPE small_code"
push "$tmp/e.db" --target "$dom" --wait-for-parent sent || fail "push with a domain: $(cat "$tmp/push.err")"
big=$(q "$dom" "SELECT count(*) FROM spgl_xmspsxblxxxxb WHERE blzt >= 10")
expect "no row with BLZT >= 10 written" "$big" 0
status "$tmp/e.db" >"$tmp/st.json"
jq -e '(.rejected | length) > 0 and all(.rejected[]; .table == "SPGL_XMSPSXBLXXXXB" and
  (.reason | test("前置库拒绝写入: 前置库 SPGL_XMSPSXBLXXXXB 列 blzt 不接受第 1 行的值: .*small_code")))' "$tmp/st.json" >/dev/null &&
  ok || fail "refusals name table and column: $(jq -c '.rejected[0]' "$tmp/st.json")"
expect "every other status row written" "$(q "$dom" "SELECT count(*) FROM spgl_xmspsxblxxxxb")" \
  "$(jq '.tables[] | select(.table == "SPGL_XMSPSXBLXXXXB") | .sent' "$tmp/st.json")"
nodup "$dom"
# the same in batches of 7 rows, several queued at once: those queued behind the refused one are not
# sent with it, and their rows go one by one
dom7=$(newdb dom7 "$here/exchange/spgl-ddl.sql")
psql "$dom7" -qc "CREATE DOMAIN small_code AS numeric(10) CHECK (VALUE < 10); ALTER TABLE spgl_xmspsxblxxxxb ALTER COLUMN blzt TYPE small_code"
push "$tmp/f.db" --target "$dom7" --wait-for-parent sent --batch-rows 7 || fail "push in small batches: $(cat "$tmp/push.err")"
expect "small batches: no row with BLZT >= 10 written" "$(q "$dom7" "SELECT count(*) FROM spgl_xmspsxblxxxxb WHERE blzt >= 10")" 0
status "$tmp/f.db" >"$tmp/st7.json"
expect "small batches: the same rows refused" "$(jq -c '[.rejected[].dfsjzj] | sort' "$tmp/st7.json")" \
  "$(jq -c '[.rejected[].dfsjzj] | sort' "$tmp/st.json")"
expect "small batches: every other status row written" "$(q "$dom7" "SELECT count(*) FROM spgl_xmspsxblxxxxb")" \
  "$(jq '.tables[] | select(.table == "SPGL_XMSPSXBLXXXXB") | .sent' "$tmp/st7.json")"
expect "small batches: every table as in one batch" "$(jq -c '[.tables[] | .sent + .pending]' "$tmp/st7.json")" \
  "$(jq -c '[.tables[] | .sent + .pending]' "$tmp/st.json")"
nodup "$dom7"

# ---- the 3.0 attachments mapping -----------------------------------------------------------------------
v30=$(newdb v30 "$here/exchange/spgl-ddl.sql" "$here/exchange/spgl-3.0-attachments-ddl.sql")
psql "$v30" -qc "DROP TABLE spgl_xmqtfjxxb"
"$bin" exchange check --target "$v30" >/dev/null; expect "2019 mapping on a 3.0 front DB exit" $? 1
"$bin" exchange check --target "$v30" --mapping spgl-3.0-attachments >/dev/null; expect "3.0 mapping check exit" $? 0
rounds "$tmp/d.db" "$v30" --mapping spgl-3.0-attachments
expect "attachments in the 3.0 table" "$(q "$v30" "SELECT count(*) FROM spgl_xmsqcljqtfjxxb WHERE sjsczt = 3 AND clid IS NOT NULL AND clmc IS NOT NULL")" \
  "$(sqlite3 "$tmp/d.db" 'SELECT count(*) FROM case_documents')"
"$bin" exchange status --db "$tmp/d.db" --mapping spgl-3.0-attachments --json | jq -e '.tables[-1].table == "SPGL_XMSQCLJQTFJXXB"' >/dev/null &&
  ok || fail "status names the 3.0 table"

echo "exchange: $checks checks, $fails failed"
[ "$fails" -eq 0 ]
