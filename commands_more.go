package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"
	"unicode"

	"github.com/pelletier/go-toml/v2"

	"github.com/wirewatch/wirewatch/config"
	"github.com/wirewatch/wirewatch/feeds"
	"github.com/wirewatch/wirewatch/store"
)

func cmdMigrate(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	f := newFlags("migrate", stderr)
	if !f.parse(args) {
		return exitUsage
	}
	return readOnly(ctx, *f.config, stderr, func(cfg *config.Config, db *store.DB, loc *time.Location) int {
		v, err := db.SchemaVersion(ctx)
		if err != nil {
			fmt.Fprintln(stderr, "wirewatch migrate:", err)
			return exitFailed
		}
		fmt.Fprintf(stdout, "%s: schema version %d\n", cfg.Store.Path, v)
		return exitOK
	})
}

func cmdRules(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || (args[0] != "list" && args[0] != "test") {
		fmt.Fprintln(stderr, "usage: wirewatch rules list -config F | wirewatch rules test -config F [-since D] RULE")
		return exitUsage
	}
	verb := args[0]
	f := newFlags("rules "+verb, stderr)
	sinceArg := f.String("since", "7d", "test: items published within this `duration`")
	asJSON := f.Bool("json", false, "test: print stories as JSON lines")
	if !f.parse(args[1:]) {
		return exitUsage
	}
	cfg, ok := loadConfig(*f.config, stderr)
	if !ok {
		return exitUsage
	}
	if verb == "list" {
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
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", r.Name, mode, strings.Join(r.Channels, ","), r.Query)
		}
		tw.Flush()
		return exitOK
	}
	if f.NArg() != 1 {
		fmt.Fprintln(stderr, "wirewatch rules test: name one rule")
		return exitUsage
	}
	for _, r := range cfg.Rules {
		if r.Name == f.Arg(0) {
			searchArgs := []string{"-config", *f.config, "-since", *sinceArg, "-limit", "0"}
			if *asJSON {
				searchArgs = append(searchArgs, "-json")
			}
			return cmdSearch(ctx, append(searchArgs, "--", r.Query), stdout, stderr)
		}
	}
	fmt.Fprintf(stderr, "wirewatch rules test: no rule named %q\n", f.Arg(0))
	return exitUsage
}

func cmdExportOPML(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	f := newFlags("export-opml", stderr)
	if !f.parse(args) {
		return exitUsage
	}
	cfg, ok := loadConfig(*f.config, stderr)
	if !ok {
		return exitUsage
	}
	var out []feeds.OPMLFeed
	for _, fc := range cfg.Feeds {
		out = append(out, feeds.OPMLFeed{Title: fc.Name, URL: fc.URL})
	}
	if err := feeds.WriteOPML(stdout, "wirewatch feeds", out); err != nil {
		fmt.Fprintln(stderr, "wirewatch export-opml:", err)
		return exitFailed
	}
	return exitOK
}

// cmdImportOPML prints the feeds of an OPML file as [[feed]] tables to add
// to a configuration file; it changes no file.
func cmdImportOPML(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) != 1 || strings.HasPrefix(args[0], "-") {
		fmt.Fprintln(stderr, "usage: wirewatch import-opml FILE  (prints [[feed]] tables to append to your configuration)")
		return exitUsage
	}
	file, err := os.Open(args[0])
	if err != nil {
		fmt.Fprintln(stderr, "wirewatch import-opml:", err)
		return exitUsage
	}
	defer file.Close()
	list, err := feeds.ReadOPML(file)
	if err != nil {
		fmt.Fprintf(stderr, "wirewatch import-opml: %s: %v\n", args[0], err)
		return exitUsage
	}
	type feed struct {
		Name string   `toml:"name"`
		URL  string   `toml:"url"`
		Tags []string `toml:"tags,omitempty"`
	}
	var doc struct {
		Feed []feed `toml:"feed"`
	}
	used := map[string]int{}
	for _, o := range list {
		name := slug(o.Title)
		if name == "" {
			name = slug(feeds.RegisteredDomain(o.URL))
		}
		if used[name]++; used[name] > 1 {
			name = fmt.Sprintf("%s-%d", name, used[name])
		}
		tags := make([]string, 0, len(o.Tags))
		for _, t := range o.Tags {
			tags = append(tags, slug(t))
		}
		doc.Feed = append(doc.Feed, feed{Name: name, URL: o.URL, Tags: tags})
	}
	b, err := toml.Marshal(doc)
	if err != nil {
		fmt.Fprintln(stderr, "wirewatch import-opml:", err)
		return exitFailed
	}
	fmt.Fprintf(stdout, "# %d feeds from %s\n%s", len(doc.Feed), args[0], b)
	return exitOK
}

// slug makes a feed name from a title: lower-case letters and digits joined
// by hyphens.
func slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			dash = false
		} else {
			dash = true
		}
	}
	return b.String()
}
