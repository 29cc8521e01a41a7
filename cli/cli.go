// Package cli is wirewatch's command line: the subcommands, and the wiring
// of a configuration to the store, the pipeline and the chat adapters.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"

	wmatrix "github.com/wirewatch/wirewatch/bot/matrix"
	"github.com/wirewatch/wirewatch/config"
)

// Version is set at build time with
// -ldflags "-X github.com/wirewatch/wirewatch/cli.Version=…".
var Version = "dev"

// Exit statuses (shared/DESIGN.md).
const (
	StatusFailed = 1 // every feed failed, or the command failed
	StatusUsage  = 2 // usage or configuration error
)

// ExitError is a command that failed: the exit status it means, and what
// went wrong. Run has printed Err (unless it is nil: then the failure was
// reported already, by the flag package or the daemon's log).
type ExitError struct {
	Status int // StatusFailed or StatusUsage
	Err    error
}

// Error returns Err's message, or the exit status when Err is nil.
func (e *ExitError) Error() string {
	if e.Err == nil {
		return fmt.Sprintf("exit status %d", e.Status)
	}
	return e.Err.Error()
}

// Unwrap returns Err.
func (e *ExitError) Unwrap() error { return e.Err }

// failed is a command's failure (exit status 1); err nil: reported already.
func failed(err error) error { return &ExitError{Status: StatusFailed, Err: err} }

// usageError is a usage or configuration error (exit status 2); err nil:
// reported already.
func usageError(err error) error { return &ExitError{Status: StatusUsage, Err: err} }

// errHelp is a command's -h: its flags are printed, and it exits 0.
var errHelp = errors.New("help requested")

// usageErrorf is a usage error with a message.
func usageErrorf(format string, args ...any) error { return usageError(fmt.Errorf(format, args...)) }

const usage = `wirewatch watches news feeds for your topics and posts alerts to channels.

Usage:
  wirewatch run     -config F                    poll on schedule and deliver until stopped; reloads
                                                 the config when it changes and on SIGHUP
  wirewatch once    -config F [-digests]         poll every feed once, delivering as it goes, then exit
  wirewatch check   -config F [-online]          validate the configuration
  wirewatch search  -config F [-json] [-since D] [-limit N] QUERY
                                                 stored stories matching QUERY (the rule language)
  wirewatch stories -config F [-json] [-since D] [-limit N]
                                                 stories updated recently (default: the last 24h)
  wirewatch story   -config F [-json] ID         one story with every item
  wirewatch story merge -config F ID ID          merge the second story into the first
  wirewatch story split -config F ID URL         take an item out of a story
  wirewatch feeds   -config F                    feed health
  wirewatch rules [list] -config F               the rules
  wirewatch rules test -config F [-json] [-since D] [-limit N] [-query Q] [RULE]
                                                 stored stories a rule (or -query Q) matches, the matched
                                                 words in context and why (default: the last 7d)
  wirewatch migrate -config F                    bring the database schema up to date
  wirewatch export-opml -config F                the feeds as OPML
  wirewatch import-opml -config F [-dry-run] [-offline] FILE
                                                 append the OPML file's new feeds to the configuration
  wirewatch import-opml FILE                     OPML feeds as [[feed]] tables to paste
  wirewatch add-feed -config F [-name N] [-tags a,b] [-dry-run] URL...
                                                 find the feed of each URL (a page leads to its feed) and append it
  wirewatch version                              version, commit and build tags

Flags (before or after the other arguments):
  -config F   the configuration file (default: $WIREWATCH_CONFIG, else wirewatch.toml)
  -digests    once: also send every pending digest now, due or not
  -online     check: also ask Slack and Matrix whether the bot can post, and fetch each feed
  -dry-run    import-opml, add-feed: print the [[feed]] tables to add; change nothing
  -offline    import-opml: add the feeds as listed, without fetching them
  -name N     add-feed: the new feed's name (default: from its title)
  -tags a,b   add-feed: the new feeds' tags
  -json       print stories as JSON lines
  -since D    search: items published within D (default: all time);
              stories: updated within D (default 24h); rules test: default 7d
  -limit N    at most N stories (search, rules test: default 20; stories: default all)
  -query Q    rules test: try Q (with the config's aliases) instead of RULE's query

Durations (D) take Go syntax or days: 90m, 36h, 7d.
`

// subcommand is one subcommand: its arguments after the name.
type subcommand func(ctx context.Context, args []string, stdout, stderr io.Writer) error

var commands = map[string]subcommand{
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
	"add-feed":    cmdAddFeed,
}

// Run executes the subcommand args name (args without the program name).
// It prints a failure's message on stderr, once, and returns it as an
// *ExitError carrying the exit status; nil means success (status 0).
func Run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	err := dispatch(ctx, args, stdout, stderr)
	var exit *ExitError
	switch {
	case err == nil:
		return nil
	case !errors.As(err, &exit):
		exit = &ExitError{Status: StatusFailed, Err: err}
	}
	if exit.Err != nil {
		fmt.Fprintln(stderr, exit.Err)
	}
	return exit
}

func dispatch(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return usageError(nil)
	}
	switch name := args[0]; name {
	case "version", "-version", "--version":
		printVersion(stdout)
		return nil
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	default:
		cmd, ok := commands[name]
		if !ok {
			return unknownCommand(name)
		}
		if err := cmd(ctx, args[1:], stdout, stderr); !errors.Is(err, errHelp) {
			return err
		}
		return nil // -h asked for, and printed: as `help`, no failure
	}
}

// flags is a subcommand's flag set with the common -config flag. Flags
// may come before and after positional arguments (shared/DESIGN.md):
// Args, Arg and NArg give the positional ones wherever they stood.
type flags struct {
	*flag.FlagSet
	config *string
	pos    *[]string // positional arguments, in order
}

func newFlags(name string, stderr io.Writer) flags {
	fs := flag.NewFlagSet("wirewatch "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	def := os.Getenv("WIREWATCH_CONFIG")
	if def == "" {
		def = defaultConfig
	}
	return flags{FlagSet: fs, config: fs.String("config", def, "configuration `file` (env WIREWATCH_CONFIG)"), pos: new([]string)}
}

// parse parses args, flags anywhere among the positional arguments; a
// usage error it returns was printed by the flag package. After the first
// positional argument, a word that starts with "-" but names no flag of the
// command is positional (a negated search term, "-football"); "--" ends the
// flags.
func (f flags) parse(args []string) error {
	*f.pos = (*f.pos)[:0]
	for len(args) > 0 {
		if err := f.FlagSet.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return errHelp // the flag package printed it
			}
			return usageError(nil)
		}
		rest := f.FlagSet.Args()
		if n := len(args) - len(rest); n > 0 && args[n-1] == "--" {
			*f.pos = append(*f.pos, rest...)
			return nil
		}
		i := 0
		for i < len(rest) && !f.isFlag(rest[i]) {
			i++
		}
		*f.pos = append(*f.pos, rest[:i]...)
		args = rest[i:]
	}
	return nil
}

// parseAndLoad parses args, then loads the configuration -config names:
// the preamble of the commands that need nothing else before it.
func (f flags) parseAndLoad(args []string) (*config.Config, error) {
	if err := f.parse(args); err != nil {
		return nil, err
	}
	return loadConfig(*f.config)
}

// parseAndLoadNoArgs is parseAndLoad for a command that takes no
// arguments besides its flags: one given is a usage error (`check my.toml`
// would otherwise check wirewatch.toml, and say ok).
func (f flags) parseAndLoadNoArgs(args []string) (*config.Config, error) {
	if err := f.parse(args); err != nil {
		return nil, err
	}
	if f.NArg() > 0 {
		hint := ""
		if strings.HasSuffix(f.Arg(0), ".toml") {
			hint = " (name the configuration with -config FILE)"
		}
		return nil, usageErrorf("%s: unexpected argument %q%s", f.Name(), f.Arg(0), hint)
	}
	return loadConfig(*f.config)
}

// isFlag reports whether a names one of the command's flags ("-json",
// "--since=7d").
func (f flags) isFlag(a string) bool {
	if a == "--" {
		return true
	}
	if len(a) < 2 || a[0] != '-' {
		return false
	}
	name, _, _ := strings.Cut(strings.TrimLeft(a, "-"), "=")
	return f.Lookup(name) != nil
}

// Args returns the positional arguments.
func (f flags) Args() []string { return *f.pos }

// NArg returns how many positional arguments there are.
func (f flags) NArg() int { return len(*f.pos) }

// Arg returns the i'th positional argument, or "".
func (f flags) Arg(i int) string {
	if i < 0 || i >= len(*f.pos) {
		return ""
	}
	return (*f.pos)[i]
}

// defaultConfig is the configuration file -config names unless told.
const defaultConfig = "wirewatch.toml"

// loadConfig loads and validates the configuration; its error (every
// problem in the file, one a line) is a usage error. A file that does not
// exist is named with where its name came from.
func loadConfig(path string) (*config.Config, error) {
	cfg, err := config.Load(path, config.Features{Encryption: wmatrix.EncryptionSupported})
	var pathErr *fs.PathError
	switch {
	case err == nil:
		return cfg, nil
	case !errors.As(err, &pathErr) || pathErr.Path != path || !errors.Is(err, fs.ErrNotExist):
		return nil, usageError(err)
	case path == defaultConfig && os.Getenv("WIREWATCH_CONFIG") == "":
		// -config wirewatch.toml given explicitly reads the same, and is as true.
		return nil, usageErrorf("wirewatch: no %s in this directory: pass -config FILE or set WIREWATCH_CONFIG", defaultConfig)
	case path == os.Getenv("WIREWATCH_CONFIG"):
		return nil, usageErrorf("wirewatch: no configuration file %s (named by WIREWATCH_CONFIG)", path)
	default:
		return nil, usageErrorf("wirewatch: no configuration file %s", path)
	}
}
