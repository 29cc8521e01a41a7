package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/wirewatch/wirewatch/cli"
)

// scrape reads the exposition at addr as series → value, the series as
// printed (`name{label="v",…}`).
func scrape(t *testing.T, addr string) map[string]float64 {
	t.Helper()
	resp, err := http.Get("http://" + addr + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /metrics = %s", resp.Status)
	}
	out := map[string]float64{}
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		i := strings.LastIndexByte(line, ' ')
		v, err := strconv.ParseFloat(line[i+1:], 64)
		if err != nil {
			t.Fatalf("exposition line %q: %v", line, err)
		}
		out[line[:i]] = v
	}
	return out
}

func httpGet(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		return 0, err.Error()
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// TestMetricsAfterPollAndDelivery runs the daemon with [http] listen,
// waits for its first polls and their alert, and reads the counters they
// moved on /metrics; /healthz and /readyz answer 200 meanwhile.
func TestMetricsAfterPollAndDelivery(t *testing.T) {
	srv := newNewsServer(t)
	now := time.Now().UTC()
	for p, body := range storyFeeds(now) {
		srv.set(p, body)
	}
	srv.fail["/down.xml"] = http.StatusBadGateway
	dir := t.TempDir()
	out := filepath.Join(dir, "alerts.jsonl")
	addr := freeAddr(t)
	// Polled once at start, then on the first of January: one poll each.
	cfg := writeConfig(t, dir, srv.URL, []string{"/tass.xml", "/tolo.xml", "/afgtimes.xml", "/down.xml"}, out,
		fmt.Sprintf("\n[http]\nlisten = %q\n", addr))
	body, _ := os.ReadFile(cfg)
	os.WriteFile(cfg, []byte(strings.Replace(string(body), `schedule = "@every 1s"`, `schedule = "0 0 1 1 *"`, 1)), 0o644)

	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int)
	go func() { done <- exitStatus(cli.Run(ctx, []string{"run", "-config", cfg}, io.Discard, io.Discard)) }()
	defer func() {
		cancel()
		if code := <-done; code != exitOK {
			t.Errorf("run exit = %d, want 0", code)
		}
	}()

	var m map[string]float64
	deadline := time.Now().Add(30 * time.Second)
	for {
		if code, _ := httpGet(t, "http://"+addr+"/readyz"); code == http.StatusOK {
			m = scrape(t, addr)
			if m[`wirewatch_deliveries_total{channel="out",result="sent"}`] >= 1 &&
				m[`wirewatch_feed_polls_total{feed="down",result="error"}`] >= 1 &&
				m[`wirewatch_feed_polls_total{feed="afgtimes",result="ok"}`] >= 1 &&
				// The four feeds share a host: polite fetches space them out.
				m[`wirewatch_feed_polls_total{feed="tass",result="ok"}`] >= 1 &&
				m[`wirewatch_feed_polls_total{feed="tolo",result="ok"}`] >= 1 {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("no polls and delivery on /metrics after 30s: %v", m)
		}
		time.Sleep(50 * time.Millisecond)
	}
	// A poll is counted after what it did, but a scrape reads the series
	// in no order: one that saw the last poll may have read its rule hits
	// before they were added. A scrape after it sees them all.
	m = scrape(t, addr)
	want := map[string]float64{
		`wirewatch_feed_polls_total{feed="tass",result="ok"}`:        1,
		`wirewatch_feed_polls_total{feed="tolo",result="ok"}`:        1,
		`wirewatch_feed_polls_total{feed="afgtimes",result="ok"}`:    1,
		`wirewatch_feed_polls_total{feed="down",result="error"}`:     1,
		`wirewatch_feed_polls_total{feed="down",result="ok"}`:        0,
		`wirewatch_feed_items_total{feed="tolo",state="new"}`:        2,
		`wirewatch_feed_items_total{feed="tass",state="new"}`:        1,
		`wirewatch_rule_hits_total{rule="kabulov"}`:                  3,
		`wirewatch_rule_hits_total{rule="csto"}`:                     0,
		`wirewatch_stories_created_total`:                            2, // Kabulov, and the football
		`wirewatch_stories_updated_total`:                            2, // Kabulov's other two outlets
		`wirewatch_deliveries_total{channel="out",result="failed"}`:  0,
		`wirewatch_channel_paused{channel="out"}`:                    0,
		`wirewatch_feed_fetch_duration_seconds_count`:                4,
		`wirewatch_feed_last_success_timestamp_seconds{feed="down"}`: 0,
	}
	for series, v := range want {
		if got, ok := m[series]; !ok || got != v {
			t.Errorf("%s = %v (present: %v), want %v", series, got, ok, v)
		}
	}
	// The alert, and perhaps an update: every delivery sent, none waiting.
	if got := m[`wirewatch_deliveries_total{channel="out",result="sent"}`]; got < 1 {
		t.Errorf("deliveries sent = %v, want at least 1", got)
	}
	if got := m[`wirewatch_feed_last_success_timestamp_seconds{feed="tass"}`]; got < float64(now.Unix()-1) {
		t.Errorf("tass last success = %v, want about %d", got, now.Unix())
	}
	for _, path := range []string{"/healthz", "/readyz"} {
		if code, body := httpGet(t, "http://"+addr+path); code != http.StatusOK || strings.TrimSpace(body) != "ok" {
			t.Errorf("GET %s = %d %q, want 200 ok", path, code, body)
		}
	}
}
