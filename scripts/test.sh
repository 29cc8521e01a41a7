#!/usr/bin/env bash
# Runs every test, as README.md says: builds what the tests need first
# (Dendrite, the Matrix tests' homeserver: once, then cached), starts a
# throwaway PostgreSQL (scripts/postgres.sh: the store and bot suites run
# on it too, and the replica tests need it), then vet and the race-enabled
# tests, a short fuzzing of the rule language and the parsers,
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
echo "== fuzzing the rule language briefly (parser round-trip, matcher never panics)"
go test -run '^$' -fuzz '^FuzzParse$' -fuzztime 50000x ./rules/
go test -run '^$' -fuzz '^FuzzTokens$' -fuzztime 300x ./rules/
echo "== fuzzing HTML to text, URL canonicalization and the chat command parser briefly"
go test -run '^$' -fuzz '^FuzzPlainText$' -fuzztime 3000x ./feeds/
go test -run '^$' -fuzz '^FuzzCanonicalURL$' -fuzztime 10000x ./feeds/
go test -run '^$' -fuzz '^FuzzParseInput$' -fuzztime 10000x ./bot/command/
echo "== fuzzing the fast RSS and Atom reader against gofeed briefly"
go test -run '^$' -fuzz '^FuzzFastFeed$' -fuzztime 10000x ./feeds/
# FuzzLoad (config) runs on its seeds in go test above: fuzzing it runs a
# few inputs a second here, too slow to be worth CI time until that is understood.
echo "== with -tags goolm (Matrix end-to-end encryption, pure-Go olm)"
CGO_ENABLED=0 go build -tags goolm -o /dev/null .
go vet -tags goolm ./...
# (PostgreSQL's tests ran above: not again here.)
WIREWATCH_TEST_POSTGRES= go test -race -tags goolm -count=1 ./bot/matrix/ .
