package main

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wirewatch/wirewatch/bot"
	"github.com/wirewatch/wirewatch/cli"
)

// rssItem is one entry of a generated test feed.
type rssItem struct {
	GUID, Link, Title, Text string
	Published               time.Time
}

// rss renders a realistic RSS 2.0 document for an outlet.
func rss(site, title string, items ...rssItem) string {
	var b strings.Builder
	fmt.Fprintf(&b, `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">
<channel>
  <title>%s</title>
  <link>%s</link>
  <description>Latest news</description>
  <language>en</language>
`, title, site)
	for _, it := range items {
		fmt.Fprintf(&b, `  <item>
    <title>%s</title>
    <link>%s</link>
    <guid isPermaLink="false">%s</guid>
    <pubDate>%s</pubDate>
    <description><![CDATA[<p>%s</p>]]></description>
  </item>
`, it.Title, it.Link, it.GUID, it.Published.Format(time.RFC1123Z), it.Text)
	}
	b.WriteString("</channel>\n</rss>\n")
	return b.String()
}

// newsServer serves test feeds by path. It honours If-None-Match with the
// ETag it gives, counts requests, and can gzip a feed or fail on demand.
type newsServer struct {
	*httptest.Server
	mu          sync.Mutex
	feeds       map[string]string // path → body
	fail        map[string]int    // path → status to answer instead
	gzip        map[string]bool
	requests    map[string]int
	conditional map[string]int // requests that carried If-None-Match
	notModified map[string]int
	gzipped     map[string]int // responses sent gzip-encoded
}

func newNewsServer(t *testing.T) *newsServer {
	s := &newsServer{feeds: map[string]string{}, fail: map[string]int{}, gzip: map[string]bool{},
		requests: map[string]int{}, conditional: map[string]int{}, notModified: map[string]int{}, gzipped: map[string]int{}}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.Close)
	return s
}

func (s *newsServer) set(path, body string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.feeds[path] = body
}

func (s *newsServer) count(m map[string]int, path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return m[path]
}

func (s *newsServer) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests[r.URL.Path]++
	if code := s.fail[r.URL.Path]; code != 0 {
		http.Error(w, "feed generator crashed", code)
		return
	}
	body, ok := s.feeds[r.URL.Path]
	if !ok {
		http.NotFound(w, r)
		return
	}
	etag := fmt.Sprintf(`"%x"`, len(body)*31+strings.Count(body, "<item>"))
	if inm := r.Header.Get("If-None-Match"); inm != "" {
		s.conditional[r.URL.Path]++
		if inm == etag {
			s.notModified[r.URL.Path]++
			w.WriteHeader(http.StatusNotModified)
			return
		}
	}
	w.Header().Set("ETag", etag)
	w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
	if s.gzip[r.URL.Path] && strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
		w.Header().Set("Content-Encoding", "gzip")
		s.gzipped[r.URL.Path]++
		zw := gzip.NewWriter(w)
		zw.Write([]byte(body))
		zw.Close()
		return
	}
	w.Write([]byte(body))
}

// The Kabulov story as a wire agency and two re-reporting outlets carry it,
// and an unrelated item.
func storyFeeds(now time.Time) map[string]string {
	const headline = "Russia's Kabulov: Moscow will keep talking to the Taliban on border security"
	return map[string]string{
		"/tass.xml": rss("https://tass.com", "TASS",
			rssItem{GUID: "tass-1771", Link: "https://tass.com/politics/1771?utm_source=rss", Title: headline,
				Text:      "MOSCOW, November 20. /TASS/. Russia will continue its contacts with the Taliban movement on security along the Tajik-Afghan border, Presidential Special Envoy for Afghanistan Zamir Kabulov told TASS.",
				Published: now.Add(-3 * time.Hour)}),
		"/tolo.xml": rss("https://tolonews.com", "TOLOnews",
			rssItem{GUID: "https://tolonews.com/afghanistan-190311", Link: "https://tolonews.com/afghanistan-190311", Title: "RUSSIA’S KABULOV: MOSCOW WILL KEEP TALKING TO THE TALIBAN ON BORDER SECURITY",
				Text:      "Zamir Kabulov, Russia's special envoy, said Moscow would keep talking to the Islamic Emirate about the border with Tajikistan, according to TASS.",
				Published: now.Add(-2 * time.Hour)},
			rssItem{GUID: "https://tolonews.com/sport-190312", Link: "https://tolonews.com/sport-190312", Title: "Afghanistan beat Oman in Asian Cup qualifier",
				Text: "The national football team won 2-1 in Muscat on Tuesday.", Published: now.Add(-1 * time.Hour)}),
		"/afgtimes.xml": rss("https://www.afghanistantimes.af", "Afghanistan Times",
			rssItem{GUID: "at-55021", Link: "https://www.afghanistantimes.af/russias-kabulov/#comments", Title: "Russia's Kabulov: Moscow Will Keep Talking To The Taliban On Border Security",
				Text:      "KABUL: Moscow will maintain its dialogue with the Taliban on border security, Kabulov said in an interview with the Russian news agency.",
				Published: now.Add(-90 * time.Minute)}),
	}
}

// writeConfig writes a configuration for the news server's feeds.
func writeConfig(t *testing.T, dir, base string, paths []string, channel string, extra string) string {
	t.Helper()
	var b strings.Builder
	fmt.Fprintf(&b, "[store]\npath = %q\n\n[defaults]\nschedule = \"@every 1s\"\n\n", filepath.Join(dir, "w.db"))
	for _, p := range paths {
		name := strings.TrimSuffix(strings.TrimPrefix(p, "/"), ".xml")
		fmt.Fprintf(&b, "[[feed]]\nname = %q\nurl = %q\n\n", name, base+p)
	}
	fmt.Fprintf(&b, "[[channel]]\nname = \"out\"\njsonl = %q\n\n", channel)
	b.WriteString(`[[rule]]
name = "kabulov"
query = 'kabulov OR "замир кабулов"'
channels = ["out"]

[[rule]]
name = "csto"
query = 'csto OR одкб OR "collective security treaty organization"'
channels = ["out"]
`)
	b.WriteString(extra)
	path := filepath.Join(dir, "wirewatch.toml")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// Exit statuses (shared/DESIGN.md), as main maps cli.Run's errors to them.
const (
	exitOK     = 0
	exitFailed = cli.StatusFailed
	exitUsage  = cli.StatusUsage
)

// runCmd runs a wirewatch subcommand in-process, as main does.
func runCmd(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = exitStatus(cli.Run(context.Background(), args, &out, &errb))
	return code, out.String(), errb.String()
}

// deliveryLine is a delivery as printed by a jsonl channel.
type deliveryLine struct {
	ID      int64        `json:"delivery_id"`
	Kind    string       `json:"kind"`
	Channel string       `json:"channel"`
	Stories []*bot.Story `json:"stories"`
	New     []string     `json:"new"`
}

// storyDeliveries is what one run delivered about one story: its alert,
// and the update that follows it when the story gained outlets from a feed
// polled after the alert was sent (once delivers as it goes).
type storyDeliveries struct {
	alert   *deliveryLine
	updates []*deliveryLine
	last    *bot.Story // the story as its last delivery shows it
	outlets []string   // the alert's outlets, then each update's new ones
}

// byStory folds one run's alerts and updates by story ID; another kind of
// delivery, an update without its alert, or an outlet announced twice, is a
// test failure.
func byStory(t *testing.T, lines []deliveryLine) map[string]*storyDeliveries {
	t.Helper()
	out := map[string]*storyDeliveries{}
	for i := range lines {
		l := &lines[i]
		if len(l.Stories) != 1 {
			t.Fatalf("delivery %d has %d stories, want 1", l.ID, len(l.Stories))
		}
		s := l.Stories[0]
		d := out[s.ID]
		switch {
		case l.Kind == "alert" && d == nil:
			d = &storyDeliveries{alert: l}
			d.outlets = append(d.outlets, s.Outlets...)
			out[s.ID] = d
		case l.Kind == "update" && d != nil:
			d.updates = append(d.updates, l)
			for _, o := range bot.NewOutlets(s, l.New) {
				d.outlets = append(d.outlets, o.Text)
			}
		default:
			t.Fatalf("delivery %d: a %s of story %s, want one alert per story, then its updates", l.ID, l.Kind, s.ID)
		}
		d.last = s
	}
	for id, d := range out {
		if !slices.Equal(slices.Compact(slices.Sorted(slices.Values(d.outlets))), slices.Sorted(slices.Values(d.last.Outlets))) ||
			len(d.outlets) != len(d.last.Outlets) {
			t.Errorf("story %s: announced outlets %v, want each of %v once", id, d.outlets, d.last.Outlets)
		}
	}
	return out
}

func parseLines(t *testing.T, s string) []deliveryLine {
	t.Helper()
	var out []deliveryLine
	sc := bufio.NewScanner(strings.NewReader(s))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		if strings.TrimSpace(sc.Text()) == "" {
			continue
		}
		var d deliveryLine
		if err := json.Unmarshal(sc.Bytes(), &d); err != nil {
			t.Fatalf("bad delivery line %q: %v", sc.Text(), err)
		}
		out = append(out, d)
	}
	return out
}

func TestOnceEndToEnd(t *testing.T) {
	now := time.Now().UTC()
	srv := newNewsServer(t)
	for p, body := range storyFeeds(now) {
		srv.set(p, body)
	}
	srv.gzip["/afgtimes.xml"] = true
	srv.set("/malformed.xml", `<?xml version="1.0"?><rss><channel><title>Broken</title><item><title>Kabulov`)
	srv.fail["/down.xml"] = http.StatusInternalServerError
	srv.set("/huge.xml", rss("https://huge.example", "Huge", rssItem{GUID: "h1", Link: "https://huge.example/1",
		Title: "Kabulov huge", Text: strings.Repeat("padding ", 11<<20/8), Published: now}))
	dir := t.TempDir()
	cfg := writeConfig(t, dir, srv.URL, []string{"/tass.xml", "/tolo.xml", "/afgtimes.xml", "/malformed.xml", "/down.xml", "/huge.xml"}, "-", "")

	code, stdout, stderr := runCmd(t, "once", "-config", cfg)
	if code != exitOK {
		t.Fatalf("once exit = %d, want %d; stderr:\n%s", code, exitOK, stderr)
	}
	lines := parseLines(t, stdout)
	stories := byStory(t, lines)
	if len(stories) != 1 {
		t.Fatalf("got deliveries about %d stories, want 1 alert (and its update):\n%s", len(stories), stdout)
	}
	for _, l := range lines {
		if l.Channel != "out" {
			t.Errorf("delivery %d in %q, want out", l.ID, l.Channel)
		}
	}
	var s *bot.Story
	for _, d := range stories {
		if len(d.updates) > 1 {
			t.Errorf("%d updates, want at most one (merged)", len(d.updates))
		}
		s = d.last
	}
	if s.Sources != 3 {
		t.Errorf("story sources = %d, want 3 (%v)", s.Sources, s.Outlets)
	}
	wantOutlets := map[string]bool{"tass.com": true, "tolonews.com": true, "afghanistantimes.af": true}
	for _, o := range s.Outlets {
		if !wantOutlets[o] {
			t.Errorf("unexpected outlet %q in %v", o, s.Outlets)
		}
	}
	if len(s.Rules) != 1 || s.Rules[0] != "kabulov" {
		t.Errorf("story rules = %v, want [kabulov]", s.Rules)
	}
	for _, it := range s.Items {
		if strings.Contains(it.URL, "utm_") || strings.Contains(it.URL, "#") {
			t.Errorf("item URL %q is not canonical", it.URL)
		}
	}
	if got := srv.count(srv.gzipped, "/afgtimes.xml"); got != 1 {
		t.Errorf("gzip'd responses = %d, want 1 (the outlet must come from the gzip'd feed)", got)
	}
	// Each broken feed is named in the log, and the others still delivered.
	for _, name := range []string{"malformed", "down", "huge"} {
		if !strings.Contains(stderr, "feed="+name) {
			t.Errorf("stderr does not mention failing feed %q:\n%s", name, stderr)
		}
	}

	// Second run: the feeds answer 304 to the conditional request, and
	// nothing is delivered again.
	code, stdout, stderr = runCmd(t, "once", "-config", cfg)
	if code != exitOK {
		t.Fatalf("second once exit = %d; stderr:\n%s", code, stderr)
	}
	if got := parseLines(t, stdout); len(got) != 0 {
		t.Errorf("second run delivered %d lines, want 0:\n%s", len(got), stdout)
	}
	for _, p := range []string{"/tass.xml", "/tolo.xml", "/afgtimes.xml"} {
		if got := srv.count(srv.notModified, p); got != 1 {
			t.Errorf("%s answered 304 %d times, want 1", p, got)
		}
	}
	// Broken feeds were retried.
	for _, p := range []string{"/malformed.xml", "/down.xml", "/huge.xml"} {
		if got := srv.count(srv.requests, p); got != 2 {
			t.Errorf("%s requested %d times, want 2 (retried)", p, got)
		}
	}

	// The broken feed recovers with a new outlet for the story and a CSTO
	// story: one update and one alert.
	srv.set("/malformed.xml", rss("https://www.khaama.com", "Khaama Press",
		rssItem{GUID: "k-1", Link: "https://www.khaama.com/kabulov-taliban-border", Title: "Russia’s Kabulov: Moscow will keep talking to the Taliban on border security",
			Text: "Russia's envoy said talks on the border would continue.", Published: now.Add(-30 * time.Minute)},
		rssItem{GUID: "k-2", Link: "https://www.khaama.com/csto-drills", Title: "CSTO begins drills near the Tajik-Afghan border",
			Text: "The Collective Security Treaty Organization started exercises in Khatlon.", Published: now.Add(-20 * time.Minute)}))
	code, stdout, stderr = runCmd(t, "once", "-config", cfg)
	if code != exitOK {
		t.Fatalf("third once exit = %d; stderr:\n%s", code, stderr)
	}
	lines = parseLines(t, stdout)
	kinds := map[string]int{}
	for _, l := range lines {
		kinds[l.Kind]++
	}
	if kinds["update"] != 1 || kinds["alert"] != 1 || len(lines) != 2 {
		t.Fatalf("third run delivered %v, want 1 update and 1 alert:\n%s", kinds, stdout)
	}
	for _, l := range lines {
		if l.Kind == "update" {
			if got := l.Stories[0].Sources; got != 4 {
				t.Errorf("updated story has %d outlets, want 4", got)
			}
			if len(l.New) != 1 || !strings.Contains(l.New[0], "khaama.com") {
				t.Errorf("update new = %v, want the khaama.com URL", l.New)
			}
		}
	}
}

func TestOnceOffline(t *testing.T) {
	dir := t.TempDir()
	// A closed port: every feed is unreachable.
	srv := httptest.NewServer(http.NotFoundHandler())
	base := srv.URL
	srv.Close()
	cfg := writeConfig(t, dir, base, []string{"/a.xml", "/b.xml"}, "-", "")
	code, stdout, stderr := runCmd(t, "once", "-config", cfg)
	if code != exitFailed {
		t.Errorf("exit = %d, want %d when every feed fails", code, exitFailed)
	}
	if stdout != "" {
		t.Errorf("stdout = %q, want nothing", stdout)
	}
	for _, name := range []string{"feed=a", "feed=b"} {
		if n := strings.Count(stderr, name); n != 1 {
			t.Errorf("stderr mentions %s %d times, want once:\n%s", name, n, stderr)
		}
	}
	if strings.Contains(stderr, "panic") || strings.Contains(stderr, "goroutine") {
		t.Errorf("stderr has a crash:\n%s", stderr)
	}
}
