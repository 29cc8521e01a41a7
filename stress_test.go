package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wirewatch/wirewatch/cli"
)

// stressStories are the events the stress test's outlets report, each with
// a text of its own so that the grouper keeps them apart.
var stressStories = []struct{ title, text string }{
	{"Kabulov says Moscow will keep talking to the Taliban on border security",
		"Russia's presidential envoy Zamir Kabulov said Moscow would keep its contacts with the Taliban on security along the Tajik-Afghan border despite objections from Western capitals, and that the next round of consultations would be held in Kazan in the spring."},
	{"CSTO opens command-staff exercise near the Afghan border in Khatlon",
		"The Collective Security Treaty Organization opened a five-day command-staff exercise at the Harb-Maidon range in Khatlon province on Friday with 2,400 troops from six member states, the organization's joint staff said."},
	{"Pakistan reopens Torkham crossing after eleven-day closure",
		"Pakistan reopened the Torkham border crossing to cargo trucks on Saturday after an eleven-day closure that stranded some 5,000 vehicles, customs officials in Landi Kotal said, adding that pedestrian traffic would resume on Monday."},
	{"Magnitude 5.4 earthquake shakes Kunar, four villages damaged",
		"An earthquake of magnitude 5.4 struck Kunar province early on Thursday at a depth of 38 kilometres, damaging houses in four villages of the Chawkay district, provincial disaster officials said, with 17 people treated for injuries."},
	{"Uzbekistan signs 4.6 billion dollar railway deal for trans-Afghan line",
		"Uzbekistan signed a 4.6 billion dollar financing framework for the trans-Afghan railway linking Termez with Peshawar through Mazar-i-Sharif and Kabul, the transport ministry in Tashkent said after a meeting with lenders."},
	{"UNHCR says 41,000 Afghans returned from Iran in one week",
		"The UN refugee agency said 41,000 Afghans returned from Iran through the Islam Qala and Milak crossings in the week to Friday, most of them deported, and appealed for 28 million dollars to support arrivals in Herat and Nimroz."},
}

// slowHook is a webhook receiver that answers slowly, so that new outlets
// arrive while deliveries are on their way. It keeps what it received.
type slowHook struct {
	*httptest.Server
	mu   sync.Mutex
	ids  map[string]int             // X-Wirewatch-Delivery → times received
	seen map[string]map[string]bool // story title → outlets carried
}

func newSlowHook(t *testing.T) *slowHook {
	h := &slowHook{ids: map[string]int{}, seen: map[string]map[string]bool{}}
	h.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		time.Sleep(150 * time.Millisecond) // a slow receiver, not a test's timing
		var d deliveryLine
		if err := json.Unmarshal(body, &d); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		h.mu.Lock()
		defer h.mu.Unlock()
		h.ids[r.Header.Get("X-Wirewatch-Delivery")]++
		for _, s := range d.Stories {
			for _, it := range s.Items {
				if h.seen[it.Title] == nil {
					h.seen[it.Title] = map[string]bool{}
				}
				h.seen[it.Title][it.Source] = true
			}
		}
	}))
	t.Cleanup(h.Close)
	return h
}

// TestStressEveryOutletIsDelivered: twenty feeds polled every second, new
// outlets joining stories while a slow webhook and a Slack channel deliver,
// for 20 seconds, then once. Every outlet a story holds reaches both
// channels (the webhook's items; Slack's alert and thread replies name it,
// or count it in "and N more"), and no delivery arrives twice.
func TestStressEveryOutletIsDelivered(t *testing.T) {
	if testing.Short() {
		t.Skip("runs for 20 seconds")
	}
	const feeds = 20
	now := time.Now().UTC()
	news := newNewsServer(t)
	hook := newSlowHook(t)
	slack := newFakeSlack(t)
	items := make([][]rssItem, feeds) // per feed, what it carries
	site := func(f int) string { return fmt.Sprintf("https://www.outlet%02d.com", f) }
	publish := func(f int) {
		news.set(fmt.Sprintf("/feed%02d.xml", f), rss(site(f), fmt.Sprintf("Outlet %02d", f), items[f]...))
	}
	var paths []string
	for f := range feeds {
		paths = append(paths, fmt.Sprintf("/feed%02d.xml", f))
		publish(f)
	}
	dir := t.TempDir()
	cfg := writeConfig(t, dir, news.URL, paths, filepath.Join(dir, "out.jsonl"), fmt.Sprintf(`
[slack]
bot_token = "xoxb-test"
api_url = %q

[[channel]]
name = "hook"
webhook = %q

[[channel]]
name = "desk"
slack = "#news-desk"
on_update = "thread"

[[rule]]
name = "all"
query = "said"
channels = ["hook", "desk"]
`, slack.URL+"/api/", hook.URL+"/hook"))

	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- cli.Run(ctx, []string{"run", "-config", cfg}, io.Discard, io.Discard) }()
	// Every 150 ms an outlet reports one of the stories that have broken so
	// far; a new story breaks every three seconds.
	start := time.Now()
	next := 0
	for tick := time.NewTicker(150 * time.Millisecond); time.Since(start) < 20*time.Second; <-tick.C {
		broken := min(1+int(time.Since(start)/(3*time.Second)), len(stressStories))
		s, f := next%broken, (next*7+next/broken)%feeds
		next++
		st := stressStories[s]
		guid := fmt.Sprintf("%s/story-%d", site(f), s)
		dup := false
		for _, it := range items[f] {
			dup = dup || it.GUID == guid
		}
		if dup {
			continue
		}
		items[f] = append(items[f], rssItem{GUID: guid, Link: guid, Title: st.title, Text: st.text, Published: now})
		publish(f)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("run: %v", err)
	}
	if code, _, errOut := runCmd(t, "once", "-config", cfg); code != exitOK {
		t.Fatalf("once: exit %d\n%s", code, errOut)
	}

	// What each story holds, by title.
	code, out, errOut := runCmd(t, "stories", "-config", cfg, "-json", "-since", "1000d")
	if code != exitOK {
		t.Fatalf("stories: exit %d\n%s", code, errOut)
	}
	holds := map[string][]string{}
	ids := map[string]string{} // title → story id
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		var s struct {
			ID      string   `json:"id"`
			Title   string   `json:"title"`
			Outlets []string `json:"outlets"`
		}
		if err := json.Unmarshal([]byte(line), &s); err != nil {
			t.Fatalf("stories -json: %v: %q", err, line)
		}
		holds[s.Title], ids[s.Title] = s.Outlets, s.ID
	}
	if len(holds) != len(stressStories) {
		t.Errorf("%d stories, want %d", len(holds), len(stressStories))
	}

	hook.mu.Lock()
	defer hook.mu.Unlock()
	for id, n := range hook.ids {
		if n != 1 {
			t.Errorf("webhook: delivery %s received %d times", id, n)
		}
	}
	// Slack: an alert per story, its updates as replies in its thread.
	slack.mu.Lock()
	defer slack.mu.Unlock()
	texts := map[string]string{} // thread ts → all its messages' text
	parts := map[string]int{}
	for i, p := range slack.posts {
		ts := fmt.Sprintf("1763629200.%06d", i+1)
		root := p.Get("thread_ts")
		if root == "" {
			root = ts
		}
		texts[root] += p.Get("blocks") + "\n"
		var md struct {
			Payload map[string]any `json:"event_payload"`
		}
		json.Unmarshal([]byte(p.Get("metadata")), &md)
		parts[fmt.Sprint(md.Payload["delivery_id"], "/", md.Payload["part"])]++
	}
	for id, n := range parts {
		if n != 1 {
			t.Errorf("slack: delivery %s posted %d times", id, n)
		}
	}
	for title, outlets := range holds {
		// The alert's context line ends "story #ID" (its title may have
		// changed since: a wire agency's headline replaces it, by an edit).
		thread := ""
		for _, text := range texts {
			if strings.Contains(text, "story #"+ids[title]+`"`) {
				thread = text
			}
		}
		for _, o := range outlets {
			if !hook.seen[title][o] {
				t.Errorf("webhook: story %q holds %s, no delivery carried it", title, o)
			}
			if !strings.Contains(thread, o) && !strings.Contains(thread, "more") {
				t.Errorf("slack: story %q holds %s, no message names it (or counts it in \"and N more\")", title, o)
			}
		}
	}
	t.Logf("%d item reports, %d stories, %d webhook deliveries, %d Slack posts", next, len(holds), len(hook.ids), len(slack.posts))
}
