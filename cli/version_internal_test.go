package cli

import (
	"bytes"
	"strings"
	"testing"
)

func TestPrintVersion(t *testing.T) {
	old := Commit
	t.Cleanup(func() { Commit = old })
	Commit = "0123abcd"
	var b bytes.Buffer
	printVersion(&b)
	got := b.String()
	for _, want := range []string{
		"wirewatch " + Version + "\n",
		"module:  github.com/wirewatch/wirewatch",
		"commit:  ", // the test binary's vcs.revision, when stamped, else Commit
		"tags:    ",
		"go:      go1.",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("version output lacks %q:\n%s", want, got)
		}
	}
	if bi := readBuildInfo(); bi.Commit == "" {
		t.Errorf("commit unknown, want %q from cli.Commit", Commit)
	}
	if !strings.Contains(got, "build with -tags goolm") && !strings.Contains(got, "goolm") {
		t.Errorf("tags line says nothing of goolm:\n%s", got)
	}
}
