package feeds

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync/atomic"
	"testing"
)

const articlePage = `<!DOCTYPE html>
<html><head><title>Kabulov: Moscow will keep talking to the Taliban | Steppe Wire</title></head>
<body>
<nav><a href="/">Home</a> <a href="/politics">Politics</a> <a href="/sport">Sport</a></nav>
<div class="ad">Subscribe to our newsletter for the latest updates!</div>
<article>
<h1>Kabulov: Moscow will keep talking to the Taliban</h1>
<p>MOSCOW, November 20. Russia will keep its contacts with the Taliban on security along the Tajik-Afghan border, presidential envoy Zamir Kabulov said on Thursday.</p>
<p>"We are not going to break off the dialogue because somebody in the West does not like it," Kabulov said, adding that the next round of the Moscow Format consultations would take place in the spring.</p>
<p>The envoy said the situation on the border with Tajikistan remained tense but under control, and that the CSTO was ready to help its members if needed.</p>
<p>He also noted that the question of formal recognition of the Taliban government was not on the agenda for now.</p>
</article>
<aside>Most read: Weather in Kabul; Football results</aside>
<footer>© Steppe Wire. All rights reserved.</footer>
</body></html>`

func TestFetchArticle(t *testing.T) {
	var accept string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		accept = r.Header.Get("Accept")
		if r.URL.Path == "/missing" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte(articlePage))
	}))
	t.Cleanup(srv.Close)
	f := NewFetcher(FetcherOptions{})

	got, err := f.FetchArticle(context.Background(), srv.URL+"/politics/1", true)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Russia will keep its contacts with the Taliban", "Moscow Format consultations", "not on the agenda"} {
		if !strings.Contains(got, want) {
			t.Errorf("article text lacks %q:\n%s", want, got)
		}
	}
	for _, junk := range []string{"Subscribe to our newsletter", "All rights reserved", "Football results"} {
		if strings.Contains(got, junk) {
			t.Errorf("article text keeps boilerplate %q:\n%s", junk, got)
		}
	}
	if !strings.HasPrefix(accept, "text/html") {
		t.Errorf("Accept = %q, want HTML first", accept)
	}
	if _, err := f.FetchArticle(context.Background(), srv.URL+"/missing", true); err == nil {
		t.Error("a 404 article: err = nil, want an error")
	}
}

func TestIsPublicAddr(t *testing.T) {
	tests := []struct {
		addr string
		want bool
	}{
		{"8.8.8.8", true},
		{"2a00:1450:4001::200e", true},
		{"127.0.0.1", false},
		{"::1", false},
		{"10.1.2.3", false},
		{"172.16.0.1", false},
		{"192.168.1.1", false},
		{"169.254.169.254", false},
		{"fe80::1", false},
		{"fc00::1", false},
		{"0.0.0.0", false},
		{"::", false},
		{"100.64.0.1", false},
		{"::ffff:127.0.0.1", false},
	}
	for _, tt := range tests {
		if got := IsPublicAddr(netip.MustParseAddr(tt.addr)); got != tt.want {
			t.Errorf("IsPublicAddr(%s) = %v, want %v", tt.addr, got, tt.want)
		}
	}
}

// TestFetchArticleRefusesPrivateAddresses is the regression test of SSRF
// through fetch_article: item links from third-party feeds were fetched on
// any address, redirects followed.
func TestFetchArticleRefusesPrivateAddresses(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		fmt.Fprint(w, `<html><body><article><p>internal secrets</p></article></body></html>`)
	}))
	t.Cleanup(srv.Close)
	_, port, _ := net.SplitHostPort(srv.Listener.Addr().String())
	f := NewFetcher(FetcherOptions{})
	for _, u := range []string{
		srv.URL + "/page",                         // 127.0.0.1
		"http://localhost:" + port + "/page",      // a name resolving to loopback
		"http://[::ffff:127.0.0.1]:" + port + "/", // mapped
		"file:///etc/passwd",
	} {
		if _, err := f.FetchArticle(context.Background(), u, false); err == nil {
			t.Errorf("FetchArticle(%s) succeeded, want refused", u)
		}
	}
	if n := hits.Load(); n != 0 {
		t.Errorf("the private server was reached %d times, want 0", n)
	}
	// With allow_private the same page is fetched.
	if _, err := f.FetchArticle(context.Background(), srv.URL+"/page", true); err != nil {
		t.Errorf("with allowPrivate: %v", err)
	}
}
