#!/usr/bin/env bash
# 营商环境—办理建筑许可 (report business) on a demo database: the report as
# --json, XLSX (read back with Debian's python3-openpyxl) and HTML; every
# number of the workbook equals the JSON document's, the per-project rows
# equal the figures, the medians are those of the rows, the slowest
# projects' waits and stage days add up to their working days; bad input
# exits 2 naming the field; the fee of the catalogue is in the export and a
# bad one is refused naming it.
set -u
BIN=${GG_BIN:-build/asan/gonggai}
PY=/usr/bin/python3
d=$(mktemp -d /tmp/h-business-XXXXXX)
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
printf '[security]\nargon2_memlimit_kib = 8192\nargon2_opslimit = 1\n[ops]\nscheduler = off\n' >"$d/gg.ini"
"$BIN" demo --db "$db" --projects 160 --seed 7 --as-of 2025-06-30 >/dev/null 2>&1 || { echo "FAIL demo"; exit 1; }
R() { "$BIN" report business "$@" --db "$db" --config "$d/gg.ini"; }

# ---- usage ----------------------------------------------------------------------------------------
expect 0 "report --help names business" -- "$BIN" report --help
grep -q 'report business' "$d/out" || bad "help text"
expect 2 "from missing is named" -- R --to 2025-06-30 --json
grep -q 'from' "$d/out" || bad "the message names from: $(cat "$d/out")"
expect 2 "a period over 400 days is refused" -- R --from 2024-01-01 --to 2025-06-30 --json
expect 2 "unknown format" -- R --from 2024-07-01 --to 2025-06-30 --format pdf
expect 2 "--json takes no -o" -- R --from 2024-07-01 --to 2025-06-30 --json -o "$d/x.json"
expect 1 "xlsx is not for stdout" -- R --from 2024-07-01 --to 2025-06-30 --format xlsx -o -

# ---- the report -------------------------------------------------------------------------------------
expect 0 "business as JSON" -- R --from 2024-07-01 --to 2025-06-30 --json
cp "$d/out" "$d/b.json"
expect 0 "business as XLSX" -- R --from 2024-07-01 --to 2025-06-30 --format xlsx -o "$d/b.xlsx"
expect 0 "business as HTML" -- R --from 2024-07-01 --to 2025-06-30 --format html -o "$d/b.html"
grep -q '营商环境—办理建筑许可' "$d/b.html" && grep -q '用时最长的项目' "$d/b.html" && ok "the HTML has its title and sections" ||
  bad "html: $(head -c 300 "$d/b.html")"
$PY - "$d" <<'PY' && ok "XLSX numbers equal the JSON; medians and stage sums hold" || bad "business figures"
import json, statistics, sys, openpyxl
d = sys.argv[1]
doc = json.load(open(f"{d}/b.json"))
fig = doc["figures"]
projects = fig["projects"]
assert len(projects) >= 10, len(projects)
assert doc["kind"] == "business" and [s["id"] for s in doc["sections"]] == \
    ["business.flows", "business.projects", "business.slowest"]
wb = openpyxl.load_workbook(f"{d}/b.xlsx")
assert len(wb.sheetnames) == 4, wb.sheetnames
def rows_of(sheet):
    return [r for r in wb[sheet].iter_rows(values_only=True)]
def table(rows, title):
    i = next(k for k, r in enumerate(rows) if r[0] == title)
    head, out = rows[i + 1], []
    for r in rows[i + 2:]:
        if r[0] is None:
            break
        out.append(dict(zip(head, r)))
    return out
# every table cell of every section equals the document's
for n, s in enumerate(doc["sections"], 1):
    rows = rows_of(wb.sheetnames[n])
    for t in s["tables"]:
        got = table(rows, t["title"])
        assert len(got) == len(t["rows"]), (t["title"], len(got), len(t["rows"]))
        for g, want in zip(got, t["rows"]):
            for c in t["columns"]:
                v, x = want.get(c["key"]), g[c["head"]]
                if isinstance(v, (int, float)) and not isinstance(v, bool):
                    assert abs(x - v) < 1e-9, (t["title"], c["key"], x, v)
                elif isinstance(v, str):
                    assert x == v, (t["title"], c["key"], x, v)
                else:
                    assert x is None, (t["title"], c["key"], x, v)
    summary = {r[0]: r[1] for r in rows if r[0] is not None and len(r) > 1}
    for it in s.get("summary", []):
        if isinstance(it["value"], (int, float)):
            assert abs(summary[it["label"]] - it["value"]) < 1e-9, it
# the per-project sheet is the figures' list
sheet = table(rows_of(wb.sheetnames[2]), "项目")
assert [r["投资项目代码"] for r in sheet] == [p["code"] for p in projects]
for r, p in zip(sheet, projects):
    assert (r["工作日"], r["自然日"], r["办理事项"]) == (p["workdays"], p["natural_days"], p["procedures"]), (r, p)
    assert r["是否达标"] == ("无目标" if p["target"] is None else "达标" if p["workdays"] <= p["target"] else "超时")
# medians are those of the rows, per flow type and over all
def med(v):
    return round(statistics.median(v), 2)
for f in fig["flow_types"] + [fig["all"]]:
    ps = [p for p in projects if f["flow_type"] in (0, p["flow_type"])]
    assert f["projects"] == len(ps), f
    assert f["median_workdays"] == med([p["workdays"] for p in ps]), f
    assert f["median_natural_days"] == med([p["natural_days"] for p in ps]), f
    assert f["median_procedures"] == med([p["procedures"] for p in ps]), f
    assert f["max_workdays"] == max(p["workdays"] for p in ps), f
    judged = [p for p in ps if p["target"] is not None]
    assert f["within"] == (sum(1 for p in judged if p["within"]) if judged else None), f
# the slowest, slowest first, waits and stage days adding up to the whole
slow = fig["slowest"]
assert len(slow) == min(10, len(projects))
assert [s["workdays"] for s in slow] == sorted((p["workdays"] for p in projects), reverse=True)[:len(slow)]
for s in slow:
    main = [x for x in s["stages"] if x["stage"] <= 4]
    assert [x["stage"] for x in main] == [1, 2, 3, 4], s
    assert sum(x["wait_workdays"] + x["workdays"] for x in main) == s["workdays"], s
    assert all(0 <= x["paused_workdays"] <= x["workdays"] for x in s["stages"]), s
# the shipped catalogue prices every item: all free by law, so no fee
assert all(p["fee_unrecorded"] == 0 and p["fee_fen"] == 0 for p in projects)
PY
n=$($PY -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute(
  \"SELECT count(*) FROM audit_log WHERE action = 'business.report'\").fetchone()[0])" "$db")
[ "$n" = 3 ] && ok "every report written is audited" || bad "audit rows business.report: $n"

# ---- the fee of the catalogue ----------------------------------------------------------------------
"$BIN" catalog export --db "$db" >"$d/cat.json" || bad "catalog export"
$PY - "$d/cat.json" <<'PY' && ok "every exported item version has fee and fee_basis" || bad "export fee"
import json, sys
items = json.load(open(sys.argv[1]))["items"]
assert items and all(isinstance(i["fee"], int) and i["fee"] >= 0 and i["fee_basis"] for i in items)
PY
$PY - "$d/cat.json" "$d/bad.json" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
doc["items"][0]["fee"] = -100
json.dump(doc, open(sys.argv[2], "w"), ensure_ascii=False)
PY
expect 1 "a negative fee is refused" -- "$BIN" catalog validate "$d/bad.json"
grep -q "items\[$($PY -c 'import json,sys; print(json.load(open(sys.argv[1]))["items"][0]["code"])' "$d/cat.json")\].fee" "$d/out" &&
  ok "the message names the field" || bad "fee field: $(cat "$d/out")"
"$BIN" audit verify --db "$db" >/dev/null && ok "the audit chain stays intact" || bad "audit verify"
exit $fail
