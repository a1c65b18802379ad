#!/usr/bin/env bash
# Starts or stops a throw-away PostgreSQL 15 server for the test suite (CI and local runs).
#   scripts/postgres.sh start   → prints the DATABASE_URL to use (postgres://postgres@127.0.0.1:54329/postgres)
#   scripts/postgres.sh stop
# Installs the server from Debian's packages when the machine does not have it.
set -euo pipefail

PGPORT="${PGPORT:-54329}"
PGROOT="${PGROOT:-/tmp/comic-bot-pg}"
PGDATA="$PGROOT/data"
PGSOCK="$PGROOT/sock"
BIN=/usr/lib/postgresql/15/bin

as_postgres() {
	if [ "$(id -u)" = 0 ]; then su postgres -c "$*"; else bash -c "$*"; fi
}

case "${1:-}" in
start)
	if [ ! -x "$BIN/initdb" ]; then
		echo "installing PostgreSQL 15 from Debian's packages" >&2
		apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
	fi
	if [ -f "$PGDATA/postmaster.pid" ]; then as_postgres "$BIN/pg_ctl -D $PGDATA -m fast -w stop" >&2 || true; fi
	rm -rf "$PGROOT"
	mkdir -p "$PGDATA" "$PGSOCK"
	[ "$(id -u)" = 0 ] && chown -R postgres:postgres "$PGROOT"
	as_postgres "$BIN/initdb -D $PGDATA -U postgres --auth=trust -E UTF8 --no-locale" >/dev/null
	as_postgres "$BIN/pg_ctl -D $PGDATA -l $PGROOT/log -o '-h 127.0.0.1 -p $PGPORT -k $PGSOCK -c fsync=off -c max_connections=300' -w start" >/dev/null
	echo "postgres://postgres@127.0.0.1:$PGPORT/postgres"
	;;
stop)
	[ -f "$PGDATA/postmaster.pid" ] && as_postgres "$BIN/pg_ctl -D $PGDATA -m fast -w stop" >/dev/null
	rm -rf "$PGROOT"
	;;
*)
	echo "usage: $0 start|stop" >&2
	exit 2
	;;
esac
