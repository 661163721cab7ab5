#!/usr/bin/env bash
# The window's paper from the command line (issue 20): the 收件 checklist
# ticked with --received, 受理 refused while a required material is
# missing and accepted under 容缺 (the missing ones become the 容缺 list and
# a 容缺受理告知书 is issued), 补正 only from the item's list, uploads typed by
# content (a PDF named .pdf accepted, HTML named .pdf refused), documents
# with a verification code kept byte for byte, and a backup that carries the
# files: verify passes, a missing file fails it, restore brings them back.
set -u
BIN=${GG_BIN:-build/asan/gonggai}
d=$(mktemp -d); trap 'rm -rf "$d"' EXIT
fail=0
ok()  { echo "ok   $*"; }
bad() { echo "FAIL $*"; fail=1; }
expect() { # expect CODE DESCRIPTION -- command...
  local want=$1 what=$2; shift 3
  "$@" >"$d/out" 2>"$d/err"; local got=$?
  if [ "$got" = "$want" ]; then ok "$what"; else bad "$what: exit $got, want $want"; cat "$d/err"; fi
}
db="$d/g.db"
G() { "$BIN" "$@" --db "$db"; }
jq_() { python3 -c "import json,sys; j=json.load(open('$d/out')); print($1)"; }

expect 0 "init" -- "$BIN" init --db "$db" --json
for u in "zr_c clerk 610200-ZRZY" "zr_r reviewer 610200-ZRZY" "zr_h head 610200-ZRZY" "zj_c clerk 610200-ZJJ" \
         "win clerk 610200-XSP"; do
  set -- $u
  expect 0 "user $1" -- G user add --username "$1" --password 'Init-Passw0rd!' --role "$2" --department "$3"
done
expect 0 "project add" -- G project add --code 2025-610203-47-01-000301 --name 印台区城关街道社区服务站 \
  --flow-type 4 --division 610203 --address 印台区城关街道 --investment 900 --land-area 1200 --floor-area 1500 \
  --start 2026-12-01 --finish 2027-12-31 --unit builder,铜川市行政审批服务局,11610200MB29655940,张三,13912345678
P=$(jq_ 'j["id"]')

APP='建设用地规划许可申请表'
RED='建设项目用地红线图（宗地图）'
CON='国有建设用地使用权出让合同（出让方式）或项目批准、核准、备案文件（划拨方式）'
expect 2 "--received needs CODE=" -- G case apply --project "$P" --stage 1 --items YDGH-001 --received nonsense
expect 1 "a name not on the list" -- G case apply --project "$P" --stage 1 --items YDGH-001 --as win \
  --received "YDGH-001=$APP;随便什么"
grep -q "materials.YDGH-001" "$d/err" && ok "names the item's field" || bad "field: $(cat "$d/err")"
expect 0 "apply ticking two of three required" -- G case apply --project "$P" --stage 1 --items YDGH-001 \
  --as win --received "YDGH-001=$APP;$RED"
C=$(jq_ 'j["cases"][0]["id"]')
expect 0 "checklist" -- G case materials --case "$C"
[ "$(jq_ 'j["checklist"] and sum(1 for m in j["materials"] if m["received"])')" = 2 ] \
  && ok "two ticked" || bad "ticks: $(cat "$d/out")"
expect 0 "receipt printed" -- G case doc --case "$C" --kind receipt -o "$d/receipt.html"
grep -q "收件回执" "$d/receipt.html" && grep -q "未收（必需）" "$d/receipt.html" && grep -q "<svg" "$d/receipt.html" \
  && ok "receipt lists the checklist with a QR code" || bad "receipt"
code=$(grep -o '核验码 [A-Z2-7]*' "$d/receipt.html" | head -1 | cut -d' ' -f2)
[ ${#code} = 26 ] && ok "verification code of 26 base32 characters" || bad "code '$code'"
expect 0 "receipt again" -- G case doc --case "$C" --kind receipt -o "$d/receipt2.html"
cmp -s "$d/receipt.html" "$d/receipt2.html" && ok "a reprint is byte for byte the issued file" || bad "reprint differs"

expect 1 "accept with a required material missing" -- G case act --case "$C" --action accept --as zr_c
grep -q "缺少必需材料" "$d/err" && grep -q "$CON" "$d/err" && ok "409 names the missing material" \
  || bad "message: $(cat "$d/err")"
expect 1 "supplement with a free-text name" -- G case act --case "$C" --action supplement --materials 宗地图 --as zr_c
grep -q "不在本事项的材料清单中" "$d/err" && ok "补正 names must come from the list" || bad "$(cat "$d/err")"
expect 0 "accept under 容缺" -- G case act --case "$C" --action accept --tolerance --as zr_c
[ "$(jq_ 'j["status"]["code"]')" = 3 ] && ok "accepted" || bad "status"
expect 0 "容缺受理告知书" -- G case doc --case "$C" --kind tolerance -o "$d/tol.html"
grep -q "$CON" "$d/tol.html" && ok "the notice lists the missing material" || bad "tolerance notice"
expect 1 "ticking after 受理" -- G case materials --case "$C" --tick "$APP" --as zr_c

# uploads: type by content, not by name
printf '%%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%%%EOF\n' >"$d/a.pdf"
printf '\xff\xd8\xff\xe0JFIF-not-really-but-magic\n' >"$d/b.jpg"
printf '<html><script>alert(1)</script></html>\n' >"$d/evil.pdf"
expect 0 "upload a PDF against a material" -- G case upload --case "$C" --file "$d/a.pdf" --material "$RED" --as zr_c
[ "$(jq_ 'j["ext"]')" = pdf ] && ok "typed pdf" || bad "ext"
expect 0 "upload a JPEG against the case" -- G case upload --case "$C" --file "$d/b.jpg" --name 现场照片.jpg --as zr_r
expect 1 "HTML named .pdf refused" -- G case upload --case "$C" --file "$d/evil.pdf" --as zr_c
grep -q "按文件内容判断" "$d/err" && ok "refused by content" || bad "$(cat "$d/err")"
expect 1 "another department may not upload" -- G case upload --case "$C" --file "$d/a.pdf" --as zj_c
expect 1 "a material not on the list" -- G case upload --case "$C" --file "$d/a.pdf" --material 其他 --as zr_c
expect 0 "files" -- G case files --case "$C"
[ "$(jq_ 'len(j)')" = 2 ] && ok "two files listed" || bad "files: $(cat "$d/out")"
sha=$(jq_ 'j[0]["sha256"]')
[ -f "$db.files/$sha" ] && cmp -s "$db.files/$sha" "$d/a.pdf" && ok "stored under its SHA-256 beside the database" \
  || bad "file store"

# backups carry the files
expect 0 "backup" -- G backup
bk=$(tail -1 "$d/out")
[ -f "$(dirname "$bk")/files/$sha" ] && ok "the backup directory holds the file" || bad "no file beside $bk"
expect 0 "backup verify" -- G backup verify "$bk"
mv "$(dirname "$bk")/files/$sha" "$d/kept"
expect 1 "verify fails with a file missing" -- G backup verify "$bk"
grep -q "files" "$d/err" && ok "names the files" || bad "$(cat "$d/err")"
mv "$d/kept" "$(dirname "$bk")/files/$sha"
rm -rf "$db.files"
expect 0 "restore" -- G restore "$bk"
cmp -s "$db.files/$sha" "$d/a.pdf" && ok "restore brought the files back" || bad "files not restored"
expect 0 "files after restore" -- G case files --case "$C"
[ "$(jq_ 'len(j)')" = 2 ] && ok "both files on record" || bad "files"

# 解锁 from the command line: an account that is not locked is refused, named
expect 1 "unlock a user who is not locked" -- G user unlock --username zr_c
grep -q "未被锁定" "$d/err" && ok "says it is not locked" || bad "$(cat "$d/err")"
expect 2 "unlock needs --username" -- G user unlock
exit $fail
