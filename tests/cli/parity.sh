#!/usr/bin/env bash
# The two faces agree (issue 13 item 4): the same questions asked through the
# command line and through the HTTP API get the same answers — the case list
# with filters, sort and order, the accounts, the projects — the same caps
# (page size, items of one application) and the same errors; phones differ
# only as the masking rule says (others' phones masked for a logged-in
# administrator, shown to the operator at the console).
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
"$BIN" demo --db "$db" --projects 40 --seed 3 >"$d/demo.out" 2>&1 || { cat "$d/demo.out"; exit 1; }
printf '[security]\nadmin_totp = off\n' >"$d/gonggai.ini"   # the administrator logs in with a password
"$BIN" serve --db "$db" --listen 127.0.0.1:0 --config "$d/gonggai.ini" >"$d/serve.out" 2>"$d/serve.err" &
pid=$!
for _ in $(seq 100); do grep -q listening "$d/serve.out" && break; sleep 0.1; done
url=$(sed -n 's/^listening on //p' "$d/serve.out")
[ -n "$url" ] || { echo "FAIL serve did not start"; cat "$d/serve.err"; exit 1; }
login() {
  curl -sf -c "$d/$1.jar" -H 'Content-Type: application/json' \
    -d "{\"username\":\"$1\",\"password\":\"Demo-Passw0rd!\"}" "$url/api/session" >/dev/null
}
api() { curl -s -b "$d/$1.jar" -o "$3" -w '%{http_code}' "$url$2"; }
login demo_leader || { echo "FAIL login"; exit 1; }
login demo_sysadmin || { echo "FAIL login sysadmin"; exit 1; }
login demo_zjj_clerk || { echo "FAIL login clerk"; exit 1; }

# same() NAME CLI-JSON HTTP-JSON: equal as JSON values
same() {
  if python3 - "$2" "$3" <<'PY'
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
if a != b:
    for k in ("total", "page", "page_size"):
        if isinstance(a, dict) and a.get(k) != b.get(k):
            print("  %s: cli %s, http %s" % (k, a.get(k), b.get(k)))
    sys.exit(1)
PY
  then ok "$1"; else bad "$1"; fi
}

# ---- the case list: filters, sort, order, paging
i=0
for q in "" "sort=number&order=asc" "sort=due" "sort=received&order=desc&page=2&page_size=7" \
         "department=610200-ZJJ&sort=updated" "stage=1&status=1" "light=red" "light=green&sort=number" \
         "q=110&page_size=200"; do
  i=$((i + 1))
  args=()
  IFS='&' read -r -a kv <<<"$q"
  for p in "${kv[@]}"; do
    [ -n "$p" ] || continue
    k=${p%%=*}; v=${p#*=}
    args+=("--${k//_/-}" "$v")
  done
  "$BIN" case list --db "$db" --as demo_leader --json "${args[@]}" >"$d/c$i.json" 2>"$d/c$i.err" ||
    { bad "case list ${args[*]}: $(cat "$d/c$i.err")"; continue; }
  [ "$(api demo_leader "/api/cases?$q" "$d/h$i.json")" = 200 ] || { bad "GET /api/cases?$q"; continue; }
  same "case list ?$q" "$d/c$i.json" "$d/h$i.json"
done
python3 -c "import json; j=json.load(open('$d/c1.json')); exit(0 if j['total'] > 7 else 1)" &&
  ok "the demo has cases to compare" || bad "too few cases: $(head -c 200 "$d/c1.json")"

# caps and errors: the same rule, the same field
"$BIN" case list --db "$db" --as demo_leader --page-size 201 >/dev/null 2>&1; c=$?
h=$(api demo_leader "/api/cases?page_size=201" "$d/e.json")
[ "$c" = 2 ] && [ "$h" = 400 ] && ok "page size over the cap: usage / 400" || bad "page cap: cli $c http $h"
"$BIN" case list --db "$db" --as demo_leader --sort bogus >/dev/null 2>"$d/e.err"; c=$?
h=$(api demo_leader "/api/cases?sort=bogus" "$d/e.json")
[ "$c" != 0 ] && [ "$h" = 400 ] && grep -q 'sort' "$d/e.err" && grep -q '"sort"' "$d/e.json" &&
  ok "unknown sort refused by both, naming sort" || bad "sort: cli $c http $h"
"$BIN" case list --db "$db" --as demo_leader --order sideways >/dev/null 2>&1; c=$?
h=$(api demo_leader "/api/cases?order=sideways" "$d/e.json")
[ "$c" != 0 ] && [ "$h" = 400 ] && ok "unknown order refused by both" || bad "order: cli $c http $h"
P=$(python3 -c "import json; print(json.load(open('$d/c1.json'))['items'][0]['project']['id'])")
items=$(python3 -c "print(','.join('GHXK-%03d' % i for i in range(65)))")
"$BIN" case apply --db "$db" --as demo_zjj_clerk --project "$P" --stage 2 --items "$items" >/dev/null 2>"$d/e.err"; c=$?
body=$(python3 -c "import json; print(json.dumps({'stage': 2, 'items': ['GHXK-%03d' % i for i in range(65)]}))")
h=$(curl -s -b "$d/demo_zjj_clerk.jar" -o "$d/e.json" -w '%{http_code}' -H 'Content-Type: application/json' \
  -d "$body" "$url/api/projects/$P/applications")
[ "$c" = 1 ] && grep -q '64' "$d/e.err" && ok "65 items: the CLI refuses (no silent truncation)" ||
  bad "cli apply cap: exit $c $(cat "$d/e.err")"
[ "$h" = 400 ] && grep -q '"field":"items"' "$d/e.json" && ok "65 items: HTTP refuses, naming items" ||
  bad "http apply cap: $h $(cat "$d/e.json")"

# ---- accounts: same rows, the phones of others masked only for the logged-in administrator
"$BIN" user list --db "$db" --json >"$d/u.json" 2>"$d/u.err" || bad "user list: $(cat "$d/u.err")"
[ "$(api demo_sysadmin "/api/users?page_size=200" "$d/hu.json")" = 200 ] || bad "GET /api/users"
if python3 - "$d/u.json" "$d/hu.json" <<'PY'
import json, sys
cli = json.load(open(sys.argv[1]))
http = json.load(open(sys.argv[2]))["items"]
assert len(cli) == len(http) and len(cli) > 3, (len(cli), len(http))
def mask(p):
    return p[:3] + "*" * (len(p) - 7) + p[-4:] if len(p) >= 8 else p
phones = 0
for c, h in zip(cli, http):
    assert c["id"] == h["id"], (c["id"], h["id"])
    cp, hp = c.pop("phone", None), h.pop("phone", None)
    if h["username"] != "demo_sysadmin" and cp:
        phones += 1
        assert hp != cp and hp == mask(cp), (h["username"], cp, hp)
    else:
        assert hp == cp, (h["username"], cp, hp)
    assert c == h, (c, h)
PY
then ok "user list: same rows and fields, masking as the rule says"; else bad "user list differs"; fi

# ---- projects
for q in "page_size=200" "page=2&page_size=5" "flow_type=1" "q=铜川"; do
  args=()
  IFS='&' read -r -a kv <<<"$q"
  for p in "${kv[@]}"; do k=${p%%=*}; v=${p#*=}; args+=("--${k//_/-}" "$v"); done
  "$BIN" project list --db "$db" --json "${args[@]}" >"$d/p.json" 2>"$d/p.err" || { bad "project list: $(cat "$d/p.err")"; continue; }
  # the CLI's default page is 50 rows, the API's 20: ask both for the same page
  case $q in *page_size*) ;; *) q="$q&page_size=50" ;; esac
  [ "$(api demo_leader "/api/projects?$q" "$d/hp.json")" = 200 ] || { bad "GET /api/projects?$q"; continue; }
  same "project list ?$q" "$d/p.json" "$d/hp.json"
done
"$BIN" project list --db "$db" --page-size 201 >/dev/null 2>&1; c=$?
h=$(api demo_leader "/api/projects?page_size=201" "$d/e.json")
[ "$c" = 2 ] && [ "$h" = 400 ] && ok "project page size over the cap: usage / 400" || bad "project page cap: cli $c http $h"

[ "$fail" = 0 ] && echo "parity: all passed" || echo "parity: FAILED"
exit $fail
