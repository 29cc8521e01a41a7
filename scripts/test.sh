#!/usr/bin/env bash
# Runs every test, as README.md says: builds what the tests need first
# (Dendrite, the Matrix tests' homeserver: once, then cached), starts a
# throwaway PostgreSQL (scripts/postgres.sh: the store and bot suites run
# on it too, and the replica tests need it), then vet and the race-enabled
# tests, a short fuzzing of the rule language, the parsers and the grouper,
# then the Matrix end-to-end encryption build and tests.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/dendrite.sh build
export WIREWATCH_REQUIRE_DENDRITE=1 # the Matrix tests fail, not skip, without it
pgdir="$(mktemp -d)"
trap 'scripts/postgres.sh stop "$pgdir"' EXIT
scripts/postgres.sh start "$pgdir"
WIREWATCH_TEST_POSTGRES="$(cat "$pgdir/dsn")"
export WIREWATCH_TEST_POSTGRES
go vet ./...
go test -race -count=1 ./...
# Fuzzing budgets are counts of inputs, not durations: with -fuzztime Ns
# the Go 1.26 fuzz coordinator can fail a target with a bare "context
# deadline exceeded" when the time runs out while a worker is busy
# (golang/go#75804, fixed in Go 1.27), with nothing found. The counts are
# about what each target ran in the durations it had before.
# fuzz PKG TARGET INPUTS: a target that does not exist fails here (go test
# -fuzz with a pattern that matches nothing says so and exits 0).
fuzz() {
	local list
	list=$(go test -list "^$2\$" "$1") # not piped into grep -q: pipefail and SIGPIPE
	if ! grep -qx "$2" <<<"$list"; then
		echo "scripts/test.sh: no fuzz target $2 in $1" >&2
		exit 1
	fi
	go test -run '^$' -fuzz "^$2\$" -fuzztime "$3x" "$1"
}
echo "== fuzzing the rule language briefly (parser round-trip, matcher never panics)"
fuzz ./rules/ FuzzParse 50000
fuzz ./rules/ FuzzTokens 300
echo "== fuzzing HTML to text, URL canonicalization and the chat command parser briefly"
fuzz ./feeds/ FuzzPlainText 3000
fuzz ./feeds/ FuzzSimpleText 20000
fuzz ./feeds/ FuzzCanonicalURL 10000
fuzz ./bot/command/ FuzzParseInput 10000
echo "== fuzzing the fast RSS and Atom reader against gofeed briefly"
fuzz ./feeds/ FuzzFastFeed 10000
echo "== fuzzing the text folding's fast paths and the index's token strings briefly"
fuzz ./text/ FuzzFoldFastPaths 20000
fuzz ./rules/ FuzzIndexDocTokens 20000
echo "== fuzzing the story grouper briefly (fingerprint; assign, add, merge, forget, restart)"
fuzz ./feeds/stories/ FuzzFingerprint 20000
fuzz ./feeds/stories/ FuzzIndexOperations 5000
# FuzzLoad (config) runs on its seeds in go test above: fuzzing it runs a
# few inputs a second here, too slow to be worth CI time until that is understood.
echo "== with -tags goolm (Matrix end-to-end encryption, pure-Go olm)"
CGO_ENABLED=0 go build -tags goolm -o /dev/null .
go vet -tags goolm ./...
# (PostgreSQL's tests ran above: not again here.)
WIREWATCH_TEST_POSTGRES= go test -race -tags goolm -count=1 ./bot/matrix/ .
