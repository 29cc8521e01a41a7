package monitor_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/wirewatch/wirewatch/bot"
	"github.com/wirewatch/wirewatch/bot/monitor"
	"github.com/wirewatch/wirewatch/store"
	"github.com/wirewatch/wirewatch/store/storetest"
)

func newMetrics(t *testing.T, db *store.DB, now time.Time) *monitor.Metrics {
	t.Helper()
	return monitor.New(db, monitor.Options{Feeds: []string{"tass", "tolo"}, Rules: []string{"kabulov"},
		Channels: []string{"desk", "ops"}, Version: "v1.2.3", Now: func() time.Time { return now },
		LastTick: func() time.Time { return now.Add(-time.Second) }})
}

func TestMetricsCountPollsAndDeliveries(t *testing.T) {
	db := storetest.MustOpen(t)
	now := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	m := newMetrics(t, db, now)
	ok := bot.PollResult{Items: 5, IngestResult: bot.IngestResult{New: 2, StoriesCreated: 1, StoriesGrown: 1,
		RuleHits: map[string]int{"kabulov": 2, "gone": 1}}}
	m.FeedPolled(bot.Feed{Name: "tass"}, ok, 300*time.Millisecond, nil)
	m.FeedPolled(bot.Feed{Name: "tass"}, bot.PollResult{NotModified: true}, 10*time.Millisecond, nil)
	m.FeedPolled(bot.Feed{Name: "tolo"}, bot.PollResult{}, time.Second, errors.New("http 503"))
	m.FeedPolled(bot.Feed{Name: "not-configured"}, ok, time.Second, nil)
	m.Delivered("desk", "alert", bot.DeliverySent)
	m.Delivered("desk", "update", bot.DeliverySent)
	m.Delivered("ops", "alert", bot.DeliveryPaused)
	m.Delivered("removed", "alert", bot.DeliverySent)

	want := `
# HELP wirewatch_feed_polls_total Feed polls by feed and result (ok, not_modified, error).
# TYPE wirewatch_feed_polls_total counter
wirewatch_feed_polls_total{feed="tass",result="error"} 0
wirewatch_feed_polls_total{feed="tass",result="not_modified"} 1
wirewatch_feed_polls_total{feed="tass",result="ok"} 1
wirewatch_feed_polls_total{feed="tolo",result="error"} 1
wirewatch_feed_polls_total{feed="tolo",result="not_modified"} 0
wirewatch_feed_polls_total{feed="tolo",result="ok"} 0
# HELP wirewatch_feed_items_total Items read from feeds by feed and state: new (stored now) or seen (stored before).
# TYPE wirewatch_feed_items_total counter
wirewatch_feed_items_total{feed="tass",state="new"} 2
wirewatch_feed_items_total{feed="tass",state="seen"} 3
wirewatch_feed_items_total{feed="tolo",state="new"} 0
wirewatch_feed_items_total{feed="tolo",state="seen"} 0
# HELP wirewatch_rule_hits_total Items a rule matched (muted rules' hits left out).
# TYPE wirewatch_rule_hits_total counter
wirewatch_rule_hits_total{rule="kabulov"} 2
# HELP wirewatch_stories_created_total Stories begun by a new item.
# TYPE wirewatch_stories_created_total counter
wirewatch_stories_created_total 1
# HELP wirewatch_deliveries_total Delivery attempts by channel and result (sent, failed, paused, refused).
# TYPE wirewatch_deliveries_total counter
wirewatch_deliveries_total{channel="desk",result="failed"} 0
wirewatch_deliveries_total{channel="desk",result="paused"} 0
wirewatch_deliveries_total{channel="desk",result="refused"} 0
wirewatch_deliveries_total{channel="desk",result="sent"} 2
wirewatch_deliveries_total{channel="ops",result="failed"} 0
wirewatch_deliveries_total{channel="ops",result="paused"} 1
wirewatch_deliveries_total{channel="ops",result="refused"} 0
wirewatch_deliveries_total{channel="ops",result="sent"} 0
`
	names := []string{"wirewatch_feed_polls_total", "wirewatch_feed_items_total", "wirewatch_rule_hits_total",
		"wirewatch_stories_created_total", "wirewatch_deliveries_total"}
	if err := testutil.GatherAndCompare(m.Registry(), strings.NewReader(want), names...); err != nil {
		t.Error(err)
	}
	if n, err := testutil.GatherAndCount(m.Registry(), "wirewatch_feed_fetch_duration_seconds"); err != nil || n != 1 {
		t.Errorf("fetch duration histogram: %d series, %v; want 1", n, err)
	}
}

func TestMetricsGaugesReadTheStore(t *testing.T) {
	db := storetest.MustOpen(t)
	ctx := context.Background()
	now := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	if err := db.SaveFeedState(ctx, &store.FeedState{Name: "tass", URL: "https://tass.com/rss", LastSuccess: now.Add(-time.Minute)}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.PauseChannel(ctx, "ops", "not_in_channel", now, now.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	err := db.InTx(ctx, func(tx *store.Tx) error {
		return tx.Enqueue(ctx, &store.Delivery{Channel: "desk", Kind: store.KindAlert, StoryID: 1, Created: now.Add(-90 * time.Second)})
	})
	if err != nil {
		t.Fatal(err)
	}
	m := newMetrics(t, db, now)
	want := `
# HELP wirewatch_outbox_pending_deliveries Deliveries in the outbox not sent yet.
# TYPE wirewatch_outbox_pending_deliveries gauge
wirewatch_outbox_pending_deliveries 1
# HELP wirewatch_outbox_oldest_pending_age_seconds Age of the oldest delivery not sent yet (0 when none waits).
# TYPE wirewatch_outbox_oldest_pending_age_seconds gauge
wirewatch_outbox_oldest_pending_age_seconds 90
# HELP wirewatch_channel_paused 1 when a channel is paused by a permanent error, else 0.
# TYPE wirewatch_channel_paused gauge
wirewatch_channel_paused{channel="desk"} 0
wirewatch_channel_paused{channel="ops"} 1
# HELP wirewatch_feed_last_success_timestamp_seconds When a feed was last polled successfully (Unix time; 0: never).
# TYPE wirewatch_feed_last_success_timestamp_seconds gauge
wirewatch_feed_last_success_timestamp_seconds{feed="tass"} 1.79516514e+09
wirewatch_feed_last_success_timestamp_seconds{feed="tolo"} 0
`
	names := []string{"wirewatch_outbox_pending_deliveries", "wirewatch_outbox_oldest_pending_age_seconds",
		"wirewatch_channel_paused", "wirewatch_feed_last_success_timestamp_seconds"}
	if err := testutil.GatherAndCompare(m.Registry(), strings.NewReader(want), names...); err != nil {
		t.Error(err)
	}
}

// TestMetricsLint lints the whole exposition as promtool check metrics does.
func TestMetricsLint(t *testing.T) {
	db := storetest.MustOpen(t)
	m := newMetrics(t, db, time.Now())
	m.FeedPolled(bot.Feed{Name: "tass"}, bot.PollResult{Items: 1}, time.Second, nil)
	problems, err := testutil.GatherAndLint(m.Registry())
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		t.Errorf("lint: %s: %s", p.Metric, p.Text)
	}
	// And the handler serves it.
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `wirewatch_build_info{version="v1.2.3"} 1`) {
		t.Errorf("GET /metrics = %d, body lacks the build info:\n%s", rec.Code, rec.Body.String())
	}
}

func get(t *testing.T, h http.HandlerFunc) (int, string) {
	t.Helper()
	rec := httptest.NewRecorder()
	h(rec, httptest.NewRequest(http.MethodGet, "/", nil))
	body, _ := io.ReadAll(rec.Body)
	return rec.Code, string(body)
}

func TestHealth(t *testing.T) {
	now := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	started := now.Add(-time.Hour)
	tests := []struct {
		name       string
		last       time.Time
		closed     bool
		healthz    int
		readyz     int
		wantReason string
	}{
		{name: "ticking", last: now.Add(-30 * time.Second), healthz: 200, readyz: 200},
		{name: "stuck scheduler", last: now.Add(-10 * time.Minute), healthz: 503, readyz: 503, wantReason: "scheduler: stuck, last tick 10m ago"},
		{name: "store closed", last: now.Add(-time.Second), closed: true, healthz: 503, readyz: 503, wantReason: "store:"},
		{name: "never started", healthz: 503, readyz: 503, wantReason: "scheduler: not started 1h after start"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := storetest.MustOpen(t)
			if tt.closed {
				db.Close()
			}
			h := &monitor.Health{Store: db, LastTick: func() time.Time { return tt.last }, Started: started,
				Now: func() time.Time { return now }}
			code, body := get(t, h.ServeHealthz)
			if code != tt.healthz || !strings.Contains(body, tt.wantReason) {
				t.Errorf("healthz = %d %q, want %d with %q", code, body, tt.healthz, tt.wantReason)
			}
			if code, _ := get(t, h.ServeReadyz); code != tt.readyz {
				t.Errorf("readyz = %d, want %d", code, tt.readyz)
			}
		})
	}
	// Just started: healthy (not stuck yet), not ready.
	db := storetest.MustOpen(t)
	h := &monitor.Health{Store: db, LastTick: func() time.Time { return time.Time{} }, Started: now.Add(-time.Second),
		Now: func() time.Time { return now }}
	if code, body := get(t, h.ServeHealthz); code != 200 {
		t.Errorf("healthz at start = %d %q, want 200", code, body)
	}
	if code, body := get(t, h.ServeReadyz); code != 503 || !strings.Contains(body, "starting") {
		t.Errorf("readyz at start = %d %q, want 503 starting", code, body)
	}
}

// TestMetricsFollowAReload: a reload's new feeds, rules and channels get
// their series, at zero, and the removed ones lose theirs (a removed
// feed's last success would stay, and an alert on its age fire).
func TestMetricsFollowAReload(t *testing.T) {
	db := storetest.MustOpen(t)
	ctx := context.Background()
	now := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	if err := db.SaveFeedState(ctx, &store.FeedState{Name: "tass", URL: "https://tass.com/rss", LastSuccess: now.Add(-time.Minute)}); err != nil {
		t.Fatal(err)
	}
	m := newMetrics(t, db, now)
	m.FeedPolled(bot.Feed{Name: "tass"}, bot.PollResult{Items: 1, IngestResult: bot.IngestResult{New: 1, RuleHits: map[string]int{"kabulov": 1}}}, time.Second, nil)
	m.SetNames([]string{"tolo", "amu"}, []string{"kabulov", "csto"}, []string{"desk", "matrix"})
	m.FeedPolled(bot.Feed{Name: "amu"}, bot.PollResult{Items: 2, IngestResult: bot.IngestResult{New: 2, RuleHits: map[string]int{"csto": 2}}}, time.Second, nil)
	m.FeedPolled(bot.Feed{Name: "tass"}, bot.PollResult{Items: 1}, time.Second, nil)
	m.Delivered("matrix", "alert", bot.DeliverySent)
	m.Delivered("ops", "alert", bot.DeliverySent)
	want := `
# HELP wirewatch_feed_polls_total Feed polls by feed and result (ok, not_modified, error).
# TYPE wirewatch_feed_polls_total counter
wirewatch_feed_polls_total{feed="amu",result="error"} 0
wirewatch_feed_polls_total{feed="amu",result="not_modified"} 0
wirewatch_feed_polls_total{feed="amu",result="ok"} 1
wirewatch_feed_polls_total{feed="tolo",result="error"} 0
wirewatch_feed_polls_total{feed="tolo",result="not_modified"} 0
wirewatch_feed_polls_total{feed="tolo",result="ok"} 0
# HELP wirewatch_rule_hits_total Items a rule matched (muted rules' hits left out).
# TYPE wirewatch_rule_hits_total counter
wirewatch_rule_hits_total{rule="csto"} 2
wirewatch_rule_hits_total{rule="kabulov"} 1
# HELP wirewatch_deliveries_total Delivery attempts by channel and result (sent, failed, paused, refused).
# TYPE wirewatch_deliveries_total counter
wirewatch_deliveries_total{channel="desk",result="failed"} 0
wirewatch_deliveries_total{channel="desk",result="paused"} 0
wirewatch_deliveries_total{channel="desk",result="refused"} 0
wirewatch_deliveries_total{channel="desk",result="sent"} 0
wirewatch_deliveries_total{channel="matrix",result="failed"} 0
wirewatch_deliveries_total{channel="matrix",result="paused"} 0
wirewatch_deliveries_total{channel="matrix",result="refused"} 0
wirewatch_deliveries_total{channel="matrix",result="sent"} 1
# HELP wirewatch_feed_last_success_timestamp_seconds When a feed was last polled successfully (Unix time; 0: never).
# TYPE wirewatch_feed_last_success_timestamp_seconds gauge
wirewatch_feed_last_success_timestamp_seconds{feed="amu"} 0
wirewatch_feed_last_success_timestamp_seconds{feed="tolo"} 0
`
	names := []string{"wirewatch_feed_polls_total", "wirewatch_rule_hits_total", "wirewatch_deliveries_total",
		"wirewatch_feed_last_success_timestamp_seconds"}
	if err := testutil.GatherAndCompare(m.Registry(), strings.NewReader(want), names...); err != nil {
		t.Error(err)
	}
}
