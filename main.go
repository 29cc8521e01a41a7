// Command wirewatch polls news feeds, groups coverage into stories, matches
// watch rules and posts alerts and digests to chat channels.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	_ "time/tzdata" // time zones work on machines without a zoneinfo database

	wmatrix "github.com/wirewatch/wirewatch/bot/matrix"
	"github.com/wirewatch/wirewatch/config"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

// Exit statuses (shared/DESIGN.md).
const (
	exitOK     = 0
	exitFailed = 1 // every feed failed, or the command failed
	exitUsage  = 2 // usage or configuration error
)

const usage = `wirewatch watches news feeds for your topics and posts alerts to channels.

Usage:
  wirewatch run     -config F            poll on schedule and deliver until stopped
  wirewatch once    -config F [-digests] poll every feed once, deliver what is due, exit
  wirewatch check   -config F            validate the configuration
  wirewatch search  -config F [-json] [-since D] [-limit N] QUERY
  wirewatch stories -config F [-json] [-since D]
  wirewatch story   -config F [-json] ID
  wirewatch story merge -config F ID ID  merge the second story into the first
  wirewatch story split -config F ID URL take an item out of a story
  wirewatch feeds   -config F            feed health
  wirewatch rules list -config F         the rules
  wirewatch rules test -config F [-since D] RULE  stored stories a rule matches
  wirewatch migrate -config F            bring the database schema up to date
  wirewatch export-opml -config F        the feeds as OPML
  wirewatch import-opml FILE             OPML feeds as [[feed]] tables to paste
  wirewatch version

Durations (D) take Go syntax or days: 90m, 36h, 7d.
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run executes one subcommand and returns the process exit status.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitUsage
	}
	cmds := map[string]func(context.Context, []string, io.Writer, io.Writer) int{
		"run":         cmdRun,
		"once":        cmdOnce,
		"check":       cmdCheck,
		"search":      cmdSearch,
		"stories":     cmdStories,
		"story":       cmdStory,
		"feeds":       cmdFeeds,
		"rules":       cmdRules,
		"migrate":     cmdMigrate,
		"export-opml": cmdExportOPML,
		"import-opml": cmdImportOPML,
	}
	switch name := args[0]; name {
	case "version", "-version", "--version":
		fmt.Fprintln(stdout, "wirewatch", version)
		return exitOK
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, usage)
		return exitOK
	default:
		cmd, ok := cmds[name]
		if !ok {
			fmt.Fprintf(stderr, "wirewatch: unknown command %q\n\n%s", name, usage)
			return exitUsage
		}
		return cmd(ctx, args[1:], stdout, stderr)
	}
}

// flags is a subcommand's flag set with the common -config flag.
type flags struct {
	*flag.FlagSet
	config *string
}

func newFlags(name string, stderr io.Writer) flags {
	fs := flag.NewFlagSet("wirewatch "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	def := os.Getenv("WIREWATCH_CONFIG")
	if def == "" {
		def = "wirewatch.toml"
	}
	return flags{FlagSet: fs, config: fs.String("config", def, "configuration `file` (env WIREWATCH_CONFIG)")}
}

// parse parses args; it returns false (after saying why) on a usage error.
func (f flags) parse(args []string) bool {
	return f.Parse(args) == nil
}

// loadConfig loads and validates the configuration, printing every error.
func loadConfig(path string, stderr io.Writer) (*config.Config, bool) {
	cfg, err := config.Load(path, config.Features{Encryption: wmatrix.EncryptionSupported})
	if err != nil {
		var errs config.Errors
		if errors.As(err, &errs) {
			for _, e := range errs {
				fmt.Fprintln(stderr, e)
			}
		} else {
			fmt.Fprintln(stderr, err)
		}
		return nil, false
	}
	return cfg, true
}

// withApp loads the configuration, opens the app, runs fn and closes it.
func withApp(ctx context.Context, path string, stdout, stderr io.Writer, fn func(*app) int) int {
	cfg, ok := loadConfig(path, stderr)
	if !ok {
		return exitUsage
	}
	a, err := openApp(ctx, cfg, stdout, stderr)
	if err != nil {
		fmt.Fprintln(stderr, "wirewatch:", err)
		return exitFailed
	}
	defer a.Close()
	return fn(a)
}
