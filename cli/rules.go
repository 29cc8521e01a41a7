package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/wirewatch/wirewatch/bot"
	"github.com/wirewatch/wirewatch/config"
	"github.com/wirewatch/wirewatch/store"
)

const rulesUsage = "usage: wirewatch rules [list] -config F | wirewatch rules test -config F [-json] [-since D] [-limit N] [-query Q] [RULE]"

func cmdRules(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) > 0 && (args[0] == "-h" || args[0] == "-help" || args[0] == "--help") {
		fmt.Fprintln(stdout, rulesUsage)
		return nil
	}
	if len(args) > 0 && strings.HasPrefix(args[0], "-") {
		args = verbFirst(args) // `rules -config F test RULE`: flags may come before the verb
	}
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		args = append([]string{"list"}, args...) // `rules -config F` lists them, as `rules` does in chat
	}
	if args[0] != "list" && args[0] != "test" {
		return usageErrorf(rulesUsage)
	}
	verb := args[0]
	f, sinceArg, asJSON, query, limit := rulesFlags(verb, stderr)
	if verb == "list" {
		cfg, err := f.parseAndLoadNoArgs(args[1:])
		if err != nil {
			return err
		}
		return listRules(cfg, stdout)
	}
	cfg, err := f.parseAndLoad(args[1:])
	if err != nil {
		return err
	}
	var rule config.Rule
	switch {
	case f.NArg() > 1:
		return usageErrorf("wirewatch rules test: name one rule")
	case f.NArg() == 1:
		i := slices.IndexFunc(cfg.Rules, func(r config.Rule) bool { return r.Name == f.Arg(0) })
		if i < 0 {
			return usageErrorf("wirewatch rules test: no rule named %q", f.Arg(0))
		}
		rule = cfg.Rules[i]
	case *query == "":
		return usageErrorf("wirewatch rules test: name a rule, or give -query")
	default:
		rule = config.Rule{Name: "-query"}
	}
	if *query != "" {
		rule.Query = *query
	}
	br, err := testRule(cfg, rule)
	if err != nil {
		return usageErrorf("wirewatch rules test: %v", err)
	}
	since, err := sinceFlag(*sinceArg, time.Now())
	if err != nil {
		return usageErrorf("wirewatch rules test: %v", err)
	}
	return withStore(ctx, cfg, func(db *store.DB, loc *time.Location) error {
		res, err := runRuleTest(ctx, db, cfg, br, since)
		if errors.Is(err, bot.ErrSearchCut) {
			fmt.Fprintf(stderr, "wirewatch rules test: read the newest %d items only: %v\n", bot.MaxSearchScan, err)
		} else if err != nil {
			return failed(fmt.Errorf("wirewatch rules test: %w", err))
		}
		if *asJSON {
			return res.writeJSON(ctx, db, stdout, *limit)
		}
		mark := func(s string) string { return s }
		if isTerminal(stdout) {
			mark = func(s string) string { return "\x1b[1;33m" + s + "\x1b[0m" }
		}
		window := *sinceArg
		if since.IsZero() { // "" or 0: all of them
			window = ""
		}
		return res.write(ctx, db, stdout, loc, *limit, window, mark)
	})
}

// rulesFlags returns the flags of `rules VERB`: -config, and test's own.
func rulesFlags(verb string, stderr io.Writer) (f flags, since *string, asJSON *bool, query *string, limit *int) {
	f = newFlags("rules "+verb, stderr)
	since, asJSON, query, limit = new(string), new(bool), new(string), new(int)
	if verb == "test" {
		since = f.String("since", "7d", "items published within this `duration` (\"\": all)")
		asJSON = f.Bool("json", false, "print stories as JSON lines")
		query = f.String("query", "", "try this `query` instead of the rule's (with the config's aliases; without RULE, on its own)")
		limit = f.Int("limit", 20, "show at most this many stories (all are counted)")
	}
	return f, since, asJSON, query, limit
}

// verbFirst returns args with the verb (list, test) first when flags come
// before it, as they may before any other argument: `rules -config F test
// RULE` is `rules test -config F RULE`. Without a verb after the flags,
// args are returned as they are.
func verbFirst(args []string) []string {
	probe, _, _, _, _ := rulesFlags("test", io.Discard) // every flag of rules
	if err := probe.FlagSet.Parse(args); err != nil {
		return args // the verb's own flag set reports it
	}
	rest := probe.FlagSet.Args() // not flags.Args: parse was not called
	n := len(args) - len(rest)   // the flags before the first other argument
	if len(rest) == 0 || (rest[0] != "list" && rest[0] != "test") || args[n-1] == "--" {
		return args
	}
	return slices.Concat([]string{rest[0]}, args[:n], rest[1:])
}

// listRules prints the configured rules as a table.
func listRules(cfg *config.Config, stdout io.Writer) error {
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "RULE\tMODE\tCHANNELS\tQUERY")
	for _, r := range cfg.Rules {
		mode := r.Mode
		if r.Mode == "digest" {
			mode += " (" + r.Digest + ")"
		}
		if r.MinSources > 1 {
			mode += fmt.Sprintf(", min_sources %d", r.MinSources)
		}
		if r.MinOutlets > 1 {
			mode += fmt.Sprintf(", min_outlets %d", r.MinOutlets)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", r.Name, mode, strings.Join(r.Channels, ","), r.Query)
	}
	if err := tw.Flush(); err != nil {
		return failed(fmt.Errorf("wirewatch rules list: %w", err))
	}
	return nil
}
