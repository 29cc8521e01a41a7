package feeds

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const feedBody = `<?xml version="1.0"?><rss version="2.0"><channel><title>T</title></channel></rss>`

// newServer starts a test server closed at the end of the test.
func newServer(t *testing.T, h http.HandlerFunc) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

func gzipBytes(t *testing.T, b []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write(b); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestFetchConditionalGET(t *testing.T) {
	const etag = `"v1"`
	const lastMod = "Fri, 14 Mar 2025 09:30:00 GMT"
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("If-None-Match") == etag || r.Header.Get("If-Modified-Since") == lastMod {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", etag)
		w.Header().Set("Last-Modified", lastMod)
		w.Write([]byte(feedBody))
	})
	f := NewFetcher(FetcherOptions{})
	ctx := context.Background()

	first, err := f.Fetch(ctx, Request{URL: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	if first.NotModified || string(first.Body) != feedBody || first.Status != 200 {
		t.Fatalf("first fetch = %+v, want 200 with the body", first)
	}
	if first.ETag != etag || first.LastModified != lastMod {
		t.Errorf("validators = %q, %q, want %q, %q", first.ETag, first.LastModified, etag, lastMod)
	}
	if first.URL != srv.URL {
		t.Errorf("URL = %q, want %q", first.URL, srv.URL)
	}

	tests := []struct {
		name string
		req  Request
	}{
		{"etag", Request{URL: srv.URL, ETag: etag}},
		{"last-modified", Request{URL: srv.URL, LastModified: lastMod}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := f.Fetch(ctx, tt.req)
			if err != nil {
				t.Fatal(err)
			}
			if !got.NotModified || got.Body != nil || got.Status != http.StatusNotModified {
				t.Errorf("got NotModified=%v Body=%q Status=%d, want true, nil, 304", got.NotModified, got.Body, got.Status)
			}
			if got.ETag != tt.req.ETag || got.LastModified != tt.req.LastModified {
				t.Errorf("validators = %q, %q, want the request's %q, %q", got.ETag, got.LastModified, tt.req.ETag, tt.req.LastModified)
			}
		})
	}
}

func TestFetchHeaders(t *testing.T) {
	var got http.Header
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		got = r.Header.Clone()
		w.Write([]byte(feedBody))
	})
	tests := []struct {
		name    string
		opts    FetcherOptions
		headers map[string]string
		want    map[string]string
	}{
		{
			name: "defaults",
			want: map[string]string{"User-Agent": DefaultUserAgent, "Accept-Encoding": "gzip"},
		},
		{
			name: "configured user agent",
			opts: FetcherOptions{UserAgent: "wirewatch/1.2 (+https://github.com/wirewatch/wirewatch)"},
			want: map[string]string{"User-Agent": "wirewatch/1.2 (+https://github.com/wirewatch/wirewatch)"},
		},
		{
			name:    "per-feed headers",
			opts:    FetcherOptions{UserAgent: "wirewatch/1.2"},
			headers: map[string]string{"X-Api-Key": "s3cret", "User-Agent": "Mozilla/5.0 feed-friend"},
			want:    map[string]string{"X-Api-Key": "s3cret", "User-Agent": "Mozilla/5.0 feed-friend"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := NewFetcher(tt.opts).Fetch(context.Background(), Request{URL: srv.URL, Headers: tt.headers}); err != nil {
				t.Fatal(err)
			}
			for k, want := range tt.want {
				if v := got.Get(k); v != want {
					t.Errorf("header %s = %q, want %q", k, v, want)
				}
			}
			if a := got.Get("Accept"); !strings.Contains(a, "application/rss+xml") || !strings.Contains(a, "application/atom+xml") || !strings.Contains(a, "application/feed+json") {
				t.Errorf("Accept = %q, want RSS, Atom and JSON Feed types", a)
			}
			if got.Get("If-None-Match") != "" || got.Get("If-Modified-Since") != "" {
				t.Errorf("conditional headers sent without validators: %v", got)
			}
		})
	}
}

func TestFetchGzip(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Accept-Encoding") != "gzip" {
			http.Error(w, "want gzip", http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Encoding", "gzip")
		w.Write(gzipBytes(t, []byte(feedBody)))
	})
	got, err := NewFetcher(FetcherOptions{}).Fetch(context.Background(), Request{URL: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	if string(got.Body) != feedBody {
		t.Errorf("Body = %q, want %q", got.Body, feedBody)
	}
}

func TestFetchTooLarge(t *testing.T) {
	const limit = 64 << 10
	random := make([]byte, 2*limit)
	rand.Read(random)
	tests := []struct {
		name     string
		encoding string
		body     []byte
		length   bool // send Content-Length
	}{
		{"plain with length", "", bytes.Repeat([]byte("a"), limit+1), true},
		{"plain chunked", "", bytes.Repeat([]byte("a"), limit+1), false},
		{"gzip bomb", "gzip", gzipBytes(t, make([]byte, 128*limit)), false},
		{"gzip larger than limit compressed", "gzip", gzipBytes(t, random), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
				if tt.encoding != "" {
					w.Header().Set("Content-Encoding", tt.encoding)
				}
				if tt.length {
					w.Header().Set("Content-Length", fmt.Sprint(len(tt.body)))
				} else {
					w.(http.Flusher).Flush() // no Content-Length
				}
				w.Write(tt.body)
			})
			_, err := NewFetcher(FetcherOptions{MaxBodyBytes: limit}).Fetch(context.Background(), Request{URL: srv.URL})
			if !errors.Is(err, ErrTooLarge) {
				t.Fatalf("err = %v, want ErrTooLarge", err)
			}
			if !strings.Contains(err.Error(), fmt.Sprint(limit)) || !strings.Contains(err.Error(), srv.URL) {
				t.Errorf("err = %q, want the limit %d and the URL", err, limit)
			}
		})
	}

	t.Run("exactly the limit", func(t *testing.T) {
		body := bytes.Repeat([]byte("a"), limit)
		srv := newServer(t, func(w http.ResponseWriter, r *http.Request) { w.Write(body) })
		got, err := NewFetcher(FetcherOptions{MaxBodyBytes: limit}).Fetch(context.Background(), Request{URL: srv.URL})
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Body) != limit {
			t.Errorf("len(Body) = %d, want %d", len(got.Body), limit)
		}
	})
}

func TestFetchHTTPErrors(t *testing.T) {
	now := time.Now()
	tests := []struct {
		name       string
		status     int
		retryAfter string
		wantMsg    string
		wantRetry  time.Duration
		tolerance  time.Duration
	}{
		{name: "500", status: 500, wantMsg: "http 500 Internal Server Error"},
		{name: "404", status: 404, wantMsg: "http 404 Not Found"},
		{name: "429 seconds", status: 429, retryAfter: "7", wantMsg: "http 429 Too Many Requests", wantRetry: 7 * time.Second},
		{name: "503 http date", status: 503, retryAfter: now.Add(2 * time.Minute).UTC().Format(http.TimeFormat), wantMsg: "http 503 Service Unavailable", wantRetry: 2 * time.Minute, tolerance: 3 * time.Second},
		{name: "503 past date", status: 503, retryAfter: "Mon, 02 Jan 2006 15:04:05 GMT", wantMsg: "http 503 Service Unavailable"},
		{name: "503 garbage", status: 503, retryAfter: "soon", wantMsg: "http 503 Service Unavailable"},
		{name: "429 huge capped", status: 429, retryAfter: "9999999999", wantMsg: "http 429 Too Many Requests", wantRetry: 24 * time.Hour},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
				if tt.retryAfter != "" {
					w.Header().Set("Retry-After", tt.retryAfter)
				}
				w.WriteHeader(tt.status)
			})
			_, err := NewFetcher(FetcherOptions{}).Fetch(context.Background(), Request{URL: srv.URL})
			var herr *HTTPError
			if !errors.As(err, &herr) {
				t.Fatalf("err = %v, want *HTTPError", err)
			}
			if herr.Status != tt.status {
				t.Errorf("Status = %d, want %d", herr.Status, tt.status)
			}
			if got := herr.Error(); got != tt.wantMsg {
				t.Errorf("Error() = %q, want %q", got, tt.wantMsg)
			}
			if d := herr.RetryAfter - tt.wantRetry; d < -tt.tolerance || d > tt.tolerance {
				t.Errorf("RetryAfter = %v, want %v ± %v", herr.RetryAfter, tt.wantRetry, tt.tolerance)
			}
			if !strings.Contains(err.Error(), srv.URL) {
				t.Errorf("err = %q, want it to name %s", err, srv.URL)
			}
		})
	}
}

func TestFetchRedirects(t *testing.T) {
	var mux http.ServeMux
	mux.HandleFunc("/loop", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/loop", http.StatusFound)
	})
	mux.HandleFunc("/moved", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/feed", http.StatusMovedPermanently)
	})
	mux.HandleFunc("/feed", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(feedBody))
	})
	srv := newServer(t, mux.ServeHTTP)
	f := NewFetcher(FetcherOptions{MaxRedirects: 3})

	t.Run("followed", func(t *testing.T) {
		got, err := f.Fetch(context.Background(), Request{URL: srv.URL + "/moved"})
		if err != nil {
			t.Fatal(err)
		}
		if want := srv.URL + "/feed"; got.URL != want {
			t.Errorf("URL = %q, want %q", got.URL, want)
		}
	})
	t.Run("loop", func(t *testing.T) {
		_, err := f.Fetch(context.Background(), Request{URL: srv.URL + "/loop"})
		if err == nil || !strings.Contains(err.Error(), "redirects") {
			t.Fatalf("err = %v, want a redirect limit error", err)
		}
	})
}

func TestFetchRedirectDropsSecretHeaders(t *testing.T) {
	var got http.Header
	other := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		got = r.Header.Clone()
		w.Write([]byte(feedBody))
	})
	// 127.0.0.1 and localhost are different hosts to the client.
	target := strings.Replace(other.URL, "127.0.0.1", "localhost", 1)
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, target, http.StatusFound)
	})
	_, err := NewFetcher(FetcherOptions{}).Fetch(context.Background(), Request{
		URL: srv.URL, ETag: `"e"`, Headers: map[string]string{"X-Api-Key": "s3cret"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if v := got.Get("X-Api-Key"); v != "" {
		t.Errorf("X-Api-Key = %q after a cross-host redirect, want none", v)
	}
	if v := got.Get("If-None-Match"); v != `"e"` {
		t.Errorf("If-None-Match = %q, want it kept", v)
	}
}

func TestFetchErrorsHideHeaders(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusForbidden)
	})
	_, err := NewFetcher(FetcherOptions{}).Fetch(context.Background(), Request{
		URL: srv.URL, Headers: map[string]string{"Authorization": "Bearer s3cret-token"},
	})
	if err == nil || strings.Contains(err.Error(), "s3cret") {
		t.Errorf("err = %v, want an error without the header value", err)
	}
}

func TestFetchUnsupportedEncoding(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Encoding", "br")
		w.Write([]byte("xx"))
	})
	_, err := NewFetcher(FetcherOptions{}).Fetch(context.Background(), Request{URL: srv.URL})
	if err == nil || !strings.Contains(err.Error(), "br") {
		t.Errorf("err = %v, want an unsupported encoding error", err)
	}
}

func TestFetchTimeout(t *testing.T) {
	release := make(chan struct{})
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	})
	t.Cleanup(func() { close(release) })
	began := time.Now()
	_, err := NewFetcher(FetcherOptions{Timeout: 50 * time.Millisecond}).Fetch(context.Background(), Request{URL: srv.URL})
	var ne net.Error
	if !errors.As(err, &ne) || !ne.Timeout() {
		t.Fatalf("err = %v, want a timeout", err)
	}
	// The default timeout would end the request too, 30 s later.
	if took := time.Since(began); took > 5*time.Second {
		t.Errorf("the request ended after %v, want about 50ms", took)
	}
}

func TestFetchFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "feed.xml")
	if err := os.WriteFile(path, []byte(feedBody), 0o644); err != nil {
		t.Fatal(err)
	}
	mtime := time.Date(2025, 3, 14, 9, 30, 0, 0, time.UTC)
	if err := os.Chtimes(path, mtime, mtime); err != nil {
		t.Fatal(err)
	}
	wantLM := "Fri, 14 Mar 2025 09:30:00 GMT"
	f := NewFetcher(FetcherOptions{})

	tests := []struct {
		name    string
		url     string
		lastMod string
		wantNM  bool
	}{
		{"plain path", path, "", false},
		{"file url", "file://" + path, "", false},
		{"file url with localhost", "file://localhost" + path, "", false},
		{"changed since", path, "Thu, 13 Mar 2025 09:30:00 GMT", false},
		{"unchanged", path, wantLM, true},
		{"unchanged file url", "file://" + path, wantLM, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := f.Fetch(context.Background(), Request{URL: tt.url, LastModified: tt.lastMod})
			if err != nil {
				t.Fatal(err)
			}
			if got.LastModified != wantLM {
				t.Errorf("LastModified = %q, want %q", got.LastModified, wantLM)
			}
			if got.NotModified != tt.wantNM {
				t.Errorf("NotModified = %v, want %v", got.NotModified, tt.wantNM)
			}
			wantBody := feedBody
			if tt.wantNM {
				wantBody = ""
				if got.Body != nil {
					t.Errorf("Body = %q, want nil", got.Body)
				}
			}
			if string(got.Body) != wantBody {
				t.Errorf("Body = %q, want %q", got.Body, wantBody)
			}
		})
	}
}

// TestFetchFileRewrittenWithinASecond: a file rewritten in the second its
// last poll read it is read again (its ETag has the nanoseconds and the
// size; Last-Modified only the second).
func TestFetchFileRewrittenWithinASecond(t *testing.T) {
	path := filepath.Join(t.TempDir(), "feed.xml")
	write := func(body string, at time.Time) {
		t.Helper()
		if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(path, at, at); err != nil {
			t.Fatal(err)
		}
	}
	at := time.Date(2025, 3, 14, 9, 30, 0, 100, time.UTC)
	write(feedBody, at)
	f := NewFetcher(FetcherOptions{})
	first, err := f.Fetch(context.Background(), Request{URL: path})
	if err != nil {
		t.Fatal(err)
	}
	write(feedBody+"<!-- edited -->", at.Add(time.Millisecond))
	got, err := f.Fetch(context.Background(), Request{URL: path, ETag: first.ETag, LastModified: first.LastModified})
	if err != nil {
		t.Fatal(err)
	}
	if got.NotModified || got.LastModified != first.LastModified {
		t.Errorf("rewritten within the second: NotModified = %v (Last-Modified %q then %q), want the new body", got.NotModified, first.LastModified, got.LastModified)
	}
	again, err := f.Fetch(context.Background(), Request{URL: path, ETag: got.ETag, LastModified: got.LastModified})
	if err != nil || !again.NotModified {
		t.Errorf("unchanged since: NotModified = %v, %v; want true", again.NotModified, err)
	}
}

func TestFetchFileErrors(t *testing.T) {
	dir := t.TempDir()
	big := filepath.Join(dir, "big.xml")
	if err := os.WriteFile(big, bytes.Repeat([]byte("a"), 2048), 0o644); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(dir, "missing.xml")
	f := NewFetcher(FetcherOptions{MaxBodyBytes: 1024})

	t.Run("missing", func(t *testing.T) {
		_, err := f.Fetch(context.Background(), Request{URL: missing})
		if !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), missing) {
			t.Errorf("err = %v, want not-exist naming %s", err, missing)
		}
	})
	t.Run("missing file url", func(t *testing.T) {
		_, err := f.Fetch(context.Background(), Request{URL: "file://" + missing})
		if !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), missing) {
			t.Errorf("err = %v, want not-exist naming %s", err, missing)
		}
	})
	t.Run("too large", func(t *testing.T) {
		_, err := f.Fetch(context.Background(), Request{URL: big})
		if !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), big) {
			t.Errorf("err = %v, want ErrTooLarge naming %s", err, big)
		}
	})
	t.Run("directory", func(t *testing.T) {
		if _, err := f.Fetch(context.Background(), Request{URL: dir}); err == nil {
			t.Error("err = nil, want an error for a directory")
		}
	})
	t.Run("file url with remote host", func(t *testing.T) {
		if _, err := f.Fetch(context.Background(), Request{URL: "file://server/share/feed.xml"}); err == nil {
			t.Error("err = nil, want an error")
		}
	})
	t.Run("other scheme", func(t *testing.T) {
		if _, err := f.Fetch(context.Background(), Request{URL: "ftp://example.com/feed.xml"}); err == nil {
			t.Error("err = nil, want an error")
		}
	})
	t.Run("empty", func(t *testing.T) {
		if _, err := f.Fetch(context.Background(), Request{}); err == nil {
			t.Error("err = nil, want an error")
		}
	})
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2025, 3, 14, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name, in string
		want     time.Duration
	}{
		{"empty", "", 0},
		{"seconds", "120", 2 * time.Minute},
		{"zero", "0", 0},
		{"negative", "-5", 0},
		{"http date", "Fri, 14 Mar 2025 12:05:00 GMT", 5 * time.Minute},
		{"past date", "Fri, 14 Mar 2025 11:00:00 GMT", 0},
		{"capped", "604800", 24 * time.Hour},
		{"garbage", "tomorrow", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ParseRetryAfter(tt.in, now); got != tt.want {
				t.Errorf("ParseRetryAfter(%q) = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
}
