package cli

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wirewatch/wirewatch/config"
)

// TestCheckOnlineSendsFeedHeaders is the regression test of check -online
// fetching each feed without its configured headers: a feed that needs an
// API key in a header, which run and once read, was reported as one that
// "cannot be read: http 401" (exit status 1).
func TestCheckOnlineSendsFeedHeaders(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("X-Api-Key") != "s3cret" {
			http.Error(w, "no key", http.StatusUnauthorized)
			return
		}
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprint(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>Keyed</title><link>https://keyed.example/</link>`+
			`<item><guid>1</guid><title>Kabulov speaks</title><link>https://keyed.example/1</link></item></channel></rss>`)
	}))
	defer srv.Close()
	path := filepath.Join(t.TempDir(), "w.toml")
	src := fmt.Sprintf("[[feed]]\nname = \"keyed\"\nurl = %q\nheaders = { X-Api-Key = \"s3cret\" }\n", srv.URL+"/feed.xml")
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load(path, config.Features{})
	if err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	if ok := checkFeeds(context.Background(), cfg, &out); !ok || !strings.Contains(out.String(), "online: feeds: 1 of 1 read") {
		t.Errorf("checkFeeds = %v, want the feed read with its headers:\n%s", ok, out.String())
	}
}
