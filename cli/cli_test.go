package cli_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/wirewatch/wirewatch/cli"
	"github.com/wirewatch/wirewatch/feeds"
	"github.com/wirewatch/wirewatch/store"
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
		{name: "unknown command", args: []string{"bogus"}, wantStatus: cli.StatusUsage, wantErr: "wirewatch: unknown command \"bogus\"\nRun `wirewatch help`"},
		{name: "did you mean", args: []string{"chek"}, wantStatus: cli.StatusUsage, wantErr: `wirewatch: unknown command "chek" (did you mean "check"?)`},
		{name: "did you mean, swapped letters", args: []string{"stroies"}, wantStatus: cli.StatusUsage, wantErr: `(did you mean "stories"?)`},
		{name: "did you mean, prefix", args: []string{"migr"}, wantStatus: cli.StatusUsage, wantErr: `(did you mean "migrate"?)`},
		{name: "unknown flag", args: []string{"check", "-bogus"}, wantStatus: cli.StatusUsage, wantErr: "flag provided but not defined: -bogus"},
		{name: "missing config", args: []string{"check", "-config", "no-such-file.toml"}, wantStatus: cli.StatusUsage, wantErr: "wirewatch: no configuration file no-such-file.toml\n"},
		{name: "bad story ID", args: []string{"story", "x"}, wantStatus: cli.StatusUsage, wantErr: `wirewatch story: "x" is not a story ID`},
		{name: "merge into itself", args: []string{"story", "merge", "3", "3"}, wantStatus: cli.StatusUsage, wantErr: "wirewatch story merge: give two different story IDs"},
		{name: "rules with an unknown verb", args: []string{"rules", "kabulov"}, wantStatus: cli.StatusUsage, wantErr: "usage: wirewatch rules [list] -config F | wirewatch rules test"},
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
			if tt.wantStatus == cli.StatusUsage && tt.args != nil && strings.Contains(stderr.String(), "Usage:") {
				t.Errorf("stderr holds the whole usage, want one message:\n%s", stderr.String())
			}
		})
	}
}

// TestMissingDefaultConfig: without -config and WIREWATCH_CONFIG, a
// directory without wirewatch.toml says how to name one.
func TestMissingDefaultConfig(t *testing.T) {
	t.Chdir(t.TempDir())
	t.Setenv("WIREWATCH_CONFIG", "")
	for _, args := range [][]string{{"check"}, {"once"}, {"stories"}, {"story", "3"}, {"rules", "list"}, {"rules"}} {
		var stdout, stderr bytes.Buffer
		err := cli.Run(context.Background(), args, &stdout, &stderr)
		var exit *cli.ExitError
		if !errors.As(err, &exit) || exit.Status != cli.StatusUsage {
			t.Errorf("%v: Run = %v, want a usage error", args, err)
		}
		want := "wirewatch: no wirewatch.toml in this directory: pass -config FILE or set WIREWATCH_CONFIG\n"
		if got := stderr.String(); got != want {
			t.Errorf("%v: stderr = %q, want %q", args, got, want)
		}
	}
	t.Setenv("WIREWATCH_CONFIG", "elsewhere.toml")
	var stderr bytes.Buffer
	cli.Run(context.Background(), []string{"check"}, io.Discard, &stderr)
	if want := "wirewatch: no configuration file elsewhere.toml (named by WIREWATCH_CONFIG)\n"; stderr.String() != want {
		t.Errorf("stderr = %q, want %q", stderr.String(), want)
	}
}

// TestUsageListsEveryFlag: each command's line in the usage names every
// flag the command takes (as its -h lists them).
func TestUsageListsEveryFlag(t *testing.T) {
	var help bytes.Buffer
	if err := cli.Run(context.Background(), []string{"help"}, &help, io.Discard); err != nil {
		t.Fatal(err)
	}
	usage := help.String()
	commands := [][]string{{"run"}, {"once"}, {"check"}, {"search"}, {"stories"}, {"story"}, {"story", "merge"},
		{"story", "split"}, {"feeds"}, {"rules", "list"}, {"rules", "test"}, {"migrate"}, {"export-opml"}}
	flagName := regexp.MustCompile(`(?m)^  (-[a-z-]+)`)
	for _, cmd := range commands {
		name := "wirewatch " + strings.Join(cmd, " ")
		var stderr bytes.Buffer
		cli.Run(context.Background(), append(cmd, "-h"), io.Discard, &stderr)
		flags := flagName.FindAllStringSubmatch(stderr.String(), -1)
		if len(flags) == 0 {
			t.Errorf("%s -h lists no flags:\n%s", name, stderr.String())
		}
		shown := name
		if name == "wirewatch rules list" {
			shown = "wirewatch rules [list]" // the verb may be left out
		}
		line := usageEntry(usage, shown)
		if line == "" {
			t.Errorf("usage has no line for %s:\n%s", name, usage)
			continue
		}
		for _, f := range flags {
			if !regexp.MustCompile(`[ \[]` + f[1] + `\b`).MatchString(line) {
				t.Errorf("usage of %s lacks %s:\n%s", name, f[1], line)
			}
		}
		if !strings.Contains(usage, "\n  "+flags[0][1]+" ") {
			t.Errorf("usage does not explain %s", flags[0][1])
		}
	}
}

// usageEntry returns the usage's entry for the command name: its line and
// the indented line under it, if any.
func usageEntry(usage, name string) string {
	lines := strings.Split(usage, "\n")
	for i, l := range lines {
		rest, ok := strings.CutPrefix(strings.TrimSpace(l), name+" ")
		if !ok || strings.HasPrefix(rest, "merge") || strings.HasPrefix(rest, "split") {
			continue
		}
		if i+1 < len(lines) && strings.HasPrefix(lines[i+1], "        ") {
			return l + "\n" + lines[i+1]
		}
		return l
	}
	return ""
}

// emptyStore returns the path of a configuration whose store is migrated
// and empty.
func emptyStore(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	cfg := filepath.Join(dir, "w.toml")
	if err := os.WriteFile(cfg, []byte("[store]\npath = \"w.db\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := cli.Run(context.Background(), []string{"migrate", "-config", cfg}, io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	return cfg
}

// TestStoriesWithNothing: an empty store says so, whatever the window.
func TestStoriesWithNothing(t *testing.T) {
	cfg := emptyStore(t)
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"stories", "-config", cfg}, "no stories stored\n"},
		{[]string{"stories", "-config", cfg, "-since", "7d"}, "no stories stored\n"},
		{[]string{"stories", "-config", cfg, "-since", ""}, "no stories stored\n"},
		{[]string{"stories", "-config", cfg, "-json"}, ""},
	}
	for _, tt := range tests {
		var stdout, stderr bytes.Buffer
		if err := cli.Run(context.Background(), tt.args, &stdout, &stderr); err != nil {
			t.Errorf("%v: %v", tt.args, err)
		}
		if stdout.String() != "" || stderr.String() != tt.want {
			t.Errorf("%v: stdout %q, stderr %q, want stderr %q", tt.args, stdout.String(), stderr.String(), tt.want)
		}
	}
}

// TestStrayArgumentsAreRefused is the regression test of commands that take
// no arguments ignoring them: `wirewatch check my.toml` checked (and `once
// my.toml` polled) wirewatch.toml, the default, and said "ok".
func TestStrayArgumentsAreRefused(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	t.Setenv("WIREWATCH_CONFIG", "")
	if err := os.WriteFile("wirewatch.toml", []byte("[store]\npath = \"w.db\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"check", "my.toml"}, {"once", "my.toml"}, {"run", "my.toml"}, {"feeds", "my.toml"},
		{"migrate", "my.toml"}, {"export-opml", "my.toml"}, {"rules", "list", "my.toml"},
	} {
		var stdout, stderr bytes.Buffer
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second) // run would run on
		err := cli.Run(ctx, args, &stdout, &stderr)
		cancel()
		var exit *cli.ExitError
		if !errors.As(err, &exit) || exit.Status != cli.StatusUsage || !strings.Contains(stderr.String(), `unexpected argument "my.toml"`) {
			t.Errorf("%q: Run = %v, stdout %q, stderr %q; want a usage error naming the argument", args, err, stdout.String(), stderr.String())
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "w.db")); err == nil {
		t.Errorf("a command with a stray argument opened wirewatch.toml's database")
	}
}

// TestHelpFlagSucceeds: a command's -h prints its flags and exits 0, as
// `wirewatch help` does (it exited 2, a usage error).
func TestHelpFlagSucceeds(t *testing.T) {
	for _, args := range [][]string{{"check", "-h"}, {"search", "-help"}, {"rules", "-h"}, {"rules", "test", "-h"}, {"once", "--help"}} {
		var stdout, stderr bytes.Buffer
		if err := cli.Run(context.Background(), args, &stdout, &stderr); err != nil {
			t.Errorf("%q: Run = %v, want nil", args, err)
		}
		if stdout.Len()+stderr.Len() == 0 {
			t.Errorf("%q printed nothing", args)
		}
	}
}

// TestMissingStoryFails is the regression test of story merge and split
// exiting 2, a usage error, for a story that does not exist: as `story ID`
// does, they exit 1 and name the story.
func TestMissingStoryFails(t *testing.T) {
	cfg := emptyStore(t)
	for _, tt := range []struct {
		args []string
		want string // in stderr
	}{
		{[]string{"story", "-config", cfg, "7"}, "story 7"},
		{[]string{"story", "merge", "-config", cfg, "7", "8"}, "story 7"},
		{[]string{"story", "split", "-config", cfg, "7", "https://example.org/a"}, "story 7"},
	} {
		var stderr bytes.Buffer
		err := cli.Run(context.Background(), tt.args, io.Discard, &stderr)
		var exit *cli.ExitError
		if !errors.As(err, &exit) || exit.Status != cli.StatusFailed || !strings.Contains(stderr.String(), tt.want) {
			t.Errorf("%q: Run = %v, stderr %q; want exit status %d naming %q", tt.args, err, stderr.String(), cli.StatusFailed, tt.want)
		}
	}
}

// TestRulesFlagsBeforeTheVerb: flags may come before the other arguments,
// the rules' verb among them (`rules -config F test RULE`, as `story
// -config F merge ID ID`); they took the verb for a stray argument of
// `rules list`.
func TestRulesFlagsBeforeTheVerb(t *testing.T) {
	cfg := emptyStore(t)
	for _, tt := range []struct {
		args []string
		want string // in stdout
	}{
		{[]string{"rules", "-config", cfg, "list"}, "RULE"},
		{[]string{"rules", "-config", cfg, "test", "-query", "kabulov"}, ""},
		{[]string{"rules", "-config=" + cfg, "-since", "0", "test", "-query", "kabulov"}, ""},
	} {
		var stdout, stderr bytes.Buffer
		if err := cli.Run(context.Background(), tt.args, &stdout, &stderr); err != nil {
			t.Errorf("%q: Run = %v, stderr %q; want success", tt.args, err, stderr.String())
		}
		if !strings.Contains(stdout.String(), tt.want) {
			t.Errorf("%q: stdout = %q, want it to hold %q", tt.args, stdout.String(), tt.want)
		}
	}
}

// TestStoryOfAMergedStory: `story ID` of a story merged into another shows
// the story it went into (its items are there), as `story` in chat does;
// it showed the merged story's empty row: "0 outlets", no items.
func TestStoryOfAMergedStory(t *testing.T) {
	cfg := emptyStore(t)
	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(filepath.Dir(cfg), "w.db"))
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 11, 23, 6, 0, 0, 0, time.UTC)
	var ids []int64
	for i, source := range []string{"tass.com", "tolonews.com"} {
		err := db.InTx(ctx, func(tx *store.Tx) error {
			id, err := tx.CreateStory(ctx, "Kabulov on the Taliban", "", at)
			if err != nil {
				return err
			}
			it := &feeds.Item{Feed: "f", ID: source, URL: "https://" + source + "/kabulov", Title: "Kabulov on the Taliban",
				Source: source, Published: at.Add(time.Duration(i) * time.Hour)}
			it.Attribute()
			ids = append(ids, id)
			_, err = tx.AddItem(ctx, it, nil, id, at)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	into, from := strconv.FormatInt(ids[0], 10), strconv.FormatInt(ids[1], 10)
	if err := cli.Run(ctx, []string{"story", "merge", "-config", cfg, into, from}, io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	if err := cli.Run(ctx, []string{"story", "-config", cfg, "-json", from}, &stdout, &stderr); err != nil {
		t.Fatalf("story %s: %v", from, err)
	}
	var got struct {
		ID    string `json:"id"`
		Items []struct {
			URL string `json:"url"`
		} `json:"items"`
	}
	if err := json.Unmarshal(stdout.Bytes(), &got); err != nil {
		t.Fatalf("story %s -json: %v\n%s", from, err, stdout.String())
	}
	if got.ID != into || len(got.Items) != 2 {
		t.Errorf("story %s (merged into %s) shows story %s with %d items, want story %s with 2", from, into, got.ID, len(got.Items), into)
	}
	if want := "story " + from + " was merged into story " + into; !strings.Contains(stderr.String(), want) {
		t.Errorf("stderr = %q, want it to say %q", stderr.String(), want)
	}
}
