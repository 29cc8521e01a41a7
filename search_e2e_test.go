package main

import (
	"context"
	"encoding/json"
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

// searchQueries are 30 rules-language queries and the -since each is tried
// with: words, phrases, Cyrillic, aliases, fields, prefixes, proximity,
// NOT, outlets, case, regular expressions, tags and languages (the last
// ones the index cannot narrow: a bounded scan answers them).
var searchQueries = []struct{ query, since string }{
	{"kabulov", ""},
	{`"zamir kabulov"`, ""},
	{"Кабулов", ""},
	{"кабулов*", "400d"},
	{"@csto", ""},
	{"@csto taliban", "3000d"},
	{"title:kabulov", ""},
	{"text:taliban", "400d"},
	{"taliban NOT football", ""},
	{"taliban -kabulov", "30d"},
	{"sanction*", ""},
	{`"border security"`, ""},
	{`"kabulov taliban"~5`, ""},
	{"kabulov NEAR/8 security", "3000d"},
	{"source:tass.com", "400d"},
	{"source:tass.com taliban", ""},
	{"délisting", ""},
	{"DUSHANBE", "30d"},
	{"=CSTO", ""},
	{"/kabul(ov)?/", ""},
	{"/ta?jik/ tajikistan", "400d"},
	{"tag:central-asia taliban", ""},
	{"lang:ru", "3000d"},
	{"(taliban OR csto) AND border", ""},
	{"kabulov OR /dushanbe/", ""},
	{"envoy* NOT (football OR league)", ""},
	{`"collective security"`, "400d"},
	{"@csto OR kabulov", "30d"},
	{"security talks", ""},
	{"uzbekistan OR tajikistan", "3000d"},
}

// searchCorpus writes four feeds of items over seven years (the oldest
// reports of Kabulov among them) and a configuration with one rule per
// query, runs once over them, and returns the configuration's path.
func searchCorpus(t *testing.T, now time.Time) string {
	t.Helper()
	dir := t.TempDir()
	r := rand.New(rand.NewPCG(14, 14))
	en := strings.Fields(`the of and to in said officials government security talks border envoy minister
		sanctions sanctioned delisting délisting meeting visit president agreement forces clash football league
		Taliban Tajikistan Uzbekistan Dushanbe CSTO Collective Security Treaty Organization Kabul
		Lavrov Moscow Tajik-Afghan envoys`)
	ru := strings.Fields(`и в на заявил Кабулов Кабулова Замир талибы ОДКБ граница переговоры безопасность
		Таджикистан Душанбе Москва посол санкции`)
	words := func(vocab []string, n int) string {
		ws := make([]string, n)
		for i := range ws {
			ws[i] = vocab[r.IntN(len(vocab))]
		}
		return strings.Join(ws, " ")
	}
	type feed struct{ name, site, tags string }
	feedList := []feed{{"tass", "https://tass.com", ""}, {"ria", "https://ria.ru", ""},
		{"tolo", "https://tolonews.com", ""}, {"eurasianet", "https://eurasianet.org", `tags = ["central-asia"]`}}
	var cfg strings.Builder
	fmt.Fprintf(&cfg, "[store]\npath = %q\n\n[defaults]\nmax_age = \"100000d\"\n\n", filepath.Join(dir, "w.db"))
	cfg.WriteString("[alias]\ncsto = [\"CSTO\", \"ОДКБ\", \"Collective Security Treaty Organization\"]\n\n")
	for fi, f := range feedList {
		var items []rssItem
		for i := range 45 {
			vocab := en
			if f.name == "ria" {
				vocab = ru
			}
			age := time.Duration(r.IntN(7*365*24)) * time.Hour
			if i < 8 {
				age = time.Duration(r.IntN(40*24)) * time.Hour // some recent news
			}
			it := rssItem{GUID: fmt.Sprintf("%s-%d", f.name, i), Link: fmt.Sprintf("%s/news/%d", f.site, i),
				Title: words(vocab, 5+r.IntN(5)), Text: words(vocab, 15+r.IntN(30)), Published: now.Add(-age)}
			switch x := r.IntN(12); { // one item in six names Kabulov
			case x == 0 && f.name != "ria":
				it.Title += " Kabulov"
			case x == 1 && f.name != "ria":
				it.Text += " Zamir Kabulov said talks with the Taliban on security go on."
			}
			items = append(items, it)
		}
		if fi == 0 { // years ago: the story search Kabulov must find without -since
			items = append(items, rssItem{GUID: "tass-2019", Link: "https://tass.com/politics/2019", Title: "Kabulov: Moscow format talks on Afghanistan to resume",
				Text: "Zamir Kabulov, the presidential envoy, said the Moscow format would meet again.", Published: time.Date(2019, 3, 4, 9, 0, 0, 0, time.UTC)})
		}
		path := filepath.Join(dir, f.name+".xml")
		if err := os.WriteFile(path, []byte(rss(f.site, f.name, items...)), 0o644); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&cfg, "[[feed]]\nname = %q\nurl = %q\n%s\n\n", f.name, path, f.tags)
	}
	fmt.Fprintf(&cfg, "[[channel]]\nname = \"out\"\njsonl = %q\n\n", filepath.Join(dir, "out.jsonl"))
	for i, q := range searchQueries {
		fmt.Fprintf(&cfg, "[[rule]]\nname = \"q%d\"\nquery = '%s'\nchannels = [\"out\"]\n\n", i, q.query)
	}
	path := filepath.Join(dir, "wirewatch.toml")
	if err := os.WriteFile(path, []byte(cfg.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, errOut := runCmd(t, "once", "-config", path); code != exitOK {
		t.Fatalf("once: exit %d: %s", code, errOut)
	}
	return path
}

// storyIDs runs a lookup command with -json and returns the stories' IDs.
func storyIDs(t *testing.T, args ...string) []string {
	t.Helper()
	code, out, errOut := runCmd(t, args...)
	if code != exitOK {
		t.Fatalf("%s: exit %d: %s", strings.Join(args, " "), code, errOut)
	}
	var ids []string
	dec := json.NewDecoder(strings.NewReader(out))
	for dec.More() {
		var s bot.Story
		if err := dec.Decode(&s); err != nil {
			t.Fatalf("%s: %v", strings.Join(args, " "), err)
		}
		ids = append(ids, s.ID)
	}
	return ids
}

// TestSearchAgreesWithRulesTest: for 30 queries over a stored corpus,
// search and rules test with the same -since and no limit find the same
// stories, and so does a scan of every stored item with the query's
// matcher (what alerts see): the index narrows, it never loses a match.
func TestSearchAgreesWithRulesTest(t *testing.T) {
	now := time.Now().UTC()
	cfgPath := searchCorpus(t, now)
	cfg, err := config.Load(cfgPath, config.Features{})
	if err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(context.Background(), cfg.Store.Path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	tags := map[string][]string{}
	for _, f := range cfg.Feeds {
		tags[f.Name] = f.Tags
	}
	nonEmpty := 0
	for i, q := range searchQueries {
		t.Run(q.query, func(t *testing.T) {
			since := q.since
			if since == "" {
				since = "100000d" // rules test's default is 7d; search's all history
			}
			search := storyIDs(t, "search", "-config", cfgPath, "-json", "-limit", "0", "-since", since, q.query)
			test := storyIDs(t, "rules", "test", "-config", cfgPath, "-json", "-limit", "0", "-since", since, fmt.Sprintf("q%d", i))
			slices.Sort(search)
			slices.Sort(test)
			if !slices.Equal(search, test) {
				t.Errorf("search found %v, rules test %v", search, test)
			}
			// Every stored item, matched as alerts match.
			parsed, err := rules.ParseWith(q.query, cfg.SearchOptions())
			if err != nil {
				t.Fatal(err)
			}
			d, _ := time.ParseDuration(strings.TrimSuffix(since, "d") + "h")
			var want []string
			err = db.ScanItems(context.Background(), time.Now().Add(-24*d), func(it *store.Item) error {
				id := fmt.Sprint(it.StoryID)
				if !slices.Contains(want, id) && parsed.Match(rules.NewItem(rules.Item{Title: it.Title, Text: it.Text, Source: it.Source, Feed: it.Feed, Tags: tags[it.Feed]})) {
					want = append(want, id)
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			slices.Sort(want)
			if !slices.Equal(search, want) {
				t.Errorf("search found %v, a scan of every item %v (plan %s)", search, want, parsed.Plan())
			}
			if len(want) > 0 {
				nonEmpty++
			}
		})
	}
	if nonEmpty < 20 {
		t.Errorf("only %d of %d queries found anything: the corpus does not test much", nonEmpty, len(searchQueries))
	}

	// search Kabulov, without -since, finds the story published in 2019,
	// and a time window (-since, or since: in the query) leaves it out.
	title := func(args ...string) []string {
		code, out, errOut := runCmd(t, args...)
		if code != exitOK {
			t.Fatalf("%v: exit %d: %s", args, code, errOut)
		}
		return strings.Split(out, "\n")
	}
	old := "Kabulov: Moscow format talks on Afghanistan to resume"
	if out := title("search", "-config", cfgPath, "Kabulov"); !slices.ContainsFunc(out, func(l string) bool { return strings.Contains(l, old) }) {
		t.Errorf("search Kabulov does not find the 2019 story:\n%s", strings.Join(out, "\n"))
	}
	within := storyIDs(t, "search", "-config", cfgPath, "-json", "-limit", "0", "-since", "400d", "Kabulov")
	if len(within) == 0 {
		t.Fatal("search -since 400d Kabulov finds nothing")
	}
	for _, args := range [][]string{{"-since", "400d", "Kabulov"}, {"Kabulov", "since:400d"}, {"Kabulov since:400d"}} {
		if out := title(append([]string{"search", "-config", cfgPath, "-limit", "0"}, args...)...); slices.ContainsFunc(out, func(l string) bool { return strings.Contains(l, old) }) {
			t.Errorf("search %v finds the 2019 story", args)
		}
		// since: in a query written as one argument is -since too, not two
		// more words to look for.
		if got := storyIDs(t, append([]string{"search", "-config", cfgPath, "-json", "-limit", "0"}, args...)...); !slices.Equal(got, within) {
			t.Errorf("search %q found %v, want %v", args, got, within)
		}
	}
}
