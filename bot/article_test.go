package bot_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestPollFetchesArticles: with FetchArticle, a new item's page is fetched
// once and its main text is what rules see; known items are not fetched again.
func TestPollFetchesArticles(t *testing.T) {
	var mu sync.Mutex
	pages := map[string]int{}
	var base string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		if r.URL.Path == "/feed.rss" {
			pub := time.Date(2026, 11, 20, 8, 0, 0, 0, time.UTC).Format(time.RFC1123Z)
			fmt.Fprintf(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title><link>%[1]s/</link>
<item><guid>a1</guid><title>Envoy speaks on border security</title><link>%[1]s/a1</link><description>A short teaser.</description><pubDate>%[2]s</pubDate></item>
</channel></rss>`, base, pub)
			return
		}
		pages[r.URL.Path]++
		fmt.Fprint(w, `<html><body><nav>Home | World | Sport</nav><article><h1>Envoy speaks on border security</h1>
<p>Presidential envoy Zamir Kabulov said on Thursday that Russia would keep its contacts with the Taliban on security along the Tajik-Afghan border, despite objections from Western capitals.</p>
<p>He said the next round of consultations would be held in the spring and that the CSTO was ready to assist its members if the situation deteriorated.</p>
<p>The envoy added that formal recognition was not on the agenda for now, but that practical cooperation on trade and transit would continue.</p>
</article><footer>All rights reserved</footer></body></html>`)
	}))
	t.Cleanup(srv.Close)
	base = srv.URL

	f, p, feed := newPoller(t, srv)
	feed.FetchArticle = true
	feed.AllowPrivate = true // the test's pages are on loopback
	ctx := context.Background()
	res, err := p.Poll(ctx, feed)
	if err != nil {
		t.Fatal(err)
	}
	// Only the article's text names Kabulov: the alert proves rules saw it.
	if res.New != 1 || res.Alerts != 1 {
		t.Fatalf("poll = %+v, want 1 new item alerted by the kabulov rule", res)
	}
	list, err := f.DB.Stories(ctx, time.Time{}, 0)
	if err != nil || len(list) != 1 {
		t.Fatalf("stories = %d (%v), want 1", len(list), err)
	}
	if text := list[0].Items[0].Text; !strings.Contains(text, "Tajik-Afghan border") || strings.Contains(text, "All rights reserved") {
		t.Errorf("stored text = %q, want the article's main text", text)
	}
	if _, err := p.Poll(ctx, feed); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if got := pages["/a1"]; got != 1 {
		t.Errorf("article fetched %d times, want 1 (known items are not fetched again)", got)
	}
	// And the feed's own text on the second poll is not taken for an edit.
	if list, _ := f.DB.Stories(ctx, time.Time{}, 0); len(list[0].Items[0].Revisions) != 0 {
		t.Errorf("item has %d revisions, want 0", len(list[0].Items[0].Revisions))
	}
}
