package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/pelletier/go-toml/v2"

	"github.com/wirewatch/wirewatch/feeds"
	"github.com/wirewatch/wirewatch/human"
)

func cmdExportOPML(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	f := newFlags("export-opml", stderr)
	cfg, err := f.parseAndLoadNoArgs(args)
	if err != nil {
		return err
	}
	var out []feeds.OPMLFeed
	for _, fc := range cfg.Feeds {
		out = append(out, feeds.OPMLFeed{Title: fc.Name, URL: fc.URL})
	}
	if err := feeds.WriteOPML(stdout, "wirewatch feeds", out); err != nil {
		return failed(fmt.Errorf("wirewatch export-opml: %w", err))
	}
	return nil
}

// cmdImportOPML appends the feeds of an OPML file that the configuration
// lacks (by canonical URL) to the configuration file -config names, its
// text kept as it is; with -dry-run it prints them instead. Each new feed
// is fetched first (unless -offline): a web page is replaced by the feed it
// leads to, and a feed that cannot be read is added with a comment saying
// so. Without -config it prints every feed as [[feed]] tables to paste.
func cmdImportOPML(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	f := newFlags("import-opml", stderr)
	dryRun := f.Bool("dry-run", false, "print the [[feed]] tables it would add; change nothing")
	offline := f.Bool("offline", false, "add the feeds as listed, without fetching them")
	if err := f.parse(args); err != nil {
		return err
	}
	if f.NArg() != 1 {
		return usageErrorf("usage: wirewatch import-opml [-config F [-dry-run] [-offline]] FILE")
	}
	file := f.Arg(0)
	list, err := readOPML(file)
	if err != nil {
		return err
	}
	explicit := false
	f.Visit(func(fl *flag.Flag) { explicit = explicit || fl.Name == "config" })
	if !explicit {
		return printOPMLFeeds(stdout, file, list)
	}
	cfg, err := loadConfig(*f.config)
	if err != nil {
		return err
	}
	names, known := namesOf(cfg), urlsOf(cfg)
	// The feeds the configuration lacks, once each: a feed listed in two
	// folders gets both folders' tags.
	var add []feeds.OPMLFeed
	at := map[string]int{}
	present := 0
	for _, o := range list {
		c := canonical(o.URL)
		if i, ok := at[c]; ok {
			for _, t := range o.Tags {
				if !slices.Contains(add[i].Tags, t) {
					add[i].Tags = append(add[i].Tags, t)
				}
			}
			continue
		}
		if known.has(o.URL) {
			present++
			continue
		}
		at[c] = len(add)
		add = append(add, o)
	}
	var found []checked
	if !*offline && len(add) > 0 {
		urls := make([]string, len(add))
		for i, o := range add {
			urls[i] = o.URL
		}
		status, _, errOut := terminalOutput(stdout, stderr)
		found = discoverAll(ctx, feeds.NewFetcher(feeds.FetcherOptions{UserAgent: userAgent(cfg)}), urls, nil, status, errOut)
	}
	var tables []newFeed
	unread := 0
	for i, o := range add {
		nf := newFeed{URL: o.URL}
		if found != nil {
			switch c := found[i]; {
			case c.err != nil:
				unread++
				nf.Note = "import-opml: could not be read when imported: " + errorGist(c.err)
			case c.d.Page && known.has(c.d.FeedURL):
				present++
				continue
			case c.d.Page:
				nf.URL = c.d.FeedURL
				nf.Note = "import-opml: the feed of the page " + o.URL
			}
		}
		known.add(nf.URL)
		name := slug(o.Title)
		if name == "" {
			name = slug(feeds.RegisteredDomain(o.URL))
		}
		nf.Name = names.take(name)
		for _, t := range o.Tags {
			if t = slug(t); t != "" && !slices.Contains(nf.Tags, t) {
				nf.Tags = append(nf.Tags, t)
			}
		}
		tables = append(tables, nf)
	}
	summary := fmt.Sprintf("%s from %s, %d already configured", human.Count(len(tables), "new feed", "new feeds"), file, present)
	if unread > 0 {
		summary += fmt.Sprintf(", %d could not be read (added, with a comment)", unread)
	}
	switch {
	case *dryRun:
		fmt.Fprint(stdout, strings.TrimPrefix(feedTables(tables), "\n"))
		fmt.Fprintf(stderr, "import-opml: would add %s\n", summary)
		return nil
	case len(tables) == 0:
		fmt.Fprintf(stderr, "import-opml: nothing to add: %s\n", summary)
		return nil
	}
	comment := fmt.Sprintf("Imported from %s by wirewatch import-opml on %s.", filepath.Base(file), time.Now().Format("2006-01-02"))
	if err := appendFeeds(cfg.Path, comment, tables); err != nil {
		return failed(fmt.Errorf("wirewatch import-opml: %s: %w", cfg.Path, err))
	}
	fmt.Fprintf(stderr, "import-opml: added %s to %s\n", summary, cfg.Path)
	return nil
}

// readOPML reads the feeds of an OPML file; its errors are usage errors.
func readOPML(path string) ([]feeds.OPMLFeed, error) {
	file, err := os.Open(path)
	if err != nil {
		return nil, usageErrorf("wirewatch import-opml: %w", err)
	}
	defer file.Close()
	list, err := feeds.ReadOPML(file)
	if err != nil {
		return nil, usageErrorf("wirewatch import-opml: %s: %w", path, err)
	}
	return list, nil
}

// printOPMLFeeds prints every feed of an OPML file as [[feed]] tables to
// paste into a configuration.
func printOPMLFeeds(stdout io.Writer, file string, list []feeds.OPMLFeed) error {
	type feed struct {
		Name string   `toml:"name"`
		URL  string   `toml:"url"`
		Tags []string `toml:"tags,omitempty"`
	}
	var doc struct {
		Feed []feed `toml:"feed"`
	}
	names := feedNames{}
	for _, o := range list {
		name := slug(o.Title)
		if name == "" {
			name = slug(feeds.RegisteredDomain(o.URL))
		}
		tags := make([]string, 0, len(o.Tags))
		for _, t := range o.Tags {
			tags = append(tags, slug(t))
		}
		doc.Feed = append(doc.Feed, feed{Name: names.take(name), URL: o.URL, Tags: tags})
	}
	b, err := toml.Marshal(doc)
	if err != nil {
		return failed(fmt.Errorf("wirewatch import-opml: %w", err))
	}
	fmt.Fprintf(stdout, "# %d feeds from %s\n%s", len(doc.Feed), file, b)
	return nil
}
