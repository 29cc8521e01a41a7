package cli

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"unicode"

	"github.com/wirewatch/wirewatch/config"
	"github.com/wirewatch/wirewatch/feeds"
	"github.com/wirewatch/wirewatch/human"
)

// newFeed is a [[feed]] table that import-opml or add-feed appends to a
// configuration file.
type newFeed struct {
	Name string
	URL  string
	Tags []string
	Note string // a comment line above the table ("" for none)
}

// tomlString writes s as a TOML basic string.
func tomlString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\u%04X`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// feedTables renders feeds as [[feed]] tables, each after a blank line.
func feedTables(fs []newFeed) string {
	var b strings.Builder
	for _, f := range fs {
		b.WriteString("\n")
		if f.Note != "" {
			fmt.Fprintf(&b, "# %s\n", strings.ReplaceAll(f.Note, "\n", " "))
		}
		fmt.Fprintf(&b, "[[feed]]\nname = %s\nurl = %s\n", tomlString(f.Name), tomlString(f.URL))
		if len(f.Tags) > 0 {
			quoted := make([]string, len(f.Tags))
			for i, t := range f.Tags {
				quoted[i] = tomlString(t)
			}
			fmt.Fprintf(&b, "tags = [%s]\n", strings.Join(quoted, ", "))
		}
	}
	return b.String()
}

// appendFeeds appends feeds, under a comment line, to the configuration
// file at path: the file's text is kept as it is, the tables added at its
// end. The result must load (it is loaded from a temporary file first), and
// replaces the file in one rename, keeping its permissions.
func appendFeeds(path, comment string, fs []newFeed) error {
	old, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	var b bytes.Buffer
	b.Write(old)
	if len(old) > 0 && !bytes.HasSuffix(old, []byte("\n")) {
		b.WriteByte('\n')
	}
	fmt.Fprintf(&b, "\n# %s\n", comment)
	b.WriteString(strings.TrimPrefix(feedTables(fs), "\n"))
	info, err := os.Stat(path)
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // after a successful rename, nothing is there
	if _, err := tmp.Write(b.Bytes()); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(info.Mode().Perm()); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if _, err := config.Load(tmp.Name(), config.Features{Encryption: true}); err != nil {
		return fmt.Errorf("the configuration with the new feeds would not load (nothing was written): %w", err)
	}
	return os.Rename(tmp.Name(), path)
}

// feedNames hands out feed names not yet taken.
type feedNames map[string]bool

func namesOf(cfg *config.Config) feedNames {
	n := feedNames{}
	for _, f := range cfg.Feeds {
		n[f.Name] = true
	}
	return n
}

// take returns want, or want-2, want-3… when it is taken; "feed" when want
// is empty.
func (n feedNames) take(want string) string {
	if want == "" {
		want = "feed"
	}
	name := want
	for i := 2; n[name]; i++ {
		name = fmt.Sprintf("%s-%d", want, i)
	}
	n[name] = true
	return name
}

// knownURLs is the canonical URLs of the configured feeds.
type knownURLs map[string]bool

func urlsOf(cfg *config.Config) knownURLs {
	k := knownURLs{}
	for _, f := range cfg.Feeds {
		k.add(f.URL)
	}
	return k
}

// canonical is raw's canonical form (feeds.CanonicalURL), raw itself when
// it has none (a path).
func canonical(raw string) string {
	if c, err := feeds.CanonicalURL(raw, ""); err == nil && c != "" {
		return c
	}
	return strings.TrimSpace(raw)
}

func (k knownURLs) has(raw string) bool { return k[canonical(raw)] }
func (k knownURLs) add(raw string)      { k[canonical(raw)] = true }

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

// checked is what discovery found for one URL.
type checked struct {
	url string
	d   *feeds.Discovery // nil when err is set
	err error
}

// discoverAll runs discovery on urls, four at a time, in order, each with
// its headers[i] (a configured feed's request headers; nil or short: none).
// At a terminal (status not nil) a progress line counts them ("12/80 feeds
// · 3 web pages · 1 failed"); otherwise each gets a line on log.
func discoverAll(ctx context.Context, fetcher *feeds.Fetcher, urls []string, headers []map[string]string, status *statusLine, log io.Writer) []checked {
	out := make([]checked, len(urls))
	var mu sync.Mutex
	done, pages, failed := 0, 0, 0
	show := func() {
		line := fmt.Sprintf("%d/%d feeds · %s", done, len(urls), human.Count(pages, "web page", "web pages"))
		if failed > 0 {
			line += fmt.Sprintf(" · %d failed", failed)
		}
		status.Set(line)
	}
	if status != nil && len(urls) > 0 {
		show()
	}
	sem := make(chan struct{}, 4)
	var wg sync.WaitGroup
	for i, u := range urls {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			var h map[string]string
			if i < len(headers) {
				h = headers[i]
			}
			d, err := fetcher.Discover(ctx, u, h)
			mu.Lock()
			defer mu.Unlock()
			out[i] = checked{url: u, d: d, err: err}
			done++
			switch {
			case err != nil:
				failed++
			case d.Page:
				pages++
			}
			if status != nil {
				show()
				return
			}
			fmt.Fprintf(log, "%d/%d %s\n", done, len(urls), describe(out[i]))
		}()
	}
	wg.Wait()
	if status != nil {
		status.Clear()
	}
	return out
}

// describe says what discovery found for one URL, in a line.
func describe(c checked) string {
	u := feeds.RedactRawURL(c.url)
	switch {
	case c.err != nil:
		return fmt.Sprintf("%s: %s", u, errorGist(c.err))
	case c.d.Page:
		return fmt.Sprintf("%s is a web page; its feed is %s (%s, %d items)", u, feeds.RedactRawURL(c.d.FeedURL), c.d.How, c.d.Items)
	default:
		return fmt.Sprintf("%s: a feed, %d items", u, c.d.Items)
	}
}
