#!/usr/bin/env bash
# The exchange against front DBs we did not write: for each of three seeds,
# tests/exchange/vendorize.py turns the SPGL DDL into a vendor's (its own
# column order, other types for every column, a text or numeric LSH the
# database generates, a column of its own), and a demo of 300 projects is
# pushed through it with the province simulator answering until nothing is
# left: `check` passes, every row is accepted, none is sent twice, and the
# values read back equal ours (a project's dates, investment and type; a
# 办件's number and times). Uses $GG_BIN and tests/pg.sh.
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

ci=$("$here/pg.sh" start "$tmp/pg") || { echo "FAIL cannot start PostgreSQL"; exit 1; }
q() { psql "$1" -tAc "$2"; }
"$bin" demo --db "$tmp/demo.db" --projects 300 --seed 21 >/dev/null 2>&1 || fail "demo"

for seed in 3 17 29; do
  psql "$ci" -qc "CREATE DATABASE vendor$seed" >/dev/null
  front="${ci/dbname=postgres/dbname=vendor$seed}"
  python3 "$here/exchange/vendorize.py" "$seed" <"$here/exchange/spgl-ddl.sql" >"$tmp/v$seed.sql"
  psql "$front" -q -v ON_ERROR_STOP=1 -f "$tmp/v$seed.sql" >/dev/null || { fail "seed $seed: DDL"; continue; }
  "$bin" exchange check --target "$front" >"$tmp/check.out" 2>&1; expect "seed $seed: check" $? 0
  cp "$tmp/demo.db" "$tmp/s$seed.db"
  for round in 1 2 3 4 5 6 7 8 9 10; do
    "$bin" exchange push --db "$tmp/s$seed.db" --target "$front" >"$tmp/push.out" 2>"$tmp/push.err" ||
      { fail "seed $seed push: $(cat "$tmp/push.err")"; break; }
    [ "$(sed -n 's/^rows sent \([0-9]*\),.*/\1/p' "$tmp/push.out")" = 0 ] && break
    psql "$front" -q -v ON_ERROR_STOP=1 -f "$here/exchange/province.sql" >/dev/null || fail "seed $seed: province"
  done
  "$bin" exchange status --db "$tmp/s$seed.db" --json >"$tmp/st.json"
  expect "seed $seed: nothing pending, sent or rejected" \
    "$(jq '[.tables[].pending, .tables[].rejected, .tables[].sent] | add' "$tmp/st.json")" 0
  [ "$(jq '.tables[] | select(.table == "SPGL_XMSPSXBLXXB") | .accepted' "$tmp/st.json")" -gt 1000 ] && ok ||
    fail "seed $seed: 办件 accepted: $(jq -c '.tables[] | select(.table == "SPGL_XMSPSXBLXXB")' "$tmp/st.json")"
  psql "$front" -q -v ON_ERROR_STOP=1 -f "$here/exchange/duplicates.sql" >/dev/null 2>"$tmp/dup.err" && ok ||
    fail "seed $seed: duplicates: $(cat "$tmp/dup.err")"
  # values read back as the vendor's types hold them
  pid=$(sqlite3 "$tmp/s$seed.db" 'SELECT id FROM projects ORDER BY id LIMIT 1')
  want=$(sqlite3 "$tmp/s$seed.db" "SELECT code || '|' || planned_start || '|' || investment_wan || '|' || flow_type FROM projects WHERE id = $pid")
  got=$(q "$front" "SELECT xmdm || '|' || to_char(nkgsj::date, 'YYYY-MM-DD') || '|' || round(ztze::numeric)::bigint || '|' || splclx::numeric::int
                    FROM spgl_xmjbxxb WHERE dfsjzj = 'project:$pid' ORDER BY scsj DESC LIMIT 1")
  expect "seed $seed: a project's values" "$got" "$want"
  cid=$(sqlite3 "$tmp/s$seed.db" 'SELECT id FROM cases WHERE accepted_at IS NOT NULL ORDER BY id LIMIT 1')
  want=$(sqlite3 "$tmp/s$seed.db" "SELECT number FROM cases WHERE id = $cid")
  expect "seed $seed: a 办件's number" "$(q "$front" "SELECT count(*) > 0 FROM spgl_xmspsxblxxb WHERE spsxslbm = '$want'")" t
done

echo "exchange_vendor: $checks checks, $fails failed"
[ "$fails" = 0 ]
