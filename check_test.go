package main

import (
	"strings"
	"testing"
)

func TestCheckCommand(t *testing.T) {
	tests := []struct {
		name      string
		config    string
		wantCode  int
		wantLines []string // each must appear in the output, in order
	}{
		{
			name:     "example config",
			config:   "config.example.toml",
			wantCode: exitOK,
			wantLines: []string{
				"ok: config.example.toml: 8 feeds, 5 rules, 1 channel",
			},
		},
		{
			name:     "offline example",
			config:   "examples/offline.toml",
			wantCode: exitOK,
			wantLines: []string{
				"ok: examples/offline.toml:",
			},
		},
		{
			name:     "unknown key, bad cron spec, missing channel",
			config:   "config/testdata/three_errors.toml",
			wantCode: exitUsage,
			wantLines: []string{
				`config/testdata/three_errors.toml:9: feed[1].shedule: unknown key`,
				`config/testdata/three_errors.toml:14: feed[2].schedule: bad cron spec "*/10 * *"`,
				`config/testdata/three_errors.toml:30: rule[1].channels: no channel named "ops"`,
			},
		},
		{
			name:      "missing file",
			config:    "config/testdata/no-such-file.toml",
			wantCode:  exitUsage,
			wantLines: []string{"no-such-file.toml"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runCmd(t, "check", "-config", tt.config)
			if code != tt.wantCode {
				t.Errorf("exit = %d, want %d\nstdout: %s\nstderr: %s", code, tt.wantCode, stdout, stderr)
			}
			out := stdout + stderr
			rest := out
			for _, want := range tt.wantLines {
				i := strings.Index(rest, want)
				if i < 0 {
					t.Errorf("output lacks %q (in order); got:\n%s", want, out)
					continue
				}
				rest = rest[i+len(want):]
			}
			if tt.wantCode == exitUsage && len(tt.wantLines) > 1 {
				if got := strings.Count(strings.TrimSpace(stderr), "\n") + 1; got != len(tt.wantLines) {
					t.Errorf("stderr has %d lines, want %d:\n%s", got, len(tt.wantLines), stderr)
				}
			}
		})
	}
}
