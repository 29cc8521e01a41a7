package feeds_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/wirewatch/wirewatch/feeds"
)

// site serves pages and feeds by path; the feeds are the testdata ones.
func site(t *testing.T, pages map[string]string) *httptest.Server {
	t.Helper()
	read := func(name string) string {
		b, err := os.ReadFile("testdata/" + name)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	feedsByPath := map[string][2]string{
		"/news/rss.xml":    {"application/rss+xml", read("steppewire.rss")},
		"/atom":            {"application/atom+xml; charset=utf-8", read("caspianherald.atom")},
		"/feed.json":       {"application/feed+json", read("ortaasia.json")},
		"/feeds/main.xml":  {"text/html", read("steppewire.rss")}, // a feed sent as text/html
		"/broken-feed.xml": {"application/rss+xml", "<rss><channel><title>oops"},
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if f, ok := feedsByPath[r.URL.Path]; ok {
			w.Header().Set("Content-Type", f[0])
			w.Write([]byte(f[1]))
			return
		}
		if p, ok := pages[r.URL.Path]; ok {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Write([]byte(p))
			return
		}
		http.NotFound(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv
}

func page(head string) string {
	return "<!DOCTYPE html>\n<html lang=en><head><meta charset=utf-8><title>Steppe Wire</title>\n" + head +
		"\n</head><body><h1>News</h1><a href=\"/other.xml\" type=\"application/rss+xml\">not a link tag</a></body></html>"
}

func TestDiscover(t *testing.T) {
	pages := map[string]string{
		"/rss":                    page(`<link rel="alternate" type="application/rss+xml" title="Steppe Wire" href="/news/rss.xml">`),
		"/atom-rel":               page(`<link rel="stylesheet" href="/s.css"><LINK REL="Alternate home" TYPE="application/atom+xml" HREF="../atom">`),
		"/json/":                  page(`<link rel=alternate type="application/feed+json" href="../feed.json">`),
		"/section/deep/page.html": page(`<base href="/news/"><link rel="alternate" type="application/rss+xml" href="rss.xml#top">`),
		"/first-broken": page(`<link rel="alternate" type="application/rss+xml" href="/broken-feed.xml">` +
			`<link rel="alternate" type="application/atom+xml" href="/atom">`),
		"/none":  page(`<link rel="icon" href="/favicon.ico">`),
		"/plain": page(""),
	}
	srv := site(t, pages)
	f := feeds.NewFetcher(feeds.FetcherOptions{})
	tests := []struct {
		name, path  string
		want        string // the feed's path
		how         string
		title       string
		page        bool
		noFeedError bool
	}{
		{name: "rss alternate", path: "/rss", want: "/news/rss.xml", how: "linked", title: "Steppe Wire", page: true},
		{name: "atom alternate, relative href", path: "/atom-rel", want: "/atom", how: "linked", title: "Caspian Herald", page: true},
		{name: "json feed alternate", path: "/json/", want: "/feed.json", how: "linked", title: "Orta Asia News", page: true},
		{name: "base href", path: "/section/deep/page.html", want: "/news/rss.xml", how: "linked", page: true},
		{name: "first alternate broken", path: "/first-broken", want: "/atom", how: "linked", page: true},
		{name: "a feed already", path: "/news/rss.xml", want: "/news/rss.xml", how: ""},
		{name: "a feed sent as html", path: "/feeds/main.xml", want: "/feeds/main.xml", how: ""},
		{name: "no alternate, no common path", path: "/none", noFeedError: true},
		{name: "no links at all", path: "/plain", noFeedError: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := f.Discover(context.Background(), srv.URL+tt.path, nil)
			if tt.noFeedError {
				// /feed, /rss.xml, /atom.xml, /feed.xml, /index.xml: none there.
				if !errors.Is(err, feeds.ErrNoFeed) {
					t.Errorf("Discover = %+v, %v; want ErrNoFeed", d, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got, want := d.FeedURL, srv.URL+tt.want; got != want {
				t.Errorf("feed = %s, want %s", got, want)
			}
			if d.How != tt.how || d.Page != tt.page {
				t.Errorf("how, page = %q, %v; want %q, %v", d.How, d.Page, tt.how, tt.page)
			}
			if tt.title != "" && !strings.Contains(d.Title, tt.title) {
				t.Errorf("title = %q, want %q", d.Title, tt.title)
			}
			if d.Items == 0 {
				t.Errorf("no items in the discovered feed")
			}
		})
	}
}

func TestDiscoverCommonPath(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/atom.xml":
			b, _ := os.ReadFile("testdata/caspianherald.atom")
			w.Header().Set("Content-Type", "application/atom+xml")
			w.Write(b)
		case "/feed": // a page, not a feed
			w.Header().Set("Content-Type", "text/html")
			w.Write([]byte("<html><body>Subscribe!</body></html>"))
		case "/blog/post-1":
			w.Header().Set("Content-Type", "text/html")
			w.Write([]byte(page("")))
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	d, err := feeds.NewFetcher(feeds.FetcherOptions{}).Discover(context.Background(), srv.URL+"/blog/post-1", nil)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := d.FeedURL, srv.URL+"/atom.xml"; got != want || d.How != "common path" {
		t.Errorf("feed = %s (%s), want %s by common path", got, d.How, want)
	}
}

func TestFeedLinksResolveAndSkip(t *testing.T) {
	body := []byte(page(`<link rel="alternate" type="application/rss+xml" href="//cdn.example.org/a.rss">` +
		`<link rel="alternate" type="application/rss+xml" href="/a.rss">` +
		`<link rel="alternate" type="application/atom+xml; charset=utf-8" href="b.atom" title="B">` +
		`<link rel="alternate" type="text/html" hreflang="fr" href="/fr/">` +
		`<link rel="alternate" type="application/rss+xml" href="javascript:alert(1)">` +
		`<link rel="alternate" type="application/rss+xml" href="/a.rss">`))
	got := feeds.FeedLinks(body, "https://example.org/news/index.html")
	want := []string{"https://cdn.example.org/a.rss", "https://example.org/a.rss", "https://example.org/news/b.atom"}
	if len(got) != len(want) {
		t.Fatalf("links = %+v, want %v", got, want)
	}
	for i := range want {
		if got[i].URL != want[i] {
			t.Errorf("link %d = %s, want %s", i, got[i].URL, want[i])
		}
	}
	if got[2].Title != "B" || got[2].Type != "application/atom+xml" {
		t.Errorf("link 2 = %+v, want title B, type application/atom+xml", got[2])
	}
}

func TestIsHTML(t *testing.T) {
	tests := []struct {
		name, ct, body string
		want           bool
	}{
		{"page", "text/html", "<!DOCTYPE html><html></html>", true},
		{"page without type", "", "\ufeff  <html><head>", true},
		{"rss as html", "text/html; charset=utf-8", `<?xml version="1.0"?><rss>`, false},
		{"atom", "application/atom+xml", "<feed xmlns='http://www.w3.org/2005/Atom'>", false},
		{"json feed", "application/json", `{"version": "https://jsonfeed.org/version/1.1"}`, false},
		{"html type, odd start", "text/html", "<!-- hello --><div>", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := feeds.IsHTML(tt.ct, []byte(tt.body)); got != tt.want {
				t.Errorf("IsHTML = %v, want %v", got, tt.want)
			}
		})
	}
}
