#!/usr/bin/env bash
# Built-in operations from the command line: inspect exit codes (Nagios) with
# injected failures (a full disk simulated by thresholds, an unreachable
# endpoint on a closed loopback port, an HTTPS endpoint with a certificate
# about to expire or not trusted, a malformed configuration), the JSON
# shape, backup -> verify -> a corrupted copy refused, backup -> restore ->
# the same data, restore refused under a running server, /metrics through
# promtool, the drill, reports read back with Debian's python3-openpyxl, and
# cleanup (dry run first) that leaves the audit chain intact.
set -u
BIN=${GG_BIN:-build/asan/gonggai}
PY=/usr/bin/python3
d=$(mktemp -d /tmp/h-ops-cli-XXXXXX); pid=; tls=
trap 'for p in $pid $tls; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done; rm -rf "$d"' EXIT
fail=0
ok()  { echo "ok   $*"; }
bad() { echo "FAIL $*"; fail=1; }
expect() { # expect CODE DESCRIPTION -- command...
  local want=$1 what=$2; shift 3
  "$@" >"$d/out" 2>"$d/err"; local got=$?
  if [ "$got" = "$want" ]; then ok "$what"; else bad "$what: exit $got, want $want"; head -c 2000 "$d/out" "$d/err"; fi
}
closed=$($PY -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
db="$d/gg.db"
cat >"$d/gg.ini" <<EOF
[security]
argon2_memlimit_kib = 8192
argon2_opslimit = 1
[ops]
catchup_delay_seconds = 1
[inspect]
probe_timeout_ms = 2000
endpoints = closed=tcp://127.0.0.1:$closed
EOF
G() { "$BIN" "$@" --config "$d/gg.ini"; }
"$BIN" init --db "$db" --json >/dev/null || { echo "FAIL init"; exit 1; }

# ---- inspect: usage and exit codes ---------------------------------------------
expect 0 "inspect --help" -- "$BIN" inspect --help
expect 3 "inspect unknown option is UNKNOWN" -- G inspect --db "$db" --colour
expect 3 "inspect unknown item is UNKNOWN" -- G inspect --db "$db" --only host.nothing
grep -q "host.nothing" "$d/err" && ok "unknown item named" || bad "unknown item not named"
expect 3 "inspect without a database is UNKNOWN" -- "$BIN" inspect --config "$d/gg.ini"
expect 0 "inspect db and logs items OK" -- G inspect --db "$db" --only db.quick_check,db.size,db.wal,logs
head -1 "$d/out" | grep -q "^GONGGAI INSPECT OK - 6 items" && ok "nagios summary line" || bad "summary: $(head -1 "$d/out")"
expect 2 "unreachable endpoint on a closed port is CRIT" -- G inspect --db "$db" --only net.closed
grep -q "CRIT.*net.closed.*不可达" "$d/out" && ok "endpoint message" || bad "endpoint message"
sed 's/^\[inspect\]$/[inspect]\nhost.disk.data.crit = 0.01/' "$d/gg.ini" >"$d/full.ini"
expect 2 "full disk (by threshold) is CRIT" -- "$BIN" inspect --db "$db" --config "$d/full.ini" --only host.disk.data
sed 's/^\[inspect\]$/[inspect]\nhost.disk.data.warn = 0.01\nhost.disk.data.crit = none/' "$d/gg.ini" >"$d/warn.ini"
expect 1 "nearly full disk is WARN" -- "$BIN" inspect --db "$db" --config "$d/warn.ini" --only host.disk.data
sed 's/^\[inspect\]$/[inspect]\nhost.load.warn = high/' "$d/gg.ini" >"$d/bad.ini"
expect 3 "malformed threshold is UNKNOWN" -- "$BIN" inspect --db "$db" --config "$d/bad.ini"
grep -q "host.load.warn" "$d/err" && ok "malformed key named" || bad "malformed key not named"
G inspect --db "$db" --json >"$d/all.json" 2>"$d/err"; rc=$?
[ "$rc" = 2 ] && ok "no server: app.health CRIT, exit 2" || bad "full inspect exit $rc"
$PY - "$d/all.json" <<'EOF' && ok "inspect --json shape, >= 10 items" || bad "inspect --json shape"
import json, sys
j = json.load(open(sys.argv[1]))
assert list(j) == ["run_id", "status", "items"], list(j)
assert isinstance(j["run_id"], int) and j["status"] == "CRIT"
assert len(j["items"]) >= 10, len(j["items"])
for it in j["items"]:
    assert list(it) == ["item", "status", "value", "unit", "warn", "crit", "message"], list(it)
    assert it["status"] in ("OK", "WARN", "CRIT", "UNKNOWN")
    assert it["value"] is None or isinstance(it["value"], (int, float))
d = {it["item"]: it for it in j["items"]}
assert d["host.disk.data"]["unit"] == "%" and d["host.disk.data"]["warn"] == 80 and d["host.disk.data"]["crit"] == 90
assert d["app.health"]["status"] == "CRIT" and d["net.closed"]["status"] == "CRIT"
EOF

# an HTTPS endpoint whose certificate expires in 10 days: reachable, certificate WARN;
# without its CA the certificate does not verify: CRIT
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$d/key.pem" -out "$d/cert.pem" -days 10 -subj /CN=127.0.0.1 \
  -addext subjectAltName=IP:127.0.0.1 2>/dev/null
tport=$($PY -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
cat >"$d/tls.py" <<'PYEOF'
import http.server, ssl, sys
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200); self.end_headers(); self.wfile.write(b"ok")
    def log_message(self, *a):
        pass
s = http.server.HTTPServer(("127.0.0.1", int(sys.argv[2])), H)
c = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER); c.load_cert_chain(sys.argv[1] + "/cert.pem", sys.argv[1] + "/key.pem")
s.socket = c.wrap_socket(s.socket, server_side=True)
s.serve_forever()
PYEOF
$PY "$d/tls.py" "$d" "$tport" 2>/dev/null &
tls=$!
for i in $(seq 50); do (echo >/dev/tcp/127.0.0.1/$tport) 2>/dev/null && break; sleep 0.1; done
printf '[inspect]\nendpoints = tls=https://127.0.0.1:%s/\nca_file = %s/cert.pem\n' "$tport" "$d" >"$d/tls.ini"
expect 1 "https endpoint, certificate expiring in 10 days is WARN" -- "$BIN" inspect --db "$db" --config "$d/tls.ini" --only net.tls
grep -q "^OK .*net.tls .*HTTP 200" "$d/out" && grep -q "^WARN .*net.tls.cert .*剩余 10 天" "$d/out" && ok "latency and expiry" \
  || bad "tls output: $(cat "$d/out")"
grep -v ca_file "$d/tls.ini" >"$d/tls2.ini"
expect 2 "https endpoint with an untrusted certificate is CRIT" -- "$BIN" inspect --db "$db" --config "$d/tls2.ini" --only net.tls.cert
kill "$tls"; wait "$tls" 2>/dev/null; tls=

# ---- backup, verify, corruption --------------------------------------------------
expect 0 "backup" -- G backup --db "$db"
bk=$(tail -n1 "$d/out")
[ -f "$bk" ] && [ -f "$bk.sha256" ] && ok "backup path is the last line" || bad "backup file: $bk"
(cd "$(dirname "$bk")" && sha256sum -c --quiet "$(basename "$bk").sha256") && ok "sidecar checks with sha256sum" || bad "sha256sum"
expect 0 "backup list" -- G backup list --db "$db"
grep -qF "$bk" "$d/out" && ok "list shows it" || bad "list"
expect 0 "backup verify" -- G backup verify "$bk" --db "$db"
cp "$bk" "$d/bad.db"; cp "$bk.sha256" "$d/bad.db.sha256"
printf '\x55' | dd of="$d/bad.db" bs=1 seek=20000 conv=notrunc status=none
expect 1 "verify a corrupted copy" -- G backup verify "$d/bad.db" --db "$db"
grep -q "sha256" "$d/err" && ok "mismatch named sha256" || bad "mismatch not named"
expect 1 "restore refuses a corrupted copy" -- G restore "$d/bad.db" --db "$db"

# ---- restore: the same data --------------------------------------------------------
"$BIN" user add --db "$db" --username later --password 'Init-Passw0rd!' --role clerk --department 610202-XSP >/dev/null \
  || bad "user add"
expect 0 "restore" -- G restore "$bk" --db "$db"
aside=$(ls "$db".replaced-* 2>/dev/null | head -1)
[ -n "$aside" ] && ok "replaced database kept aside" || bad "no aside file"
"$BIN" user list --db "$db" >"$d/users" || bad "user list"
grep -q later "$d/users" && bad "restore kept a later user" || ok "restore gave back the backup's users"
sqlite3 "$aside" "select count(*) from users where username='later'" | grep -q '^1$' && ok "aside has the later user" || bad "aside content"
for t in users districts departments user_roles catalog_items; do
  a=$(sqlite3 "$bk" "select count(*) from $t"); b=$(sqlite3 "$db" "select count(*) from $t")
  [ "$a" = "$b" ] && ok "same $t rows ($a)" || bad "$t: backup $a, restored $b"
done
expect 0 "audit chain intact after restore" -- "$BIN" audit verify --db "$db"
expect 0 "drill" -- G backup drill --db "$db"
grep -q "恢复演练通过" "$d/out" && ok "drill passed" || bad "drill output"

# ---- a running server: restore refused, metrics -------------------------------------
"$BIN" serve --db "$db" --listen 127.0.0.1:0 --config "$d/gg.ini" >"$d/serve.out" 2>"$d/serve.err" &
pid=$!
for i in $(seq 50); do grep -q listening "$d/serve.out" && break; sleep 0.1; done
port=$(sed -n 's/.*:\([0-9]*\)$/\1/p' "$d/serve.out")
expect 1 "restore refused while serving" -- G restore "$bk" --db "$db"
grep -q "pid $pid" "$d/err" && ok "refusal names the server pid" || bad "refusal: $(cat "$d/err")"
expect 0 "app checks through the running server" -- G inspect --db "$db" --only app.health,app.errors,app.threads,app.scheduler
expect 0 "backup while serving" -- G backup --db "$db"
curl -s "http://127.0.0.1:$port/metrics" >"$d/metrics"
grep -q 'gonggai_inspection_status{item="net.closed"} 2' "$d/metrics" && ok "metrics per item" || bad "metrics lack items"
promtool check metrics <"$d/metrics" >"$d/prom" 2>&1 && ok "promtool check metrics" || { bad "promtool"; cat "$d/prom"; }
kill "$pid"; wait "$pid"; pid=

# ---- reports ------------------------------------------------------------------------
today=$(TZ=Asia/Shanghai date +%F)
expect 0 "report xlsx (day)" -- G report inspection --db "$db" --day "$today" --format xlsx -o "$d/day.xlsx"
expect 0 "report html (month)" -- G report inspection --db "$db" --month "${today:0:7}" --format html -o "$d/month.html"
expect 2 "report needs day or month" -- G report inspection --db "$db" --format xlsx
expect 2 "report bad format" -- G report inspection --db "$db" --day "$today" --format pdf
$PY - "$d/day.xlsx" <<'EOF' && ok "xlsx read back with openpyxl" || bad "xlsx content"
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
assert wb.sheetnames == ["概况", "巡检记录表", "异常及处理", "备份记录", "恢复演练", "接口可用率", "趋势"], wb.sheetnames
ws = wb["巡检记录表"]
assert [c.value for c in ws[2]] == ["时间", "巡检项", "名称", "结果", "数值", "单位", "阈值", "说明", "处理情况"]
assert ws.freeze_panes == "A3", ws.freeze_panes
assert ws.column_dimensions["H"].width >= 50
items = {r[1] for r in ws.iter_rows(min_row=3, values_only=True)}
assert "net.closed" in items and "host.disk.data" in items, items
assert any(r[3] == "严重" and r[8] for r in ws.iter_rows(min_row=3, values_only=True))
b = wb["备份记录"]
assert b.max_row >= 3 and len(b.cell(3, 4).value) == 64
EOF
grep -q "@page{size:A4" "$d/month.html" && grep -q "巡检记录表" "$d/month.html" && ok "html printable report" || bad "html report"

# ---- cleanup ---------------------------------------------------------------------------
mkdir -p "$d/log" "$d/tmp"
printf '[log]\nfile = %s/log/gonggai.log\n[ops]\nlog_rotate_mb = 1\n' "$d" >>"$d/gg.ini"
head -c 1200000 /dev/zero | tr '\0' 'x' >"$d/log/gonggai.log"
echo old >"$d/log/gonggai.log.20250101-000000"; touch -d '200 days ago' "$d/log/gonggai.log.20250101-000000"
echo tmp >"$d/tmp/report-abc"; touch -d '3 days ago' "$d/tmp/report-abc"
echo keep >"$d/tmp/fresh"
expect 0 "cleanup --dry-run" -- G cleanup --db "$db" --dry-run
grep -q "would remove" "$d/out" && [ -f "$d/tmp/report-abc" ] && [ -f "$d/log/gonggai.log.20250101-000000" ] \
  && ok "dry run removes nothing" || bad "dry run"
expect 0 "cleanup" -- G cleanup --db "$db"
[ ! -f "$d/tmp/report-abc" ] && [ ! -f "$d/log/gonggai.log.20250101-000000" ] && [ -f "$d/tmp/fresh" ] \
  && ok "expired files removed, fresh kept" || bad "cleanup removal"
[ ! -s "$d/log/gonggai.log" ] && ls "$d/log" | grep -q 'gonggai.log.[0-9]\{8\}-[0-9]\{6\}' && ok "log rotated" || bad "log rotation"
grep -q "freed: 2 files" "$d/out" && ok "reports space freed" || bad "cleanup output: $(tail -1 "$d/out")"
expect 0 "audit chain intact after cleanup" -- "$BIN" audit verify --db "$db"

[ "$fail" = 0 ] && echo "all ops CLI checks passed"
exit $fail
