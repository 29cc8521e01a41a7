package feeds

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestRedactURL(t *testing.T) {
	tests := []struct{ in, want string }{
		{"https://example.org/feed.xml", "https://example.org/feed.xml"},
		{"https://example.org/rss?api_key=s3cret&lang=en", "https://example.org/rss?api_key=REDACTED&lang=REDACTED"},
		{"https://user:pw@example.org/rss?token=abc#top", "https://user:xxxxx@example.org/rss?token=REDACTED"},
		{"https://example.org/rss?s3cret", "https://example.org/rss?s3cret=REDACTED"},
		{"::not a url", "(url)"},
	}
	for _, tt := range tests {
		if got := RedactRawURL(tt.in); got != tt.want {
			t.Errorf("RedactRawURL(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestFetchErrorsHideQuerySecrets is the regression test of secrets in feed
// URLs reaching the logs: URL.Redacted() hid only passwords, so api_key and
// token values were logged with every failed poll.
func TestFetchErrorsHideQuerySecrets(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		http.Error(w, "no", http.StatusServiceUnavailable)
	}))
	t.Cleanup(srv.Close)
	f := NewFetcher(FetcherOptions{})
	for _, fetch := range []func(string) error{
		func(u string) error { _, err := f.Fetch(context.Background(), Request{URL: u}); return err },
		func(u string) error { _, err := f.FetchArticle(context.Background(), u, true); return err },
	} {
		err := fetch(srv.URL + "/rss?api_key=s3cret-key&token=t0ken")
		if err == nil {
			t.Fatal("no error from a 503")
		}
		if msg := err.Error(); strings.Contains(msg, "s3cret-key") || strings.Contains(msg, "t0ken") || !strings.Contains(msg, "api_key=REDACTED") {
			t.Errorf("error %q shows a query value or hides the keys", msg)
		}
	}
}
