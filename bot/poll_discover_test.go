package bot_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestPollWebPage polls a feed whose url is the site's home page: the
// feed its alternate link names is polled instead, then directly, with
// its validators.
func TestPollWebPage(t *testing.T) {
	var mu sync.Mutex
	hits := map[string]int{}
	var inm []string
	var body string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		hits[r.URL.Path]++
		switch r.URL.Path {
		case "/":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Write([]byte(`<!doctype html><html><head><link rel="alternate" type="application/rss+xml" href="news/feed.rss"></head><body></body></html>`))
		case "/news/feed.rss":
			inm = append(inm, r.Header.Get("If-None-Match"))
			if r.Header.Get("If-None-Match") == `"a"` {
				w.WriteHeader(http.StatusNotModified)
				return
			}
			w.Header().Set("ETag", `"a"`)
			w.Write([]byte(body))
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	f, p, feed := newPoller(t, srv)
	body = rss(f.Clock.Now(), itemKabulov, itemCSTO)
	feed.URL = srv.URL + "/"
	ctx := context.Background()

	res, err := p.Poll(ctx, feed)
	if err != nil {
		t.Fatal(err)
	}
	if res.New != 2 || res.Alerts != 1 {
		t.Errorf("first poll: %d new, %d alerts; want 2 and 1", res.New, res.Alerts)
	}
	f.Clock.Advance(10 * time.Minute)
	res, err = p.Poll(ctx, feed)
	if err != nil || !res.NotModified {
		t.Errorf("second poll: %+v, %v; want not modified", res, err)
	}
	mu.Lock()
	defer mu.Unlock()
	if hits["/"] != 1 || hits["/news/feed.rss"] != 2 {
		t.Errorf("requests = %v, want the page once and the feed twice", hits)
	}
	if strings.Join(inm, ",") != `,"a"` {
		t.Errorf("If-None-Match of the feed's requests = %q, want none then \"a\"", inm)
	}
}

// TestPollWebPageWithoutFeed fails with a reason that says so.
func TestPollWebPageWithoutFeed(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html")
		w.Write([]byte(`<html><head><title>Home</title></head><body>hello</body></html>`))
	}))
	t.Cleanup(srv.Close)
	_, p, feed := newPoller(t, srv)
	feed.URL = srv.URL + "/"
	_, err := p.Poll(context.Background(), feed)
	if err == nil || !strings.Contains(err.Error(), "is a web page") || !strings.Contains(err.Error(), "links no feed") {
		t.Errorf("Poll = %v, want a web page without a feed", err)
	}
}
