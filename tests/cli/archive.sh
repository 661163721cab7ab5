#!/usr/bin/env bash
# 运维档案 from the command line: a start of the server is recorded with its
# version and migrations, a restart with a changed configuration names the
# changed key (never its value), the JSON list shape and the filter errors
# (exit 2 naming the field), and the XLSX export read back with Debian's
# python3-openpyxl holds every event the list counts.
set -u
BIN=${GG_BIN:-build/asan/gonggai}
PY=/usr/bin/python3
d=$(mktemp -d /tmp/h-archive-cli-XXXXXX); pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$d"' EXIT
fail=0
ok()  { echo "ok   $*"; }
bad() { echo "FAIL $*"; fail=1; }
port=$($PY -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
db="$d/gg.db"
printf '[security]\nargon2_memlimit_kib = 8192\nargon2_opslimit = 1\n[ops]\nscheduler = off\n' >"$d/gg.ini"
"$BIN" init --db "$db" --json >/dev/null || { echo "FAIL init"; exit 1; }
serve_once() { # start the server, wait until it answers, stop it
  "$BIN" serve --db "$db" --config "$d/gg.ini" --listen "127.0.0.1:$port" >"$d/serve.log" 2>&1 & pid=$!
  for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/api/health" >/dev/null && break; sleep 0.1; done
  kill "$pid"; wait "$pid"; pid=
}
serve_once
printf '[security]\nargon2_memlimit_kib = 8192\nargon2_opslimit = 1\nidle_minutes = 20\n[ops]\nscheduler = off\n' >"$d/gg.ini"
serve_once
"$BIN" archive list --db "$db" --json >"$d/list.json" || bad "archive list --json"
$PY - "$d/list.json" <<'PY' && ok "starts recorded: first start with its migrations, a config change naming the key" || bad "archive events"
import json, sys
d = json.load(open(sys.argv[1]))
assert set(d) == {"items", "total", "page", "page_size"}, d.keys()
kinds = [i["kind"] for i in d["items"]]
assert kinds.count("software") == 2, kinds
first = [i for i in d["items"] if i["title"] == "首次启动"][0]
assert "0001_foundation.sql" in first["detail"], first
cfg = [i for i in d["items"] if i["kind"] == "config"]
assert len(cfg) == 1 and cfg[0]["detail"] == "security.idle_minutes", cfg
assert all(set(i) == {"at", "kind", "kind_label", "title", "detail", "actor", "ref"} for i in d["items"])
PY
total=$($PY -c 'import json,sys; print(json.load(open(sys.argv[1]))["total"])' "$d/list.json")
"$BIN" archive list --db "$db" --kind nope >/dev/null 2>"$d/err"; rc=$?
[ "$rc" = 2 ] && grep -q "kind" "$d/err" && ok "unknown kind: exit 2 naming kind" || bad "unknown kind: exit $rc"
"$BIN" archive list --db "$db" --from 2026-02-30 >/dev/null 2>"$d/err"; rc=$?
[ "$rc" = 2 ] && grep -q "from" "$d/err" && ok "bad date: exit 2 naming from" || bad "bad date: exit $rc"
"$BIN" archive export --db "$db" -o "$d/a.xlsx" >/dev/null || bad "archive export"
$PY - "$d/a.xlsx" "$total" <<'PY' && ok "export reads back with every event ($total)" || bad "export read back"
import sys, openpyxl
ws = openpyxl.load_workbook(sys.argv[1]).active
rows = list(ws.iter_rows(min_row=3, values_only=True))
assert ws.title == "运维档案" and ws.cell(2, 1).value == "时间", ws.title
assert len(rows) == int(sys.argv[2]), (len(rows), sys.argv[2])
PY
[ "$fail" = 0 ] && echo "all archive CLI checks passed"
exit "$fail"
