package main

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wirewatch/wirewatch/config"
)

// configWithComments is a configuration as a person keeps it: comments,
// blank lines, and a feed the OPML export lists too.
const configWithComments = `# Newsroom watch list.
# Keep the wires first.

[store]
path = "w.db" # next to this file

[[feed]]
name = "tass"            # the agency itself
url = "https://tass.com/rss/v2.xml"

# Channels.
[[channel]]
name = "out"
jsonl = "-"

[[rule]]
name = "kabulov"
query = "kabulov"
channels = ["out"]`

// TestImportOPMLIntoConfig imports a real-world-shaped export into a
// configuration file: exactly the new feeds are appended (once each, the
// duplicate's folders merged into tags), the file's text is kept, check
// passes, and a second import adds nothing.
func TestImportOPMLIntoConfig(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "wirewatch.toml")
	if err := os.WriteFile(cfg, []byte(configWithComments), 0o600); err != nil {
		t.Fatal(err)
	}
	opml, _ := filepath.Abs("testdata/subscriptions.opml")

	code, out, errOut := runCmd(t, "import-opml", "-config", cfg, "-dry-run", "-offline", opml)
	if code != exitOK || !strings.Contains(errOut, "would add 6 new feeds") || !strings.Contains(out, `name = "reuters-world"`) {
		t.Fatalf("dry run = %d\n%s\n%s", code, out, errOut)
	}
	if b, _ := os.ReadFile(cfg); string(b) != configWithComments {
		t.Fatalf("the dry run changed the file:\n%s", b)
	}

	code, out, errOut = runCmd(t, "import-opml", opml, "-offline", "-config", cfg)
	if code != exitOK {
		t.Fatalf("import-opml = %d\n%s\n%s", code, out, errOut)
	}
	if !strings.Contains(errOut, "added 6 new feeds") || !strings.Contains(errOut, "1 already configured") {
		t.Errorf("summary: %s", errOut)
	}
	b, err := os.ReadFile(cfg)
	if err != nil {
		t.Fatal(err)
	}
	got := string(b)
	if !strings.HasPrefix(got, configWithComments+"\n") {
		t.Fatalf("the file's text was not kept as it was:\n%s", got)
	}
	if info, _ := os.Stat(cfg); info.Mode().Perm() != 0o600 {
		t.Errorf("mode = %v, want 0600 kept", info.Mode().Perm())
	}
	c, err := config.Load(cfg, config.Features{Encryption: true})
	if err != nil {
		t.Fatalf("%v\n%s", err, got)
	}
	type feed struct {
		url  string
		tags string
	}
	want := map[string]feed{
		"tass":                {"https://tass.com/rss/v2.xml", ""},
		"reuters-world":       {"https://feeds.reuters.example/world?format=xml&utm_source=feedly", "wires,region,afghanistan"},
		"akipress":            {"https://akipress.example/rss/news.xml", "wires"},
		"eurasianet":          {"https://eurasianet.example/feed", "region,central-asia"},
		"24-kg-news-analysis": {"https://24kg.example/rss/", "region,central-asia"},
		"tolonews":            {"https://tolonews.example/rss.xml", "region,afghanistan,broadcast"},
		"nobrand-example":     {"https://www.nobrand.example/feed.xml", ""},
	}
	if len(c.Feeds) != len(want) {
		t.Errorf("%d feeds, want %d:\n%s", len(c.Feeds), len(want), got)
	}
	for _, f := range c.Feeds {
		w, ok := want[f.Name]
		if !ok {
			t.Errorf("unexpected feed %s (%s)", f.Name, f.URL)
			continue
		}
		if f.URL != w.url || strings.Join(f.Tags, ",") != w.tags {
			t.Errorf("feed %s = %s %v, want %s [%s]", f.Name, f.URL, f.Tags, w.url, w.tags)
		}
	}
	if code, out, errOut := runCmd(t, "check", "-config", cfg); code != exitOK {
		t.Errorf("check after import = %d\n%s%s", code, out, errOut)
	}

	code, _, errOut = runCmd(t, "import-opml", "-config", cfg, "-offline", opml)
	if code != exitOK || !strings.Contains(errOut, "nothing to add") {
		t.Errorf("second import = %d: %s", code, errOut)
	}
	if b, _ := os.ReadFile(cfg); string(b) != got {
		t.Errorf("the second import changed the file")
	}
}

// TestImportOPMLOnline fetches the new feeds: a web page becomes the feed
// it links, a dead feed is added with a comment, and the progress is one
// line a feed when standard error is no terminal.
func TestImportOPMLOnline(t *testing.T) {
	srv := newNewsServer(t)
	srv.set("/tass.xml", rss("https://tass.com", "TASS"))
	srv.fail["/dead.xml"] = 410
	pageSrv := newHTMLServer(t, map[string]string{
		"/": `<!doctype html><html><head><link rel="alternate" type="application/rss+xml" href="%s/tass.xml"></head><body></body></html>`,
	}, srv.URL)
	dir := t.TempDir()
	cfg := filepath.Join(dir, "wirewatch.toml")
	os.WriteFile(cfg, []byte(configWithComments), 0o644)
	opml := filepath.Join(dir, "in.opml")
	os.WriteFile(opml, []byte(fmt.Sprintf(`<opml version="2.0"><body>
<outline text="Home page" xmlUrl="%s/"/>
<outline text="Dead" xmlUrl="%s/dead.xml"/>
</body></opml>`, pageSrv.URL, srv.URL)), 0o644)
	code, out, errOut := runCmd(t, "import-opml", "-config", cfg, opml)
	if code != exitOK {
		t.Fatalf("import-opml = %d\n%s\n%s", code, out, errOut)
	}
	for _, want := range []string{"1/2 ", "2/2 ", "is a web page; its feed is " + srv.URL + "/tass.xml", "http 410"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errOut)
		}
	}
	b, _ := os.ReadFile(cfg)
	for _, want := range []string{
		"# import-opml: the feed of the page " + pageSrv.URL + "/\n[[feed]]\nname = \"home-page\"\nurl = \"" + srv.URL + "/tass.xml\"\n",
		"# import-opml: could not be read when imported: http 410",
	} {
		if !strings.Contains(string(b), want) {
			t.Errorf("config lacks %q:\n%s", want, b)
		}
	}
}

// TestAddFeed adds the feed of a web page, named by its title; the same
// URL again is configured already; a page without a feed is not added.
func TestAddFeed(t *testing.T) {
	srv := newNewsServer(t)
	srv.set("/tolo.xml", rss("https://tolonews.com", "TOLOnews"))
	pages := newHTMLServer(t, map[string]string{
		"/":      `<html><head><link rel="alternate" type="application/rss+xml" title="RSS" href="` + "%s" + `/tolo.xml"></head></html>`,
		"/blank": `<html><head><title>no feed</title></head><body></body></html>`,
	}, srv.URL)
	dir := t.TempDir()
	cfg := filepath.Join(dir, "wirewatch.toml")
	os.WriteFile(cfg, []byte(configWithComments), 0o644)

	code, _, errOut := runCmd(t, "add-feed", "-config", cfg, pages.URL+"/", "-tags", "afghanistan, tv")
	if code != exitOK || !strings.Contains(errOut, "added feed tolonews") {
		t.Fatalf("add-feed = %d: %s", code, errOut)
	}
	b, _ := os.ReadFile(cfg)
	if !strings.HasPrefix(string(b), configWithComments) ||
		!strings.Contains(string(b), "[[feed]]\nname = \"tolonews\"\nurl = \""+srv.URL+"/tolo.xml\"\ntags = [\"afghanistan\", \"tv\"]\n") {
		t.Errorf("config after add-feed:\n%s", b)
	}
	code, _, errOut = runCmd(t, "add-feed", "-config", cfg, srv.URL+"/tolo.xml", pages.URL+"/blank")
	if code != exitFailed || !strings.Contains(errOut, "is configured already") || !strings.Contains(errOut, "links no feed") {
		t.Errorf("add-feed again = %d: %s", code, errOut)
	}
	if b2, _ := os.ReadFile(cfg); string(b2) != string(b) {
		t.Errorf("nothing new, yet the file changed")
	}
	if code, _, errOut := runCmd(t, "add-feed", "-config", cfg, "-name", "x", "a", "b"); code != exitUsage {
		t.Errorf("-name with two URLs = %d (%s), want usage error", code, errOut)
	}
}

// TestCheckOnlineFeeds: check -online fetches the feeds and suggests the
// feed URL of one configured as its web page.
func TestCheckOnlineFeeds(t *testing.T) {
	srv := newNewsServer(t)
	srv.set("/tass.xml", rss("https://tass.com", "TASS"))
	srv.fail["/gone.xml"] = 404
	pages := newHTMLServer(t, map[string]string{
		"/": `<html><head><link rel="alternate" type="application/atom+xml" href="%s/tass.xml"></head></html>`,
	}, srv.URL)
	dir := t.TempDir()
	cfg := writeConfig(t, dir, srv.URL, []string{"/tass.xml", "/gone.xml"}, "-",
		fmt.Sprintf("\n[[feed]]\nname = \"home\"\nurl = %q\n", pages.URL+"/"))
	code, out, _ := runCmd(t, "check", "-online", "-config", cfg)
	if code != exitFailed {
		t.Errorf("check -online = %d, want %d (a feed cannot be read)", code, exitFailed)
	}
	for _, want := range []string{
		"online: feed gone: cannot be read: http 404",
		"online: feed home: " + pages.URL + "/ is a web page; it leads to the feed " + srv.URL + "/tass.xml (linked, 0 items): suggest url = \"" + srv.URL + "/tass.xml\"",
		"online: feeds: 2 of 3 read, 1 of them through a web page",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

// newHTMLServer serves web pages by path, "%s" in them replaced by
// feedBase (the news server's URL, where their feeds are).
func newHTMLServer(t *testing.T, pages map[string]string, feedBase string) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p, ok := pages[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, strings.ReplaceAll(p, "%s", feedBase))
	}))
	t.Cleanup(srv.Close)
	return srv
}
