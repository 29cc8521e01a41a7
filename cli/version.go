package cli

import (
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
	"strings"
)

// Commit is the source commit, set at build time where the build has no
// version control information (a container build without .git) with
// -ldflags "-X github.com/wirewatch/wirewatch/cli.Commit=…".
var Commit = ""

// buildInfo is what `wirewatch version` reports of the running binary.
type buildInfo struct {
	Version  string // cli.Version (set at build time), else the module's
	Module   string // the main module's path and version
	Commit   string // vcs.revision, else cli.Commit; "" when unknown
	Time     string // vcs.time
	Modified bool   // vcs.modified: built from a work tree with changes
	Tags     string // the build tags (-tags), "" for none
	Go       string
}

// readBuildInfo reads the binary's build information.
func readBuildInfo() buildInfo {
	b := buildInfo{Version: Version, Commit: Commit, Go: runtime.Version()}
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return b
	}
	b.Module = info.Main.Path + " " + info.Main.Version
	if b.Version == "dev" && info.Main.Version != "" && info.Main.Version != "(devel)" {
		b.Version = info.Main.Version // go install …@v1.2.3
	}
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			b.Commit = s.Value
		case "vcs.time":
			b.Time = s.Value
		case "vcs.modified":
			b.Modified = s.Value == "true"
		case "-tags":
			b.Tags = s.Value
		}
	}
	return b
}

// printVersion writes the version lines: the version, then the module,
// commit, build tags and Go version.
func printVersion(w io.Writer) {
	b := readBuildInfo()
	fmt.Fprintf(w, "wirewatch %s\n", b.Version)
	if b.Module != "" {
		fmt.Fprintf(w, "module:  %s\n", strings.TrimSpace(b.Module))
	}
	commit := b.Commit
	switch {
	case commit == "":
		commit = "unknown"
	case b.Time != "" && b.Modified:
		commit += " (" + b.Time + ", modified)"
	case b.Time != "":
		commit += " (" + b.Time + ")"
	case b.Modified:
		commit += " (modified)"
	}
	fmt.Fprintf(w, "commit:  %s\n", commit)
	tags := b.Tags
	if tags == "" {
		tags = "none"
	}
	if !strings.Contains(","+b.Tags+",", ",goolm,") {
		tags += " (no Matrix end-to-end encryption: build with -tags goolm)"
	}
	fmt.Fprintf(w, "tags:    %s\n", tags)
	fmt.Fprintf(w, "go:      %s\n", b.Go)
}
