#!/usr/bin/env bash
# The administrators' TOTP factor as a fresh install meets it (default
# configuration): the sysadmin's first login, password change, enrolment
# through the QR code the server draws (decoded with zbarimg, so the phone
# would read the same URI), a code computed independently (Python's hmac),
# a login with it, a replay refused, and the reset from the command line.
set -u
BIN=${GG_BIN:-build/asan/gonggai}
d=$(mktemp -d); trap 'kill $pid 2>/dev/null; rm -rf "$d"' EXIT
pid=
fail=0
ok()  { echo "ok   $*"; }
bad() { echo "FAIL $*"; fail=1; }
for tool in zbarimg rsvg-convert; do
  command -v $tool >/dev/null || { echo "FAIL $tool not installed (scripts/deps.sh --test)"; exit 1; }
done
# RFC 6238 code of base32 secret $1 at now + $2 steps, written apart from the server's liboath
code() { python3 -c '
import base64, hmac, struct, sys, time
key = base64.b32decode(sys.argv[1])
step = int(time.time()) // 30 + int(sys.argv[2])
h = hmac.new(key, struct.pack(">Q", step), "sha1").digest()
o = h[-1] & 15
print("%06d" % ((struct.unpack(">I", h[o:o + 4])[0] & 0x7fffffff) % 1000000))' "$1" "$2"; }

"$BIN" init --db "$d/g.db" --json >"$d/acc.json" || { echo "FAIL init"; exit 1; }
pw=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["accounts"][0]["password"])' "$d/acc.json")
printf '[security]\nargon2_memlimit_kib = 8192\n' >"$d/gonggai.ini"   # admin_totp: the default
"$BIN" serve --db "$d/g.db" --listen 127.0.0.1:0 --config "$d/gonggai.ini" >"$d/serve.out" 2>"$d/serve.err" &
pid=$!
for _ in $(seq 50); do grep -q listening "$d/serve.out" && break; sleep 0.1; done
url=$(sed -n 's/^listening on //p' "$d/serve.out")
post() { curl -s -b "$d/cj" -c "$d/cj" -o "$d/body" -w '%{http_code}' -H 'Content-Type: application/json' -d "$2" "$url$1"; }

[ "$(post /api/session "{\"username\":\"sysadmin\",\"password\":\"$pw\"}")" = 200 ] && ok "first login" || bad "first login"
grep -q '"must_enroll_totp":true' "$d/body" && ok "must enrol" || bad "must enrol: $(cat "$d/body")"
[ "$(post /api/me/password "{\"old_password\":\"$pw\",\"new_password\":\"Sys-Adm1n-2026!\"}")" = 200 ] \
  && ok "password changed" || bad "password change"
[ "$(curl -s -b "$d/cj" -o "$d/body" -w '%{http_code}' "$url/api/users")" = 403 ] && grep -q '"field":"otp"' "$d/body" \
  && ok "restricted until enrolled" || bad "restriction: $(cat "$d/body")"
[ "$(post /api/me/totp/secret '{}')" = 200 ] && ok "secret" || bad "secret"
python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); open(sys.argv[2],"w").write(j["qr_svg"]); print(j["uri"])' \
  "$d/body" "$d/qr.svg" >"$d/uri"
rsvg-convert -o "$d/qr.png" "$d/qr.svg" && zbarimg -q --raw "$d/qr.png" 2>/dev/null >"$d/scanned"
[ "$(cat "$d/scanned")" = "$(cat "$d/uri")" ] && ok "the QR code reads as the otpauth URI" \
  || bad "QR: '$(cat "$d/scanned")' vs '$(cat "$d/uri")'"
secret=$(sed -n 's/.*secret=\([A-Z2-7]*\)&.*/\1/p' "$d/scanned")
[ "$(post /api/me/totp "{\"code\":\"$(code "$secret" 0)\"}")" = 200 ] && ok "enrolled with the scanned secret" \
  || bad "enrol: $(cat "$d/body")"
rm -f "$d/cj"
[ "$(post /api/session '{"username":"sysadmin","password":"Sys-Adm1n-2026!"}')" = 401 ] && ok "no code: 401" || bad "no code"
next=$(code "$secret" 1)
[ "$(post /api/session "{\"username\":\"sysadmin\",\"password\":\"Sys-Adm1n-2026!\",\"otp\":\"$next\"}")" = 200 ] \
  && ok "password + code" || bad "login with code: $(cat "$d/body")"
[ "$(curl -s -b "$d/cj" -o /dev/null -w '%{http_code}' "$url/api/users")" = 200 ] && ok "full session" || bad "session"
[ "$(post /api/session "{\"username\":\"sysadmin\",\"password\":\"Sys-Adm1n-2026!\",\"otp\":\"$next\"}")" = 401 ] \
  && ok "the same code again: 401" || bad "replay accepted"
"$BIN" user reset-totp --db "$d/g.db" --username sysadmin >"$d/out" 2>&1 && ok "reset-totp" || bad "reset-totp: $(cat "$d/out")"
[ "$(post /api/session '{"username":"sysadmin","password":"Sys-Adm1n-2026!"}')" = 200 ] && grep -q '"must_enroll_totp":true' "$d/body" \
  && ok "enrols again after the reset" || bad "after reset: $(cat "$d/body")"
sqlite3 "$d/g.db" "select count(*) from audit_log where action in ('user.totp.secret','user.totp.enroll','user.totp.reset')" \
  | grep -qx 3 && ok "audited" || bad "audit rows"
sqlite3 "$d/g.db" "select count(*) from audit_log where details like '%$secret%'" | grep -qx 0 \
  && ok "the secret is not in the audit log" || bad "secret in the audit log"
kill -TERM $pid; wait $pid; pid=
exit $fail
