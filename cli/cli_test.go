package cli_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/wirewatch/wirewatch/cli"
)

// TestRunStatus: Run returns nil or an *ExitError with the status, and
// prints a failure's message on stderr once.
func TestRunStatus(t *testing.T) {
	tests := []struct {
		name       string
		args       []string
		wantStatus int    // 0: nil error
		wantOut    string // in stdout
		wantErr    string // in stderr, exactly once
	}{
		{name: "no command", args: nil, wantStatus: cli.StatusUsage, wantErr: "Usage:"},
		{name: "version", args: []string{"version"}, wantOut: "wirewatch " + cli.Version},
		{name: "help", args: []string{"help"}, wantOut: "Usage:"},
		{name: "unknown command", args: []string{"bogus"}, wantStatus: cli.StatusUsage, wantErr: `wirewatch: unknown command "bogus"`},
		{name: "unknown flag", args: []string{"check", "-bogus"}, wantStatus: cli.StatusUsage, wantErr: "flag provided but not defined: -bogus"},
		{name: "missing config", args: []string{"check", "-config", "no-such-file.toml"}, wantStatus: cli.StatusUsage, wantErr: "no-such-file.toml"},
		{name: "bad story ID", args: []string{"story", "x"}, wantStatus: cli.StatusUsage, wantErr: `wirewatch story: "x" is not a story ID`},
		{name: "rules without verb", args: []string{"rules"}, wantStatus: cli.StatusUsage, wantErr: "usage: wirewatch rules list"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			err := cli.Run(context.Background(), tt.args, &stdout, &stderr)
			var exit *cli.ExitError
			switch {
			case tt.wantStatus == 0 && err != nil:
				t.Errorf("Run = %v, want nil", err)
			case tt.wantStatus != 0 && !errors.As(err, &exit):
				t.Errorf("Run = %v (%T), want an *ExitError", err, err)
			case tt.wantStatus != 0 && exit.Status != tt.wantStatus:
				t.Errorf("status = %d, want %d", exit.Status, tt.wantStatus)
			}
			if !strings.Contains(stdout.String(), tt.wantOut) {
				t.Errorf("stdout = %q, want it to hold %q", stdout.String(), tt.wantOut)
			}
			if got := strings.Count(stderr.String(), tt.wantErr); tt.wantErr != "" && got != 1 {
				t.Errorf("stderr holds %q %d times, want once:\n%s", tt.wantErr, got, stderr.String())
			}
		})
	}
}
