package cli

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/wirewatch/wirewatch/bot"
	"github.com/wirewatch/wirewatch/config"
	"github.com/wirewatch/wirewatch/rules"
	"github.com/wirewatch/wirewatch/store"
)

// ruleTestConfig stores three items (once) and returns the configuration.
func ruleTestConfig(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	now := time.Now().UTC()
	var items strings.Builder
	for i, it := range [][2]string{
		{"Kabulov meets Taliban envoys in Moscow", "Zamir Kabulov, the Kremlin's envoy, said talks with the Taliban would go on."},
		{"ОДКБ проведёт учения в Таджикистане", "Учения ОДКБ пройдут у границы с Афганистаном; об этом сообщил Кабулову представитель."},
		{"Football: Kabul derby ends in a draw", "The Kabul derby ended 1-1."},
	} {
		fmt.Fprintf(&items, `<item><guid>https://wire.example/%d</guid><link>https://wire.example/%d</link><title>%s</title><description>%s</description><pubDate>%s</pubDate></item>`,
			i, i, it[0], it[1], now.Add(-time.Duration(i+1)*time.Hour).Format(time.RFC1123Z))
	}
	feed := filepath.Join(dir, "wire.xml")
	if err := os.WriteFile(feed, []byte(`<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title><link>https://wire.example</link>`+items.String()+`</channel></rss>`), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg := filepath.Join(dir, "wirewatch.toml")
	if err := os.WriteFile(cfg, []byte(fmt.Sprintf(`[store]
path = "w.db"

[defaults]
stem = "russian"

[[feed]]
name = "wire"
url = %q

[[channel]]
name = "out"
jsonl = "out.jsonl"

[[rule]]
name = "kabulov"
query = "Кабулов OR kabulov OR @CSTO"
channels = ["out"]

[alias]
CSTO = ["CSTO", "ОДКБ"]
`, feed)), 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	if err := Run(context.Background(), []string{"once", "-config", cfg}, &out, &errOut); err != nil {
		t.Fatalf("once: %v\n%s", err, errOut.String())
	}
	return cfg
}

func TestRulesTest(t *testing.T) {
	cfg := ruleTestConfig(t)
	tests := []struct {
		name    string
		args    []string
		want    []string
		notWant []string
	}{
		{"a rule", []string{"kabulov"}, []string{
			"#3  Kabulov meets Taliban envoys in Moscow\n     wire.example · ",
			"why: kabulov\n",
			"matched: Kabulov\n",
			"title: Kabulov meets Taliban envoys in Moscow\n",
			"text: Zamir Kabulov, the Kremlin's envoy",
			"why: Кабулов OR @CSTO→Одкб\n",
			"matched: ОДКБ, Кабулову\n",
			// The index's candidates: the Kabul derby is not one.
			"kabulov matched 2 stories (2 items) in the items of the last 7d; 2 items read (the full-text index's candidates)\n",
		}, []string{"derby", "\x1b["}},
		{"a query the index cannot narrow: every item is read", []string{"-query", "/kabul/"}, []string{
			"why: /kabul/\n",
			"matched: Kabul\n",
			"the query matched 2 stories (2 items) in the items of the last 7d; 3 items read\n",
		}, []string{"Таджикистане"}},
		{"a query not in the file, with the config's aliases", []string{"-query", "@CSTO OR taliban"}, []string{
			"why: taliban\n",
			"why: @CSTO→Одкб\n",
			"the query matched 2 stories (2 items)",
		}, []string{"derby"}},
		{"a query in place of a rule's", []string{"-query", "kabul", "kabulov"}, []string{
			"why: kabul\n",
			"matched: Kabul\n",
			"kabulov matched 1 story (1 item)",
		}, []string{"Moscow"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			args := append([]string{"rules", "test", "-config", cfg}, tt.args...)
			if err := Run(context.Background(), args, &out, &errOut); err != nil {
				t.Fatalf("rules test: %v\n%s", err, errOut.String())
			}
			for _, want := range tt.want {
				if !strings.Contains(out.String(), want) {
					t.Errorf("output lacks %q:\n%s", want, out.String())
				}
			}
			for _, no := range tt.notWant {
				if strings.Contains(out.String(), no) {
					t.Errorf("output holds %q:\n%s", no, out.String())
				}
			}
		})
	}
	var out, errOut bytes.Buffer
	if err := Run(context.Background(), []string{"rules", "test", "-config", cfg, "-query", "kabulov ("}, &out, &errOut); err == nil ||
		!strings.Contains(errOut.String(), "query: column 9: unclosed parenthesis") {
		t.Errorf("a bad -query: %v, stderr %q; want its column", err, errOut.String())
	}
}

func TestInContext(t *testing.T) {
	text := strings.Repeat("filler words here ", 20) + "Zamir Kabulov said   the CSTO would meet. " + strings.Repeat("more words ", 30)
	i := strings.Index(text, "Kabulov")
	j := strings.Index(text, "CSTO")
	spans := []rules.Span{{Field: rules.Text, Start: i, End: i + len("Kabulov")}, {Field: rules.Text, Start: j, End: j + 4}}
	got := inContext(text, spans, 80, func(s string) string { return "[" + s + "]" })
	if !strings.HasPrefix(got, "…") || !strings.HasSuffix(got, "…") || !strings.Contains(got, "Zamir [Kabulov] said the [CSTO] would") {
		t.Errorf("inContext = %q", got)
	}
	if n := len([]rune(got)); n > 100 {
		t.Errorf("inContext gave %d runes, want about 80", n)
	}
	if got := inContext("Kabulov speaks", spans[:0], 0, nil); got != "Kabulov speaks" {
		t.Errorf("inContext without spans = %q", got)
	}
}

// ruleCorpus stores, in three feeds, items dated in another order than
// they are stored (some titles in two feeds, so that stories have several
// items), and returns the configuration, with rules the index narrows,
// rules it cannot (a regular expression, lang:) and rules with an exclude,
// feeds and tags, and how many items it stored.
func ruleCorpus(t *testing.T) (*config.Config, int) {
	t.Helper()
	dir := t.TempDir()
	now := time.Now().UTC()
	r := rand.New(rand.NewPCG(7, 7))
	vocab := strings.Fields(`the of and said officials government security talks border envoy minister football
		Taliban Tajikistan Dushanbe CSTO Kabul Kabulov Moscow Lavrov league ОДКБ Кабулов Кабулова граница`)
	words := func(n int) string {
		ws := make([]string, n)
		for i := range ws {
			ws[i] = vocab[r.IntN(len(vocab))]
		}
		return strings.Join(ws, " ")
	}
	var cfg strings.Builder
	fmt.Fprintf(&cfg, "[store]\npath = %q\n\n[alias]\ncsto = [\"CSTO\", \"ОДКБ\"]\n\n", filepath.Join(dir, "w.db"))
	// Two polls: the items of the second are dated at random over the
	// same days as the first's, so the index's order (newest stored
	// first) is not the order of their dates.
	var titles []string
	feedItems := map[string][]string{}
	for fi, name := range []string{"a", "b", "c"} {
		for i := range 40 {
			title := words(4 + r.IntN(4))
			if fi > 0 && i%4 == 0 && len(titles) > 0 {
				title = titles[r.IntN(len(titles))] // the same story in another feed
			}
			titles = append(titles, title)
			published := now.Add(-time.Duration(r.IntN(20*24*60)) * time.Minute)
			feedItems[name] = append(feedItems[name], fmt.Sprintf(`<item><guid>https://%s.example/%d</guid><link>https://%s.example/%d</link><title>%s</title><description>%s</description><pubDate>%s</pubDate></item>`,
				name, i, name, i, title, words(10+r.IntN(20)), published.Format(time.RFC1123Z)))
		}
		tags := ""
		if name == "c" {
			tags = `tags = ["asia"]` + "\n" + `lang = "ru"`
		}
		fmt.Fprintf(&cfg, "[[feed]]\nname = %q\nurl = %q\n%s\n\n", name, filepath.Join(dir, name+".xml"), tags)
	}
	writeFeeds := func(n int) {
		for name, items := range feedItems {
			path := filepath.Join(dir, name+".xml")
			if err := os.WriteFile(path, []byte(`<?xml version="1.0"?><rss version="2.0"><channel><title>`+name+
				`</title><link>https://`+name+`.example</link>`+strings.Join(items[:n], "")+`</channel></rss>`), 0o644); err != nil {
				t.Fatal(err)
			}
			// A file's modification time is its Last-Modified, to the second.
			mod := now.Add(time.Duration(n) * time.Second)
			if err := os.Chtimes(path, mod, mod); err != nil {
				t.Fatal(err)
			}
		}
	}
	cfg.WriteString("[[channel]]\nname = \"out\"\njsonl = \"out.jsonl\"\n\n")
	for i, rule := range []string{
		`query = "kabulov"`,
		`query = "kabulov OR Кабулов"` + "\nexclude = \"football\"",
		`query = "taliban OR @csto"` + "\ntags = [\"asia\"]",
		`query = "security talks"` + "\nfeeds = [\"b\"]",
		`query = "@csto NOT border"`,
		`query = "tag:asia dushanbe"`,
		`query = "/kabul(ov)?/"`,
		`query = "lang:ru"` + "\nexclude = \"envoy\"",
	} {
		fmt.Fprintf(&cfg, "[[rule]]\nname = \"r%d\"\n%s\nchannels = [\"out\"]\n\n", i, rule)
	}
	path := filepath.Join(dir, "wirewatch.toml")
	if err := os.WriteFile(path, []byte(cfg.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, n := range []int{20, 40} {
		writeFeeds(n)
		var out, errOut bytes.Buffer
		if err := Run(context.Background(), []string{"once", "-config", path}, &out, &errOut); err != nil {
			t.Fatalf("once: %v\n%s", err, errOut.String())
		}
	}
	c, err := config.Load(path, config.Features{})
	if err != nil {
		t.Fatal(err)
	}
	return c, 3 * 40
}

// scanRuleTest is rules test as a scan of every item: what the index,
// narrowing, must find and show the same.
func scanRuleTest(t *testing.T, db *store.DB, cfg *config.Config, r bot.Rule) *ruleTest {
	t.Helper()
	m := bot.Matcher([]bot.Rule{r})
	feeds := map[string]config.Feed{}
	for _, f := range cfg.Feeds {
		feeds[f.Name] = f
	}
	res := &ruleTest{rule: r, matches: map[int64][]ruleMatch{}}
	err := db.ScanItems(context.Background(), time.Time{}, func(it *store.Item) error {
		res.read++
		f := feeds[it.Feed]
		doc := rules.NewItem(rules.Item{Title: it.Title, Text: it.Text, Source: it.Source, Feed: it.Feed, Tags: f.Tags, Lang: f.Lang})
		if hits := m.Match(doc); len(hits) > 0 {
			if _, ok := res.matches[it.StoryID]; !ok {
				res.stories = append(res.stories, it.StoryID)
			}
			res.matches[it.StoryID] = append(res.matches[it.StoryID], ruleMatch{item: it, spans: hits[0].Spans, why: r.Query.Why(doc)})
			res.items++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// TestRuleTestNarrows: rules test reads only the index's candidates of a
// query the index narrows (fewer than the items stored), every item for
// one it cannot (a regular expression, lang:), and shows what a scan of
// every item shows, in the same order.
func TestRuleTestNarrows(t *testing.T) {
	cfg, stored := ruleCorpus(t)
	ctx := context.Background()
	db, err := store.Open(ctx, cfg.Store.Path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, cr := range cfg.Rules {
		t.Run(cr.Name+" "+cr.Query, func(t *testing.T) {
			r, err := testRule(cfg, cr)
			if err != nil {
				t.Fatal(err)
			}
			got, err := runRuleTest(ctx, db, cfg, r, time.Time{})
			if err != nil {
				t.Fatal(err)
			}
			want := scanRuleTest(t, db, cfg, r)
			if want.items == 0 {
				t.Fatalf("%s matches nothing: the test proves little", cr.Name)
			}
			narrows := r.Query.Plan().Op != rules.PlanAll
			switch {
			case got.narrowed != narrows:
				t.Errorf("narrowed = %v, want %v", got.narrowed, narrows)
			case narrows && (got.read >= stored || got.read < got.items):
				t.Errorf("read %d items of %d stored, matched %d: want the candidates only", got.read, stored, got.items)
			case !narrows && got.read != stored:
				t.Errorf("read %d items, want a scan of all %d; scan read %d", got.read, stored, want.read)
			}
			if !slices.Equal(got.stories, want.stories) || got.items != want.items {
				t.Fatalf("stories %v (%d items), want %v (%d items)", got.stories, got.items, want.stories, want.items)
			}
			// The same output, but for the count's items read.
			var gotOut, wantOut bytes.Buffer
			mark := func(s string) string { return "[" + s + "]" }
			if err := got.write(ctx, db, &gotOut, time.UTC, 0, "", mark); err != nil {
				t.Fatal(err)
			}
			if err := want.write(ctx, db, &wantOut, time.UTC, 0, "", mark); err != nil {
				t.Fatal(err)
			}
			g, _, _ := strings.Cut(gotOut.String(), "items) in all stored items; ")
			w, _, _ := strings.Cut(wantOut.String(), "items) in all stored items; ")
			if g != w {
				t.Errorf("output\n%s\nwant (as a scan)\n%s", gotOut.String(), wantOut.String())
			}
		})
	}
}
