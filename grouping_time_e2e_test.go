package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// storyOf runs `stories -json` over all time and returns the story of each
// item, by URL.
func storyOf(t *testing.T, cfg string) map[string]string {
	t.Helper()
	code, stdout, stderr := runCmd(t, "stories", "-config", cfg, "-json", "-since", "100000d")
	if code != exitOK {
		t.Fatalf("stories exit = %d; stderr:\n%s", code, stderr)
	}
	got := map[string]string{}
	sc := bufio.NewScanner(strings.NewReader(stdout))
	sc.Buffer(make([]byte, 1<<20), 1<<22)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if !strings.HasPrefix(line, "{") {
			continue
		}
		var s struct {
			ID    json.RawMessage `json:"id"`
			Items []struct {
				URL string `json:"url"`
			} `json:"items"`
		}
		if err := json.Unmarshal([]byte(line), &s); err != nil {
			t.Fatalf("bad story line %q: %v", line, err)
		}
		for _, it := range s.Items {
			got[it.URL] = string(s.ID)
		}
	}
	return got
}

// samePartition reports how two groupings of the same URLs differ, or "".
func samePartition(want, got map[string]string, urls []string) string {
	var diffs []string
	for i, a := range urls {
		for _, b := range urls[i+1:] {
			w := want[a] == want[b]
			if g := got[a] == got[b] && got[a] != ""; g != w {
				diffs = append(diffs, fmt.Sprintf("%s and %s together %t, want %t", a, b, g, w))
			}
		}
	}
	return strings.Join(diffs, "; ")
}

// onceOK runs `once` and fails the test when it fails.
func onceOK(t *testing.T, cfg string) {
	t.Helper()
	if code, _, stderr := runCmd(t, "once", "-config", cfg); code != exitOK {
		t.Fatalf("once exit = %d; stderr:\n%s", code, stderr)
	}
}

// oneFeed joins the items of several feeds into one feed of an archive,
// keeping only those of the given paths, in order.
func oneFeed(feedsByPath map[string]string, paths ...string) string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Archive</title><link>https://archive.example</link><description>d</description>
`)
	for _, p := range paths {
		body := feedsByPath[p]
		for _, part := range strings.Split(body, "<item>")[1:] {
			b.WriteString("<item>" + part[:strings.Index(part, "</item>")] + "</item>\n")
		}
	}
	b.WriteString("</channel></rss>\n")
	return b.String()
}

// TestOnceGroupsOldCoverage: time is the items' own. A feed of coverage
// dated years ago groups exactly as the same feed dated today: polled after
// a feed of today's news, and split over two runs with a restart between.
func TestOnceGroupsOldCoverage(t *testing.T) {
	now := time.Now().UTC()
	old := now.AddDate(-6, 0, 0)
	paths := []string{"/tass.xml", "/tolo.xml", "/afgtimes.xml", "/urdupoint.xml", "/khaama.xml"}
	var urls []string
	for _, body := range rewrittenFeeds(now) {
		for _, part := range strings.Split(body, "<link>")[2:] {
			urls = append(urls, part[:strings.Index(part, "</link>")])
		}
	}
	slices.Sort(urls)
	if len(urls) != 5 {
		t.Fatalf("found %d item URLs in the feeds, want 5", len(urls))
	}
	today := storyFeeds(now)

	// The reference: the archive feed dated today, alone.
	srv := newNewsServer(t)
	srv.set("/archive.xml", oneFeed(rewrittenFeeds(now), paths...))
	dir := t.TempDir()
	cfg := writeConfig(t, dir, srv.URL, []string{"/archive.xml"}, filepath.Join(dir, "out.jsonl"), "")
	onceOK(t, cfg)
	want := storyOf(t, cfg)
	// The reference itself: the four reports of the interview together,
	// the envoy's other statement apart.
	for _, u := range urls {
		if want[u] == "" {
			t.Fatalf("reference grouping lacks %s: %v", u, want)
		}
		if interview := !strings.Contains(u, "khaama"); (want[u] == want["https://tass.com/politics/9001"]) != interview {
			t.Fatalf("reference grouping %v: want the interview's four reports together, the ISIS-K statement apart", want)
		}
	}

	t.Run("after today's news", func(t *testing.T) {
		srv := newNewsServer(t)
		for p, body := range today {
			srv.set(p, body)
		}
		srv.set("/archive.xml", rss("https://archive.example", "Archive"))
		dir := t.TempDir()
		cfg := writeConfig(t, dir, srv.URL, []string{"/tass.xml", "/tolo.xml", "/afgtimes.xml", "/archive.xml"}, filepath.Join(dir, "out.jsonl"), "")
		keepForever(t, cfg) // the archive is older than the default retention
		onceOK(t, cfg)      // today's items first
		srv.set("/archive.xml", oneFeed(rewrittenFeeds(old), paths...))
		onceOK(t, cfg)
		got := storyOf(t, cfg)
		if d := samePartition(want, got, urls); d != "" {
			t.Errorf("%s\ngot %v\nwant %v", d, got, want)
		}
	})

	t.Run("over a restart", func(t *testing.T) {
		srv := newNewsServer(t)
		for p, body := range today {
			srv.set(p, body)
		}
		feedsOld := rewrittenFeeds(old)
		srv.set("/archive.xml", oneFeed(feedsOld, "/tass.xml", "/tolo.xml"))
		dir := t.TempDir()
		cfg := writeConfig(t, dir, srv.URL, []string{"/tass.xml", "/tolo.xml", "/afgtimes.xml", "/archive.xml"}, filepath.Join(dir, "out.jsonl"), "")
		keepForever(t, cfg)
		onceOK(t, cfg) // the wire and a re-report, with today's news
		srv.set("/archive.xml", oneFeed(feedsOld, paths...))
		onceOK(t, cfg) // a new process: the rest
		got := storyOf(t, cfg)
		if d := samePartition(want, got, urls); d != "" {
			t.Errorf("%s\ngot %v\nwant %v", d, got, want)
		}
	})
}

// TestOnceGroupsSeeds runs the five real seed articles (private, outside
// the repository; skipped when absent) through `once` as one feed per
// outlet with their real dates (2017, 2020, 2021), the feeds in several
// orders, and checks the stories `stories -json` shows.
func TestOnceGroupsSeeds(t *testing.T) {
	path := filepath.Join("..", "shared", "seeds", "seeds.jsonl")
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		t.Skipf("%s is absent", path)
	}
	if err != nil {
		t.Fatal(err)
	}
	type seed struct {
		ID, Story, Source, Title, Published, Text string
	}
	var seeds []seed
	for _, line := range strings.Split(string(data), "\n") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		var s seed
		if err := json.Unmarshal([]byte(line), &s); err != nil {
			t.Fatal(err)
		}
		seeds = append(seeds, s)
	}
	bySource := map[string][]rssItem{}
	var outlets []string
	for _, s := range seeds {
		pub, err := time.Parse(time.RFC3339, s.Published)
		if err != nil {
			t.Fatal(err)
		}
		var paras []string
		for _, p := range strings.Split(s.Text, "\n") {
			if p = strings.TrimSpace(p); p != "" {
				paras = append(paras, xmlEscape(p))
			}
		}
		if bySource[s.Source] == nil {
			outlets = append(outlets, s.Source)
		}
		bySource[s.Source] = append(bySource[s.Source], rssItem{GUID: s.ID, Link: "https://" + s.Source + "/" + s.ID,
			Title: xmlEscape(s.Title), Text: strings.Join(paras, "</p><p>"), Published: pub})
	}
	slices.Sort(outlets)
	orders := [][]string{outlets, slices.Clone(outlets)}
	slices.Reverse(orders[1])
	orders = append(orders, append(slices.Clone(outlets[2:]), outlets[:2]...))
	for _, order := range orders {
		t.Run(strings.Join(order, ","), func(t *testing.T) {
			srv := newNewsServer(t)
			var paths []string
			for _, o := range order {
				p := "/" + o + ".xml"
				srv.set(p, rss("https://"+o, o, bySource[o]...))
				paths = append(paths, p)
			}
			dir := t.TempDir()
			cfg := writeConfig(t, dir, srv.URL, paths, filepath.Join(dir, "out.jsonl"), "")
			onceOK(t, cfg)
			got := storyOf(t, cfg)
			for i, a := range seeds {
				for _, b := range seeds[i+1:] {
					ua, ub := "https://"+a.Source+"/"+a.ID, "https://"+b.Source+"/"+b.ID
					if g, w := got[ua] == got[ub] && got[ua] != "", a.Story == b.Story; g != w {
						t.Errorf("%s and %s together %t, want %t", a.ID, b.ID, g, w)
					}
				}
			}
		})
	}
}

// keepForever sets a retention longer than the archive's age in a
// configuration written by writeConfig.
func keepForever(t *testing.T, cfg string) {
	t.Helper()
	b, err := os.ReadFile(cfg)
	if err != nil {
		t.Fatal(err)
	}
	s := strings.Replace(string(b), "[store]\n", "[store]\nretention = \"100000d\"\n", 1)
	if err := os.WriteFile(cfg, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}

func xmlEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", "]]>", "]]&gt;").Replace(s)
}
