#!/usr/bin/env bash
# Runs every test, as README.md says: builds what the tests need first
# (Dendrite, the Matrix tests' homeserver: once, then cached), then vet and
# the race-enabled tests, a short fuzzing of the rule language (about 20 s),
# then the Matrix end-to-end encryption build and tests.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/dendrite.sh build
export WIREWATCH_REQUIRE_DENDRITE=1 # the Matrix tests fail, not skip, without it
go vet ./...
go test -race -count=1 ./...
echo "== fuzzing the rule language briefly (parser round-trip, matcher never panics)"
go test -run '^$' -fuzz '^FuzzParse$' -fuzztime 10s ./rules/
go test -run '^$' -fuzz '^FuzzTokens$' -fuzztime 5s ./rules/
echo "== with -tags goolm (Matrix end-to-end encryption, pure-Go olm)"
CGO_ENABLED=0 go build -tags goolm -o /dev/null .
go vet -tags goolm ./...
go test -race -tags goolm -count=1 ./bot/matrix/ .
