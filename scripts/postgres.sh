#!/usr/bin/env bash
# Runs a throwaway PostgreSQL for the tests (the store suite on PostgreSQL,
# the replica tests).
#
#   scripts/postgres.sh start DIR   install the Debian package when missing, initdb into DIR
#                                   (an empty or missing directory), start the server in the
#                                   background on a free 127.0.0.1 port (its unix socket in DIR)
#                                   and create the database "wirewatch"; the DSN goes to DIR/dsn
#   scripts/postgres.sh restart DIR stop and start it again (the same data and port)
#   scripts/postgres.sh stop DIR    stop it and remove DIR
#
# A test run: dir=$(mktemp -d); scripts/postgres.sh start "$dir";
# export WIREWATCH_TEST_POSTGRES=$(cat "$dir/dsn");
# trap 'scripts/postgres.sh stop "$dir"' EXIT.
#
# initdb refuses root: as root, the server runs as the user nobody. It trusts
# every local connection and keeps nothing safe (fsync off): for tests only.
set -euo pipefail
script="$(cd "$(dirname "$0")" && pwd)/$(basename "$0")"

# bindir finds the PostgreSQL server binaries, installing them when missing.
bindir() {
	local d
	d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1 || true)
	if [ -z "$d" ] || [ ! -x "$d/initdb" ]; then
		if [ "$(id -u)" != 0 ]; then
			echo "postgres: the postgresql package is missing (apt-get install postgresql, as root)" >&2
			exit 1
		fi
		echo "postgres: installing the postgresql package" >&2
		apt-get update -qq >&2
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
		d=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n1)
	fi
	echo "$d"
}

# as runs a command as the server's user: nobody when we are root.
as() {
	if [ "$(id -u)" = 0 ]; then
		runuser -u nobody -- "$@"
	else
		"$@"
	fi
}

# port_free reports whether nothing listens on 127.0.0.1:$1.
port_free() {
	! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

start() {
	local dir="$1" bin port
	bin=$(bindir)
	mkdir -p "$dir"
	dir="$(cd "$dir" && pwd)"
	[ "$(id -u)" = 0 ] && chown nobody "$dir"
	as "$bin/initdb" -D "$dir/data" -U wirewatch --auth=trust --encoding=UTF8 --locale=C >"$dir/initdb.log" 2>&1 ||
		{ cat "$dir/initdb.log" >&2; exit 1; }
	cat >>"$dir/data/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
unix_socket_directories = '$dir'
max_connections = 400
fsync = off
synchronous_commit = off
full_page_writes = off
EOF
	for _ in $(seq 1 50); do
		port=$((20000 + RANDOM % 20000))
		port_free "$port" || continue
		echo "port = $port" >>"$dir/data/postgresql.conf"
		if as "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start >/dev/null; then
			echo "$port" >"$dir/port"
			as "$bin/createdb" -h "$dir" -p "$port" -U wirewatch wirewatch
			echo "postgres://wirewatch@127.0.0.1:$port/wirewatch?sslmode=disable" >"$dir/dsn"
			echo "postgres: running on 127.0.0.1:$port, data in $dir" >&2
			return
		fi
		sed -i '/^port = /d' "$dir/data/postgresql.conf" # taken meanwhile: another port
	done
	cat "$dir/server.log" >&2
	echo "postgres: could not start" >&2
	exit 1
}

restart() {
	local dir="$1" bin
	bin=$(bindir)
	as "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -m fast -w -t 60 restart >/dev/null
}

stop() {
	local dir="$1" bin
	[ -d "$dir" ] || return 0
	bin=$(bindir)
	[ -f "$dir/data/postmaster.pid" ] && as "$bin/pg_ctl" -D "$dir/data" -m immediate -w -t 60 stop >/dev/null 2>&1 || true
	rm -rf "$dir"
}

case "${1:-}" in
start | restart | stop)
	[ -n "${2:-}" ] || { echo "usage: $script $1 DIR" >&2; exit 2; }
	"$1" "$2"
	;;
*)
	echo "usage: $script start|restart|stop DIR" >&2
	exit 2
	;;
esac
