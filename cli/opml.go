package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"unicode"

	"github.com/pelletier/go-toml/v2"

	"github.com/wirewatch/wirewatch/feeds"
)

func cmdExportOPML(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	f := newFlags("export-opml", stderr)
	cfg, err := f.parseAndLoad(args)
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

// cmdImportOPML prints the feeds of an OPML file as [[feed]] tables to add
// to a configuration file; it changes no file.
func cmdImportOPML(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) != 1 || strings.HasPrefix(args[0], "-") {
		return usageErrorf("usage: wirewatch import-opml FILE  (prints [[feed]] tables to append to your configuration)")
	}
	file, err := os.Open(args[0])
	if err != nil {
		return usageErrorf("wirewatch import-opml: %w", err)
	}
	defer file.Close()
	list, err := feeds.ReadOPML(file)
	if err != nil {
		return usageErrorf("wirewatch import-opml: %s: %w", args[0], err)
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
		return failed(fmt.Errorf("wirewatch import-opml: %w", err))
	}
	fmt.Fprintf(stdout, "# %d feeds from %s\n%s", len(doc.Feed), args[0], b)
	return nil
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
