#!/bin/sh
# check-layers.sh: the layering rules of docs/architecture.md, checked on the
# source text (no build needed; run by `make check`, or alone from anywhere).
#
#   base <- calendar <- ids          the pure layer (ids may use calendar)
#        <- store                    the only code that knows SQL and SQLite
#        <- domain modules           each owns the rules of its area; which
#                                    may use which is the DOMAIN list below
#        <- http, cli                faces: parse, call the domain, print
#        <- main                     (cli is also the wiring: it may use http)
#
# Fails (exit 1, one line per finding) on
#   - an #include "dir/x.h" pointing up or sideways across these rules,
#   - a cycle between folders,
#   - sqlite3, store/store_int.h or SQL text outside src/store,
#   - a store_*() call from src/http or src/cli,
#   - an error code folded into 0/1 by a chain: `rc = a(e) || b(e)` (each
#     call's own code is what the caller must return; base/err.h).
# Known exceptions are the EXCEPT lines below: each names one file and why.
set -eu
cd "$(dirname "$0")/.."

# Domain modules and the domain modules each may include (a DAG: every entry
# names only modules listed above it).
DOMAIN='
org:
workday: org
approval: org
stats: org approval
archive: org
ops: org workday
desk: org ops
exchange: org
paperwork: org
quality: org approval
repair: org approval stats
importer: org approval stats
business: org approval paperwork
db: org approval stats
'

# file  included-folder  reason. Each one is a debt, not a rule: remove the
# line when the file is fixed.
EXCEPT='
'
# SQL text outside src/store that is not our database.
SQL_EXCEPT='
src/exchange/front.c               the province front database (PostgreSQL through libpq), not the store
src/exchange/history.c             the same front database
'

fail=0
say() { echo "check-layers: $*"; fail=1; }
flag() { # prefix text: each line of text after the prefix; fail when any
	[ -z "$2" ] && return 0
	echo "$2" | awk -v p="$1" '{ print "check-layers: " p ": " $0 }'
	fail=1
}

unknown=
allowed() { # from-folder to-folder -> 0 when the include may exist
	f=$1 t=$2 unknown=
	case $t in base) return 0 ;; esac
	case $f in
	base) return 1 ;;
	calendar) return 1 ;;
	ids) [ "$t" = calendar ] ;;
	store) [ "$t" = calendar ] || [ "$t" = ids ] ;;
	http) case $t in cli|main) return 1 ;; *) return 0 ;; esac ;;
	cli) [ "$t" != main ] ;;
	main) return 0 ;;
	*)
		case $t in calendar|ids|store) return 0 ;; esac
		line=$(echo "$DOMAIN" | grep "^$f:") || { unknown=1; return 1; }
		for d in ${line#*:}; do [ "$d" = "$t" ] && return 0; done
		return 1 ;;
	esac
}

edges=$(mktemp)
trap 'rm -f "$edges" "$edges.err"' EXIT
# "src/dir/file.c dir-included" for every #include "dir/..." of another folder
find src -name '*.[ch]' | LC_ALL=C sort | xargs grep -H -o '^[[:space:]]*#[[:space:]]*include[[:space:]]*"[a-z_]*/' |
	sed 's/:.*"\([a-z_]*\)\/$/ \1/' | sort -u >"$edges.inc"
while read -r file to; do
	from=$(echo "$file" | cut -d/ -f2)
	[ "$from" = main.c ] && from=main
	[ "$from" = "$to" ] && continue
	echo "$EXCEPT" | grep -q "^$file $to " && continue
	echo "$from $to" >>"$edges"
	allowed "$from" "$to" && continue
	if [ -n "$unknown" ]; then
		say "$file: folder src/$from is not in the DOMAIN list of scripts/check-layers.sh"
		continue
	fi
	say "$file includes $to/: $from may not depend on $to"
done <"$edges.inc"
rm -f "$edges.inc"

# no cycle between folders besides the EXCEPT lines (tsort names the loop)
if ! sort -u "$edges" | tsort >/dev/null 2>"$edges.err"; then
	say "a cycle between folders: $(grep -v 'input contains a loop' "$edges.err" | sed 's/^tsort: //' | tr '\n' ' ')"
fi

# sqlite3 and SQL text only in src/store; no store call from the faces
code() { # files: their lines that are not comments, as file:line: text
	awk '/^[[:space:]]*(\/\*|\*|\/\/)/ { next } { print FILENAME ":" FNR ": " $0 }' "$@"
}
SQL='"[[:space:]]*(SELECT[[:space:]]|INSERT[[:space:]]+(OR[[:space:]]+[A-Z]+[[:space:]]+)?INTO|UPDATE[[:space:]]+[a-z_]+[[:space:]]+SET|DELETE[[:space:]]+FROM|(CREATE|DROP)[[:space:]]+(TABLE|INDEX|VIEW|TRIGGER|TEMP)|ALTER[[:space:]]+TABLE|PRAGMA[[:space:]]|BEGIN( |;|")|COMMIT( |;|")|ROLLBACK|SAVEPOINT[[:space:]]|RELEASE[[:space:]]|VACUUM|ATTACH[[:space:]]|WITH[[:space:]]+[a-z_]+[[:space:]]+AS)'
outside=$(find src -name '*.[ch]' -not -path 'src/store/*' | LC_ALL=C sort)
# shellcheck disable=SC2086
flag "sqlite outside src/store" "$(code $outside | grep -E 'sqlite3|store/store_int\.h')"
sql_except=$(echo "$SQL_EXCEPT" | awk 'NF { printf "%s%s:", sep, $1; sep = "|" }')
# shellcheck disable=SC2086
flag "SQL outside src/store" "$(code $outside | grep -E "$SQL" | grep -Ev "^($sql_except)")"
# shellcheck disable=SC2086
flag "store call from a face" "$(code $(find src/http src/cli -name '*.[ch]' | LC_ALL=C sort) |
	grep -E '(^|[^a-z_.>])store_[a-z0-9_]+[[:space:]]*\(')"

# shellcheck disable=SC2086
flag "codes folded by ||" "$(code $(find src -name '*.c' | LC_ALL=C sort) |
	grep -E '(^|[^(a-z_])rc = [a-z_]+\(.*\|\|')"

[ $fail = 0 ] && echo "check-layers: ok"
exit $fail
