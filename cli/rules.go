package cli

import (
	"context"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/wirewatch/wirewatch/config"
	"github.com/wirewatch/wirewatch/rules"
)

func cmdRules(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || (args[0] != "list" && args[0] != "test") {
		return usageErrorf("usage: wirewatch rules list -config F | wirewatch rules test -config F [-json] [-since D] RULE")
	}
	verb := args[0]
	f := newFlags("rules "+verb, stderr)
	sinceArg, asJSON := new(string), new(bool)
	if verb == "test" {
		sinceArg = f.String("since", "7d", "items published within this `duration`")
		asJSON = f.Bool("json", false, "print stories as JSON lines")
	}
	cfg, err := f.parseAndLoad(args[1:])
	if err != nil {
		return err
	}
	if verb == "list" {
		return listRules(cfg, stdout)
	}
	if f.NArg() != 1 {
		return usageErrorf("wirewatch rules test: name one rule")
	}
	for _, r := range cfg.Rules {
		if r.Name != f.Arg(0) {
			continue
		}
		q, err := rules.ParseWith(cfg.TestQuery(r), cfg.RuleOptions(r)) // with its exclude, feeds and tags
		if err != nil {
			return usageErrorf("wirewatch rules test: %v", err)
		}
		since, err := sinceFlag(*sinceArg, time.Now())
		if err != nil {
			return usageErrorf("wirewatch rules test: %v", err)
		}
		return search(ctx, cfg, q, since, 0, *asJSON, stdout, stderr)
	}
	return usageErrorf("wirewatch rules test: no rule named %q", f.Arg(0))
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
