package cli

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/wirewatch/wirewatch/feeds"
	"github.com/wirewatch/wirewatch/human"
)

// cmdAddFeed finds the feed of each URL (a feed, or a web page that leads
// to one) and appends it to the configuration file as a [[feed]] table,
// unless the configuration has it already. A URL with no feed is reported
// and not added (exit status 1).
func cmdAddFeed(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	f := newFlags("add-feed", stderr)
	name := f.String("name", "", "the feed's `name` (one URL only; default: from the feed's title)")
	tags := f.String("tags", "", "comma-separated `tags` of the new feeds")
	dryRun := f.Bool("dry-run", false, "print the [[feed]] tables it would add; change nothing")
	cfg, err := f.parseAndLoad(args)
	if err != nil {
		return err
	}
	switch {
	case f.NArg() == 0:
		return usageErrorf("usage: wirewatch add-feed -config F [-name N] [-tags a,b] [-dry-run] URL...")
	case *name != "" && f.NArg() > 1:
		return usageErrorf("wirewatch add-feed: -name names one feed; %d URLs were given", f.NArg())
	}
	var tagList []string
	for _, t := range strings.Split(*tags, ",") {
		if t = strings.TrimSpace(t); t != "" {
			tagList = append(tagList, t)
		}
	}
	names, known := namesOf(cfg), urlsOf(cfg)
	status, stdout, stderr := terminalOutput(stdout, stderr)
	found := discoverAll(ctx, feeds.NewFetcher(feeds.FetcherOptions{UserAgent: userAgent(cfg)}), f.Args(), nil, status, stderr)
	var tables []newFeed
	failures := 0
	for _, c := range found {
		switch {
		case c.err != nil:
			failures++
			if status != nil { // piped, its progress line told it already
				fmt.Fprintf(stderr, "add-feed: %s\n", describe(c))
			}
			continue
		case known.has(c.url) || known.has(c.d.FeedURL):
			fmt.Fprintf(stderr, "add-feed: %s is configured already\n", feeds.RedactRawURL(c.d.FeedURL))
			continue
		}
		known.add(c.d.FeedURL)
		want := *name
		if want == "" {
			want = slug(c.d.Title)
		}
		if want == "" {
			want = slug(feeds.RegisteredDomain(c.d.FeedURL))
		}
		nf := newFeed{Name: names.take(want), URL: c.d.FeedURL, Tags: tagList}
		if c.d.Page {
			nf.Note = "the feed of the page " + c.url
		}
		tables = append(tables, nf)
	}
	if *dryRun {
		fmt.Fprint(stdout, strings.TrimPrefix(feedTables(tables), "\n"))
	} else if len(tables) > 0 {
		comment := fmt.Sprintf("Added by wirewatch add-feed on %s.", time.Now().Format("2006-01-02"))
		if err := appendFeeds(cfg.Path, comment, tables); err != nil {
			return failed(fmt.Errorf("wirewatch add-feed: %s: %w", cfg.Path, err))
		}
		for _, t := range tables {
			fmt.Fprintf(stderr, "add-feed: added feed %s: %s\n", t.Name, feeds.RedactRawURL(t.URL))
		}
	}
	if failures > 0 {
		return failed(fmt.Errorf("add-feed: %s not added: no feed found", human.Count(failures, "URL", "URLs")))
	}
	return nil
}
