#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for tests and benchmarks (Debian `postgresql`):
#   tests/pg.sh start DIR   initdb in DIR/data, serve on a unix socket in DIR/sock only
#                           (no TCP), print the conninfo of its `postgres` database
#   tests/pg.sh stop DIR    stop it (the caller removes DIR)
# Run as root, the server runs as the `postgres` user (runuser), so DIR is made
# accessible to it (its parents get o+x when postgres cannot traverse them). Durability is off (fsync, synchronous_commit): test data only.
set -eu
cmd=${1:?usage: tests/pg.sh start|stop DIR}; dir=${2:?usage: tests/pg.sh start|stop DIR}
bin=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}
[ -x "$bin/pg_ctl" ] || { echo "pg.sh: no PostgreSQL server (apt-get install postgresql)" >&2; exit 1; }
as() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
port=5439
case $cmd in
start)
  mkdir -p "$dir/data" "$dir/sock"
  if [ "$(id -u)" = 0 ]; then
    chown -R postgres "$dir"; chmod 755 "$dir"
    # the postgres user must reach DIR: let it traverse a private (mktemp) parent
    p=$(dirname "$(readlink -f "$dir")")
    while [ "$p" != / ]; do [ -x "$p" ] && runuser -u postgres -- test -x "$p" || chmod o+x "$p"; p=$(dirname "$p"); done
  fi
  su=$( [ "$(id -u)" = 0 ] && echo postgres || id -un )
  as "$bin/initdb" -D "$dir/data" -U "$su" -A trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
    { cat "$dir/initdb.log" >&2; exit 1; }
  as "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-c listen_addresses= -c unix_socket_directories=$dir/sock -p $port -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
  echo "host=$dir/sock port=$port user=$su dbname=postgres"
  ;;
stop)
  [ -f "$dir/data/postmaster.pid" ] && as "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null
  ;;
*) echo "usage: tests/pg.sh start|stop DIR" >&2; exit 2 ;;
esac
