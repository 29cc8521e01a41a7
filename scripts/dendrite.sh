#!/usr/bin/env bash
# Builds and runs Dendrite, the Matrix homeserver the Matrix tests use.
#
#   scripts/dendrite.sh build        build the binaries once (skips when they are current)
#   scripts/dendrite.sh start [PORT] run a throwaway homeserver on 127.0.0.1:PORT (default 8448)
#                                    with users bot, alice and bob (password "wirewatch-test"),
#                                    in the foreground until Ctrl-C; its data goes when it stops
#   scripts/dendrite.sh dir          print where the binaries are
#
# The binaries go to ${WIREWATCH_DENDRITE_DIR:-$HOME/.cache/wirewatch/dendrite};
# the tests in bot/matrix look there too, and skip when they are missing.
# Dendrite's version is pinned in tools/dendrite/go.mod. The build is pure Go
# (CGO_ENABLED=0: Dendrite then uses modernc.org/sqlite).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
dir="${WIREWATCH_DENDRITE_DIR:-$HOME/.cache/wirewatch/dendrite}"
bins=(dendrite generate-keys generate-config create-account)

# stamp identifies what was built: the pinned module versions and Go's.
stamp() {
	cat "$root/tools/dendrite/go.mod" "$root/tools/dendrite/go.sum"
	go version
}

# built reports whether every binary is there.
built() {
	for b in "${bins[@]}"; do [ -x "$dir/bin/$b" ] || return 1; done
}

build() {
	if built && [ -f "$dir/stamp" ] && [ "$(stamp | sha256sum)" = "$(cat "$dir/stamp")" ]; then
		echo "dendrite: binaries in $dir/bin are current"
		return
	fi
	mkdir -p "$dir/bin"
	local start=$SECONDS
	echo "dendrite: building into $dir/bin (takes a few minutes the first time)"
	(
		cd "$root/tools/dendrite"
		pkgs=()
		for b in "${bins[@]}"; do pkgs+=("github.com/element-hq/dendrite/cmd/$b"); done
		CGO_ENABLED=0 go build -trimpath -o "$dir/bin/" "${pkgs[@]}"
	)
	stamp | sha256sum >"$dir/stamp"
	echo "dendrite: built in $((SECONDS - start))s"
}

start() {
	local port="${1:-8448}"
	built || { echo "dendrite: not built; run $0 build" >&2; exit 1; }
	local data
	data="$(mktemp -d)"
	pid=
	trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$data"' EXIT
	trap 'exit 130' INT TERM
	cd "$data"
	"$dir/bin/generate-keys" --private-key matrix_key.pem >/dev/null
	"$dir/bin/generate-config" -ci -dir "$data" -server localhost >dendrite.yaml
	# Closed registration (create-account makes the users), no federation traffic.
	sed -i -e 's/registration_disabled: false/registration_disabled: true/' \
		-e 's/disable_federation: false/disable_federation: true/' \
		-e 's/enable_outbound: true/enable_outbound: false/' dendrite.yaml
	# SQLite in WAL mode (kept by each database file), so that readers do not
	# hold off writers; Dendrite ignores pragmas in its connection strings.
	if command -v sqlite3 >/dev/null; then
		for db in $(sed -n 's/^ *connection_string: file:\(.*\.db\)$/\1/p' dendrite.yaml); do
			sqlite3 "$db" 'PRAGMA journal_mode=WAL;' >/dev/null
		done
	fi
	"$dir/bin/dendrite" --config dendrite.yaml --http-bind-address "127.0.0.1:$port" >dendrite.log 2>&1 &
	pid=$!
	for _ in $(seq 100); do
		curl -fsS "http://127.0.0.1:$port/_matrix/client/versions" >/dev/null 2>&1 && break
		kill -0 "$pid" 2>/dev/null || { cat dendrite.log >&2; exit 1; }
		sleep 0.2
	done
	for u in bot alice bob; do
		"$dir/bin/create-account" --config dendrite.yaml --username "$u" --password wirewatch-test \
			--url "http://127.0.0.1:$port" >/dev/null 2>&1
	done
	echo "dendrite: http://127.0.0.1:$port, server name localhost, data in $data"
	echo "dendrite: users @bot:localhost, @alice:localhost, @bob:localhost, password wirewatch-test"
	echo "dendrite: log in $data/dendrite.log; Ctrl-C stops it and removes its data"
	wait "$pid"
}

case "${1:-}" in
build) build ;;
start) shift; start "$@" ;;
dir) echo "$dir/bin" ;;
*) echo "usage: $0 build | start [PORT] | dir" >&2; exit 2 ;;
esac
