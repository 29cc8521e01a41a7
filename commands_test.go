package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func TestRulesListAndTest(t *testing.T) {
	code, out, errOut := runCmd(t, "rules", "list", "-config", "config.example.toml")
	if code != exitOK {
		t.Fatalf("rules list exit = %d: %s", code, errOut)
	}
	for _, want := range []string{"kabulov", "csto", "tajik-afghan-border", "min_sources 2", "min_outlets 3", "digest (0 8 * * *)"} {
		if !strings.Contains(out, want) {
			t.Errorf("rules list lacks %q:\n%s", want, out)
		}
	}
	// Without a verb, rules lists them, as in chat.
	if code, bare, errOut := runCmd(t, "rules", "-config", "config.example.toml"); code != exitOK || bare != out {
		t.Errorf("rules -config: exit %d, %q %q; want what rules list printed", code, bare, errOut)
	}
	if code, _, _ := runCmd(t, "rules", "test", "-config", "config.example.toml", "nosuchrule"); code != exitUsage {
		t.Errorf("rules test of a missing rule: exit = %d, want %d", code, exitUsage)
	}
}

func TestOPMLExportImport(t *testing.T) {
	code, opml, errOut := runCmd(t, "export-opml", "-config", "config.example.toml")
	if code != exitOK {
		t.Fatalf("export-opml exit = %d: %s", code, errOut)
	}
	path := filepath.Join(t.TempDir(), "feeds.opml")
	if err := os.WriteFile(path, []byte(opml), 0o644); err != nil {
		t.Fatal(err)
	}
	code, toml, errOut := runCmd(t, "import-opml", path)
	if code != exitOK {
		t.Fatalf("import-opml exit = %d: %s", code, errOut)
	}
	for _, want := range []string{"[[feed]]", "name = 'tass'", "url = 'https://tass.com/rss/v2.xml'", "name = 'google-news-kabulov'"} {
		if !strings.Contains(toml, want) {
			t.Errorf("import-opml output lacks %q:\n%s", want, toml)
		}
	}
	// What it prints is a configuration fragment that loads.
	cfg := filepath.Join(t.TempDir(), "w.toml")
	body := toml + "\n[[channel]]\nname = \"out\"\njsonl = \"-\"\n"
	if err := os.WriteFile(cfg, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, out, errOut := runCmd(t, "check", "-config", cfg); code != exitOK {
		t.Errorf("check of imported feeds: exit = %d\n%s%s", code, out, errOut)
	}
}

func TestMigrate(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "w.toml")
	if err := os.WriteFile(cfg, []byte("[store]\npath = \"w.db\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runCmd(t, "migrate", "-config", cfg)
	if code != exitOK || !regexp.MustCompile(`w\.db: schema version [1-9]`).MatchString(out) {
		t.Errorf("migrate = %d %q %q, want the database's schema version", code, out, errOut)
	}
}

// offlineCopy writes a configuration for the example feeds with its
// database in a temporary directory, and runs once over it.
func offlineCopy(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	abs, err := filepath.Abs("examples/feeds")
	if err != nil {
		t.Fatal(err)
	}
	body, err := os.ReadFile("examples/offline.toml")
	if err != nil {
		t.Fatal(err)
	}
	s := strings.Replace(string(body), `path = "offline.db"`, `path = "w.db"`, 1)
	s = strings.ReplaceAll(s, `url = "feeds/`, `url = "`+abs+`/`)
	s = strings.Replace(s, `jsonl = "-"`, `jsonl = "out.jsonl"`, 1)
	cfg := filepath.Join(dir, "wirewatch.toml")
	if err := os.WriteFile(cfg, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, errOut := runCmd(t, "once", "-config", cfg); code != exitOK {
		t.Fatalf("once: exit %d: %s", code, errOut)
	}
	return cfg
}

// TestFlagsAfterPositionalArguments is the regression test of flags after
// the query becoming query terms: "search -config F kabulov -json" printed
// text, and "kabulov -since 7d" searched for "7d".
func TestFlagsAfterPositionalArguments(t *testing.T) {
	cfg := offlineCopy(t)
	for _, args := range [][]string{
		{"search", "-config", cfg, "kabulov", "-json", "-since", "100000d"},
		{"search", "kabulov", "-json", "-config", cfg, "--since=100000d"},
		{"search", "-json", "-config", cfg, "-since", "100000d", "kabulov"},
	} {
		code, out, errOut := runCmd(t, args...)
		if code != exitOK {
			t.Fatalf("%q: exit %d: %s", args, code, errOut)
		}
		if !strings.HasPrefix(strings.TrimSpace(out), "{") || !strings.Contains(out, `"kabulov"`) {
			t.Errorf("%q printed %q, want JSON stories matching kabulov", args, out)
		}
	}
	// After the query, a "-word" that names no flag is a negated term.
	code, out, errOut := runCmd(t, "search", "-config", cfg, "-json", "-since", "100000d", "kabulov", "-taliban", "-csto")
	if code != exitOK {
		t.Fatalf("negated term: exit %d: %s", code, errOut)
	}
	if strings.Contains(strings.ToLower(out), "taliban") {
		t.Errorf("search kabulov -taliban found a story about the Taliban:\n%s", out)
	}
	// Every Kabulov story of the examples names the Taliban, so the search
	// above finds nothing when it works: a negated term must also leave
	// the other stories found.
	code, out, errOut = runCmd(t, "search", "-config", cfg, "-json", "-since", "100000d", "csto", "-kabulov")
	if code != exitOK {
		t.Fatalf("negated term: exit %d: %s", code, errOut)
	}
	if !strings.Contains(out, "CSTO staff officers") || strings.Contains(strings.ToLower(out), "kabulov") {
		t.Errorf("search csto -kabulov = %q, want the CSTO exercise story and no Kabulov story", out)
	}
}

// TestSearchSinceInAQuotedQuery is the regression test of since:D taken
// from the query only when it was an argument of its own: a query quoted
// whole, `search 'kabulov since:7d'` (as a query with a phrase or a
// parenthesis must be), searched for the words "since 7d" and found
// nothing, without a word.
func TestSearchSinceInAQuotedQuery(t *testing.T) {
	cfg := offlineCopy(t)
	// -since 0 is all history, as -limit 0 is no limit (it was "the last 0").
	for _, cmd := range [][]string{{"search", "-since", "0", "kabulov"}, {"stories", "-since", "0"}} {
		code, out, errOut := runCmd(t, append([]string{cmd[0], "-config", cfg}, cmd[1:]...)...)
		if code != exitOK || !strings.Contains(out, "Kabulov") {
			t.Errorf("%s -since 0: exit %d, %q %q; want the Kabulov story", cmd[0], code, out, errOut)
		}
	}
	for _, tt := range []struct {
		query string
		want  bool // the Kabulov story (dated 2026-11-23) is found
	}{
		{"kabulov since:100000d", true},
		{`"zamir kabulov" SINCE:100000d`, true},
		{"since:100000d (kabulov OR кабулов*)", true},
		{"kabulov since:1h", false},
	} {
		code, out, errOut := runCmd(t, "search", "-config", cfg, "-json", tt.query)
		if code != exitOK {
			t.Fatalf("search %q: exit %d: %s", tt.query, code, errOut)
		}
		if got := strings.Contains(out, "Kabulov"); got != tt.want {
			t.Errorf("search %q found the Kabulov story: %v, want %v\n%s", tt.query, got, tt.want, out)
		}
	}
}

// TestLookupsSayWhenOnlyOlderItemsAreStored: with nothing in the window,
// stories and rules test tell when the latest story was updated, search
// whether older stories match, and each how to see them, rather than leave
// a new user of the sample feeds (dated 23 November 2026) thinking nothing
// was stored or matched.
func TestLookupsSayWhenOnlyOlderItemsAreStored(t *testing.T) {
	cfg := offlineCopy(t)
	code, out, errOut := runCmd(t, "stories", "-config", cfg, "-since", "1h")
	want := "no stories updated in the last 1h; the latest was updated 2026-11-23 10:35 UTC (-since '' lists them all)\n"
	if code != exitOK || out != "" || errOut != want {
		t.Errorf("stories -since 1h: exit %d, stdout %q, stderr %q; want stderr %q", code, out, errOut, want)
	}
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"-since", "1h", "kabulov"}, "no story matches in the last 1h; older ones do (-since '' searches all history)\n"},
		{[]string{"kabulov since:90m"}, "no story matches in the last 1h30m; older ones do (-since '' searches all history)\n"},
		{[]string{"-since", "1h", "zzyzx"}, "no stored story matches\n"},
		{[]string{"zzyzx"}, "no stored story matches\n"},
	} {
		code, out, errOut := runCmd(t, append([]string{"search", "-config", cfg}, tt.args...)...)
		if code != exitOK || out != "" || errOut != tt.want {
			t.Errorf("search %q: exit %d, stdout %q, stderr %q; want stderr %q", tt.args, code, out, errOut, tt.want)
		}
	}
	const hint = "no stored item is that recent: the latest story was updated 2026-11-23 10:35 UTC; -since '' tries them all"
	for _, tt := range []struct {
		since string
		hint  bool
	}{{"1h", true}, {"100000d", false}, {"", false}} {
		code, out, errOut := runCmd(t, "rules", "test", "-config", cfg, "-since", tt.since, "-query", "zzyzx")
		if code != exitOK || strings.Contains(out, hint) != tt.hint {
			t.Errorf("rules test -since %q: exit %d, %q %q; want the hint: %v", tt.since, code, out, errOut, tt.hint)
		}
	}
}

// TestFeedsAfterOnlyOnce: feeds on a database that only once has used says
// that no run has recorded a live configuration, and why that is fine.
func TestFeedsAfterOnlyOnce(t *testing.T) {
	cfg := offlineCopy(t)
	code, out, errOut := runCmd(t, "feeds", "-config", cfg)
	want := "config: no `wirewatch run` has started on this database yet (`once` reads the file each time)\ntass: ok · "
	if code != exitOK || !strings.HasPrefix(out, want) {
		t.Errorf("feeds: exit %d, %q %q; want it to start %q", code, out, errOut, want)
	}
}

// TestLookupsNeverCreateADatabase is the regression test of read-only
// commands silently creating a new, empty database when store.path has a
// typo: they say there is no database there and exit 1.
func TestLookupsNeverCreateADatabase(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "w.toml")
	if err := os.WriteFile(cfg, []byte("[store]\npath = \"typo.db\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"stories"}, {"search", "kabulov"}, {"story", "1"}, {"feeds"}, {"story", "merge", "1", "2"},
	} {
		code, _, errOut := runCmd(t, append(args, "-config", cfg)...)
		if code != exitFailed || !strings.Contains(errOut, "no database at "+filepath.Join(dir, "typo.db")) {
			t.Errorf("%q: exit %d, stderr %q; want 1 and \"no database at …\"", args, code, errOut)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "typo.db")); !os.IsNotExist(err) {
		t.Errorf("a lookup created the database (stat: %v)", err)
	}
}
