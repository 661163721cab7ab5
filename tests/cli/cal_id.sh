#!/usr/bin/env bash
# CLI tests of `gonggai cal` and `gonggai id`: outputs and exit codes.
# Uses $GG_BIN (the sanitizer binary, exported by tests/run.sh); prints one
# line per failure and exits non-zero when any check failed.
set -u
bin=${GG_BIN:?GG_BIN must name the gonggai binary}
fails=0; checks=0
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

# t WANT_EXIT WANT_STDOUT [WANT_STDERR_SUBSTRING] -- ARGS...
t() {
  local want_rc=$1 want_out=$2 want_err=$3; shift 4
  "$bin" "$@" >"$tmp/out" 2>"$tmp/err"; local rc=$?
  local out; out=$(cat "$tmp/out")
  checks=$((checks+1))
  if [ "$rc" != "$want_rc" ]; then
    echo "FAIL gonggai $*: exit $rc, want $want_rc ($(head -c 300 "$tmp/err"))"; fails=$((fails+1)); return
  fi
  if [ "$want_out" != "*" ] && [ "$out" != "$want_out" ]; then
    echo "FAIL gonggai $*: stdout '$out', want '$want_out'"; fails=$((fails+1)); return
  fi
  if [ -n "$want_err" ] && ! grep -qF -- "$want_err" "$tmp/err"; then
    echo "FAIL gonggai $*: stderr lacks '$want_err': $(head -c 300 "$tmp/err")"; fails=$((fails+1)); return
  fi
  if [ -z "$want_err" ] && [ "$rc" = 0 ] && [ -s "$tmp/err" ]; then
    echo "FAIL gonggai $*: unexpected stderr: $(head -c 300 "$tmp/err")"; fails=$((fails+1))
  fi
}

# ---- cal add ---------------------------------------------------------------
t 0 2024-03-11 "" -- cal add 2024-03-04 5           # Monday + 5 = next Monday
t 0 2024-03-11 "" -- cal add 2024-03-09 1           # Saturday start
t 0 2024-03-08 "" -- cal add 2024-03-08 0           # N = 0 on a working day
t 0 2024-03-11 "" -- cal add 2024-03-09 0           # N = 0 on a rest day
t 0 2024-02-18 "" -- cal add 2024-02-09 1           # 春节 2024, make-up Sunday
t 0 2024-02-04 "" -- cal add 2024-02-04 0           # a make-up day is a working day
t 0 2026-01-04 "" -- cal add 2025-12-29 3           # into 2026 元旦
t 0 2025-10-09 "" -- cal add 2025-09-30 1           # 国庆 2025, 8 days
t 0 2027-01-04 "provisional: no official calendar for 2027" -- cal add 2026-12-28 5
t 0 '{"date":"2024-03-04","n":5,"result":"2024-03-11","provisional":false}' "" -- cal add 2024-03-04 5 --json
t 0 '{"date":"2026-12-28","n":5,"result":"2027-01-04","provisional":true,"provisional_year":2027}' \
  "provisional: no official calendar for 2027" -- cal add --json 2026-12-28 5
t 2 "" "2024-02-30" -- cal add 2024-02-30 1
t 2 "" "2024-13-01" -- cal add 2024-13-01 1
t 2 "" "abc" -- cal add abc 1
t 2 "" "invalid N '-1'" -- cal add 2024-01-01 -1
t 2 "" "invalid N '3651'" -- cal add 2024-01-01 3651
t 0 "*" "provisional: no official calendar for 2027" -- cal add 2024-01-01 3650
t 2 "" "invalid N 'x'" -- cal add 2024-01-01 x
t 2 "" "expected DATE N" -- cal add 2024-01-01
t 2 "" "outside the supported range" -- cal add 1999-12-31 1

# ---- cal count -------------------------------------------------------------
t 0 5 "" -- cal count 2024-03-04 2024-03-11
t 0 0 "" -- cal count 2024-03-04 2024-03-04
t 0 -5 "" -- cal count 2024-03-11 2024-03-04
t 0 1 "" -- cal count 2024-02-09 2024-02-18
t 0 251 "" -- cal count 2023-12-31 2024-12-31
t 0 2 "" -- cal count 2025-12-31 2026-01-05
t 0 7 "provisional: no official calendar for 2027" -- cal count 2026-12-30 2027-01-08
t 0 '{"from":"2025-12-31","to":"2026-01-05","workdays":2,"provisional":false}' "" -- cal count 2025-12-31 2026-01-05 --json
t 2 "" "2024-02-30" -- cal count 2024-01-01 2024-02-30
t 2 "" "expected FROM TO" -- cal count 2024-01-01

# ---- cal day ---------------------------------------------------------------
t 0 "rest 春节" "" -- cal day 2024-02-12
t 0 "workday 春节调休" "" -- cal day 2024-02-04
t 0 "rest 元旦" "provisional: no official calendar for 2022" -- cal day 2022-12-31
t 0 "rest 国庆节" "" -- cal day 2024-10-01
t 0 "rest 中秋节" "" -- cal day 2025-10-06
t 0 "workday 元旦调休" "" -- cal day 2026-01-04
t 0 "rest" "" -- cal day 2024-03-09
t 0 "workday" "" -- cal day 2024-03-11
t 0 "workday" "provisional: no official calendar for 2027" -- cal day 2027-01-01
t 0 '{"date":"2024-02-12","kind":"rest","entry":"holiday","weekday":1,"name":"春节","provisional":false}' "" -- cal day 2024-02-12 --json
t 0 '{"date":"2027-01-02","kind":"rest","entry":"normal","weekday":6,"name":null,"provisional":true,"provisional_year":2027}' \
  "provisional" -- cal day 2027-01-02 --json
t 2 "" "abc" -- cal day abc
t 2 "" "unknown subcommand" -- cal frob
t 2 "" "unknown option '--frob'" -- cal day 2024-01-01 --frob
t 2 "" "missing subcommand" -- cal
t 0 "*" "" -- cal --help

# ---- id check --------------------------------------------------------------
t 0 valid "" -- id check uscc 11610200MB29655940
t 0 valid "" -- id check uscc 91350200575030446H
t 0 valid "" -- id check uscc 91350200575030446h
t 1 "check digit: expected H got 7" "" -- id check uscc 913502005750304467
t 1 "character 'I' at 9 not allowed" "" -- id check uscc 91350200I75030446H
t 1 "length: expected 18 characters, got 17" "" -- id check uscc 9135020057503044H
t 1 "registration type '17' unknown (chars 1-2)" "" -- id check uscc 17350200575030446H
t 1 "organisation code check: expected 6 got 7 (char 17)" "" -- id check uscc 91350200575030447H
t 0 '{"kind":"uscc","value":"91350200575030446H","valid":true}' "" -- id check uscc 91350200575030446h --json
t 1 '{"kind":"uscc","value":"913502005750304467","valid":false,"message":"check digit: expected H got 7"}' "" -- id check --json uscc 913502005750304467
t 0 valid "" -- id check idcard 11010519491231002X
t 0 valid "" -- id check idcard 11010519491231002x
t 1 "check digit: expected X got 1" "" -- id check idcard 110105194912310021
t 1 "birth date 19900230 invalid (chars 7-14)" "" -- id check idcard 610202199002301233
t 0 valid "" -- id check project-code 2020-610202-48-01-000001
t 1 "unknown division 610299 (chars 6-11)" "" -- id check project-code 2020-610299-48-01-000001
t 1 "*" "" -- id check project-code 2020-610202-48-0A-000001
t 0 valid "" -- id check division 610202
t 0 valid "" -- id check division 610881
t 1 "unknown division 610299" "" -- id check division 610299
t 0 '{"kind":"division","value":"610204","valid":true,"division_name":"耀州区"}' "" -- id check division 610204 --json
t 2 "" "unknown kind 'foo'" -- id check foo x
t 2 "" "expected KIND VALUE" -- id check uscc
t 2 "" "unknown subcommand" -- id frob
t 2 "" "missing subcommand" -- id
t 0 "*" "" -- id --help
t 0 "*" "" -- id check --help

# ---- cal import and --db ----------------------------------------------------
db="$tmp/gg.db"
if "$bin" init --db "$db" >/dev/null 2>&1; then
  printf 'date,kind,name\n2027-01-01,holiday,元旦\n2027-02-06,workday,春节调休\n' >"$tmp/cn-2027.csv"
  printf 'date,kind,name\n2027-01-01,holiday,元旦\n2027-01-01,holiday,元旦\n' >"$tmp/bad.csv"
  printf 'date,kind,name\n2024-10-08,holiday,国庆节\n' >"$tmp/y2024.csv"
  t 0 "imported calendar 2027: 2 dates (replaces nothing: new year)" "" -- cal import --db "$db" "$tmp/cn-2027.csv"
  t 0 "workday 春节调休" "" -- cal day 2027-02-06 --db "$db"
  t 0 "rest" "provisional: no official calendar for 2027" -- cal day 2027-02-06
  t 0 2027-01-04 "" -- cal add 2026-12-31 1 --db "$db"
  t 1 "" "line 3: date 2027-01-01 already listed on line 2" -- cal import --db "$db" --year 2027 "$tmp/bad.csv"
  t 0 "workday 春节调休" "" -- cal day 2027-02-06 --db "$db"     # the bad file changed nothing
  t 2 "" "--year YYYY" -- cal import --db "$db" "$tmp/bad.csv"
  t 2 "" "--db PATH is required" -- cal import "$tmp/cn-2027.csv"
  t 1 "" "cannot open" -- cal import --db "$db" "$tmp/cn-2099.csv"
  t 0 "imported calendar 2024: 1 date (replaces the built-in notice)" "" -- cal import --db "$db" --year 2024 "$tmp/y2024.csv"
  t 0 "workday" "" -- cal day 2024-02-12 --db "$db"
  t 0 "rest 国庆节" "" -- cal day 2024-10-08 --db "$db"
  t 0 "rest 春节" "" -- cal day 2024-02-12
  t 0 "*" "" -- audit verify --db "$db"
else
  echo "FAIL gonggai init --db $db"; fails=$((fails+1))
fi

if [ "$fails" -gt 0 ]; then
  echo "$fails of $checks checks failed"; exit 1
fi
echo "all $checks checks passed"
