package farm

import (
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"
)

func TestFarmServesFeedsAnd304(t *testing.T) {
	f, err := Start(Options{Feeds: 6, MaxItems: 20, MaxBytes: 2000})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	client := &http.Client{Transport: f.Transport(), Timeout: 10 * time.Second}
	get := func(i int, etag string) (*http.Response, []byte) {
		t.Helper()
		return getFeed(t, client, f.URL(i), etag)
	}
	for i := range 6 {
		resp, body := get(i, "")
		if resp.StatusCode != 200 {
			t.Fatalf("feed %d: got status %d, want 200", i, resp.StatusCode)
		}
		parsed, err := gofeed.NewParser().ParseString(string(body))
		if err != nil {
			t.Fatalf("feed %d (%s): %v", i, Format(i%3), err)
		}
		if n := len(parsed.Items); n < 5 || n > 20 {
			t.Errorf("feed %d: got %d items, want 5 to 20", i, n)
		}
		if resp2, _ := get(i, resp.Header.Get("ETag")); resp2.StatusCode != http.StatusNotModified {
			t.Errorf("feed %d unchanged: got status %d, want 304", i, resp2.StatusCode)
		}
	}
	resp, _ := get(0, "")
	etag := resp.Header.Get("ETag")
	if got := f.Advance(1, 2); got != 12 {
		t.Errorf("Advance: got %d items, want 12", got)
	}
	if resp, _ := get(0, etag); resp.StatusCode != 200 {
		t.Errorf("after Advance: got status %d, want 200", resp.StatusCode)
	}
	f.SetFault(1, NotFound)
	if resp, _ := get(1, ""); resp.StatusCode != 404 {
		t.Errorf("NotFound fault: got status %d", resp.StatusCode)
	}
	f.SetFault(2, GUIDChurn)
	_, a := get(2, "")
	_, b := get(2, "")
	if string(a) == string(b) || !strings.Contains(string(b), "?v=2") {
		t.Errorf("GUIDChurn: the document did not change GUIDs")
	}
	hs := f.HostStats()
	if got := hs[Host(0)].Requests; got != 4 {
		t.Errorf("requests to %s: got %d, want 4", Host(0), got)
	}
}

// TestFarmFaultsIgnoreValidators: a fault happens to a client that sends
// the feed's last ETag too, and a failed request is no 304 in the stats.
func TestFarmFaultsIgnoreValidators(t *testing.T) {
	f, err := Start(Options{Feeds: 1, MaxItems: 5, MaxBytes: 1000})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	client := &http.Client{Transport: f.Transport(), Timeout: 10 * time.Second}
	get := func(etag string) (*http.Response, []byte) { t.Helper(); return getFeed(t, client, f.URL(0), etag) }
	resp, _ := get("")
	etag := resp.Header.Get("ETag")
	f.SetFault(0, Malformed)
	if resp, body := get(etag); resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "not a feed") {
		t.Errorf("Malformed, asked with the last ETag: got status %d, %q, want 200 and a broken document", resp.StatusCode, body)
	}
	for _, tc := range []struct {
		fault  Fault
		status int
	}{{NotFound, 404}, {ServerError, 500}, {TooMany, 429}} {
		f.SetFault(0, tc.fault)
		f.ResetStats()
		if resp, _ := get(etag); resp.StatusCode != tc.status {
			t.Errorf("fault %d: got status %d, want %d", tc.fault, resp.StatusCode, tc.status)
		}
		if n := f.Stats().NotModified; n != 0 {
			t.Errorf("fault %d: %d requests counted not modified, want 0", tc.fault, n)
		}
	}
}

// getFeed requests url with client, with If-None-Match: etag when set,
// and returns the response and its body.
func getFeed(t *testing.T, client *http.Client, url, etag string) (*http.Response, []byte) {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	if etag != "" {
		req.Header.Set("If-None-Match", etag)
	}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, b
}
