#!/bin/bash
# hardening.sh: secrets at rest from the command line: the database, its
# WAL, the key file and backups are the owner's alone (umask 077 whatever the
# caller's umask); the audit chain is keyed by the key file, so a chain
# rewritten with plain SHA-256 fails `audit verify`, as does a missing key;
# administrators' accounts change from the command line (audited as cli).
set -u
BIN=${GG_BIN:-$PWD/build/asan/gonggai}
d=$(mktemp -d /tmp/gg-hardening-XXXXXX)
trap 'rm -rf "$d"' EXIT
fails=0
ok() { echo "ok   $1"; }
bad() { echo "FAIL $1"; fails=$((fails + 1)); }
mode() { stat -c %a "$1"; }

umask 022
"$BIN" init --db "$d/data/g.db" --json >"$d/init.json" || bad "init"
[ "$(mode "$d/data")" = 700 ] && ok "database directory 0700" || bad "directory $(mode "$d/data")"
[ "$(mode "$d/data/g.db")" = 600 ] && ok "database 0600" || bad "database $(mode "$d/data/g.db")"
[ "$(mode "$d/data/g.db.key")" = 600 ] && ok "key file 0600" || bad "key file $(mode "$d/data/g.db.key")"
grep -q '^key=[0-9a-f]\{64\}$' "$d/data/g.db.key" && ok "key file holds 32 bytes" || bad "key file content"
[ "$(sqlite3 "$d/data/g.db" "SELECT key_file FROM security_key")" = "$d/data/g.db.key" ] \
  && ok "database records where its key is" || bad "key path"
"$BIN" user add --db "$d/data/g.db" --username clerk9 --password 'Init-Passw0rd!' --role clerk >/dev/null \
  || bad "user add"
for f in "$d/data/g.db-wal" "$d/data/g.db-shm"; do
  [ ! -e "$f" ] || [ "$(mode "$f")" = 600 ] && ok "$(basename "$f") not readable by others" || bad "$f $(mode "$f")"
done
"$BIN" audit verify --db "$d/data/g.db" | grep -q "audit chain ok" && ok "keyed chain verifies" || bad "verify"

# the key file elsewhere, recorded in the database
"$BIN" init --db "$d/other.db" --key-file "$d/keys.key" --json >/dev/null 2>&1 || bad "init --key-file"
[ -f "$d/keys.key" ] && [ ! -e "$d/other.db.key" ] && [ "$(mode "$d/keys.key")" = 600 ] && ok "init --key-file" \
  || bad "key file not moved"
"$BIN" audit verify --db "$d/other.db" | grep -q "audit chain ok" && ok "verify finds the moved key" || bad "verify moved"

# rotation: the records to come under a new key, the old key kept for its records
"$BIN" audit rotate-key --db "$d/data/g.db" | grep -q "new audit key from record" && ok "rotate-key" || bad "rotate-key"
[ "$(grep -c '^key=' "$d/data/g.db.key")" = 2 ] && [ "$(mode "$d/data/g.db.key")" = 600 ] \
  && ok "key file holds both keys, 0600" || bad "key file after rotation"
"$BIN" user disable --db "$d/data/g.db" --username clerk9 >/dev/null || bad "write after rotation"
"$BIN" audit verify --db "$d/data/g.db" | grep -q "audit chain ok" && ok "chain verifies across the rotation" \
  || bad "verify after rotation"
sqlite3 "$d/data/g.db" "SELECT action FROM audit_log" | grep -q '^security.key.rotate$' && ok "rotation audited" \
  || bad "rotation not audited"

# a rewrite without the key: triggers dropped, one row changed, every hash redone with SHA-256
cp "$d/data/g.db" "$d/forged.db"
cp -p "$d/data/g.db.key" "$d/forged.db.key"
sqlite3 "$d/forged.db" "UPDATE security_key SET key_file = '$d/forged.db.key'"
python3 - "$d/forged.db" <<'PY'
import hashlib, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.executescript("DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;")
db.execute("UPDATE audit_log SET details = '{\"forged\":1}' WHERE id = 2")
prev = "0" * 64
for row in db.execute("SELECT id, at, coalesce(user_id, 0), username, source, action, object, outcome, details "
                      "FROM audit_log ORDER BY id").fetchall():
    text = "%d\x1f%d\x1f%d\x1f" % row[:3] + "".join(str(p) + "\x1f" for p in list(row[3:]) + [prev])
    h = hashlib.sha256(text.encode()).hexdigest()
    db.execute("UPDATE audit_log SET prev_hash = ?, hash = ? WHERE id = ?", (prev, h, row[0]))
    prev = h
db.execute("UPDATE audit_head SET last_hash = ?", (prev,))
db.commit()
PY
out=$("$BIN" audit verify --db "$d/forged.db"); rc=$?
[ $rc = 1 ] && grep -q "broken at record 1" <<<"$out" && ok "SHA-256 rewrite detected" || bad "forgery passed: $out"
rm "$d/forged.db.key"
"$BIN" audit verify --db "$d/forged.db" >"$d/out"; rc=$?
[ $rc = 1 ] && grep -q "key file" "$d/out" && ok "missing key file fails the check" || bad "no key: $(cat "$d/out")"

# backups are the owner's alone as well, and the drill checks the keyed chain of the copy
bk=$("$BIN" backup --db "$d/data/g.db" --to "$d/backups" 2>/dev/null | tail -1)
[ -f "$bk" ] && ok "backup made" || bad "backup: $bk"
[ "$(mode "$d/backups")" = 700 ] && ok "backup directory 0700" || bad "backup dir $(mode "$d/backups")"
[ "$(mode "$bk")" = 600 ] && ok "backup file 0600" || bad "backup file $(mode "$bk")"
"$BIN" backup drill --db "$d/data/g.db" --json >"$d/out" 2>&1 && ok "drill: the copy's keyed chain verifies" \
  || bad "drill: $(head -c 400 "$d/out")"

# administrators change from the command line, audited as cli
"$BIN" user reset-password --db "$d/data/g.db" --username auditor >/dev/null && ok "cli resets the auditor" \
  || bad "cli reset"
sqlite3 "$d/data/g.db" "SELECT username FROM audit_log WHERE action = 'user.password.reset'" | grep -q '^cli:' \
  && ok "audited as cli" || bad "audit of the cli"
[ $fails = 0 ] && echo "hardening: all ok" || { echo "hardening: $fails failed"; exit 1; }
