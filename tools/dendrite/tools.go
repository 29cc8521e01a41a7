//go:build tools

// Package dendrite pins the Matrix homeserver the Matrix tests run against.
// It is a module of its own so that Dendrite's dependencies stay out of
// wirewatch's go.mod; scripts/dendrite.sh builds its binaries.
package dendrite

import (
	_ "github.com/element-hq/dendrite/cmd/create-account"
	_ "github.com/element-hq/dendrite/cmd/dendrite"
	_ "github.com/element-hq/dendrite/cmd/generate-config"
	_ "github.com/element-hq/dendrite/cmd/generate-keys"
)
