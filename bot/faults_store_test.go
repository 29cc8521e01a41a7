package bot_test

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/wirewatch/wirewatch/bench/farm"
	"github.com/wirewatch/wirewatch/bot"
	"github.com/wirewatch/wirewatch/bot/bottest"
	"github.com/wirewatch/wirewatch/bot/schedule"
	"github.com/wirewatch/wirewatch/feeds"
	"github.com/wirewatch/wirewatch/feeds/stories"
	"github.com/wirewatch/wirewatch/store"
	"github.com/wirewatch/wirewatch/store/storetest"
)

// onceRig is a few farm feeds, and any others a test adds, polled by
// schedule.Service.Once into a store whose one rule matches nearly every
// text, delivering to a recorder.
type onceRig struct {
	farm *farm.Farm
	db   *store.DB
	path string
	svc  *schedule.Service
	out  *bottest.Recorder
	log  *bottest.SyncBuffer
}

func newOnceRig(t *testing.T, farmFeeds int, rt http.RoundTripper, extra ...bot.Feed) *onceRig {
	t.Helper()
	fm, err := farm.Start(farm.Options{Feeds: farmFeeds, MaxItems: 8, MaxBytes: 2000})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { fm.Close() })
	if rt == nil {
		rt = fm.Transport()
	}
	r := &onceRig{farm: fm, out: &bottest.Recorder{}, log: &bottest.SyncBuffer{}}
	r.path = filepath.Join(t.TempDir(), "wirewatch.db")
	r.db = storetest.MustOpenAt(t, r.path)
	log := slog.New(slog.NewTextHandler(r.log, nil))
	rs := []bot.Rule{bottest.MustRule(t, "any", "the OR said OR of OR to OR in OR and OR a", bot.ModeAlert, "desk")}
	now := func() time.Time { return time.Now().UTC() }
	pipeline := bot.NewPipeline(r.db, stories.Exact{Window: 72 * time.Hour}, rs, log, now)
	poller := bot.NewPoller(r.db, feeds.NewFetcher(feeds.FetcherOptions{Transport: rt}), pipeline, log, now)
	sched, _ := cron.ParseStandard("@every 10m")
	var fl []bot.Feed
	for i := range farmFeeds {
		fl = append(fl, bot.Feed{Name: fmt.Sprintf("f%d", i), URL: fm.URL(i), Schedule: sched, MaxAge: 48 * time.Hour})
	}
	for _, f := range extra {
		f.Schedule, f.MaxAge = sched, 48*time.Hour
		fl = append(fl, f)
	}
	r.svc = &schedule.Service{DB: r.db, Poller: poller,
		Dispatcher: bot.NewDispatcher(r.db, rs, map[string]bot.Sender{"desk": r.out}, log, now),
		Digester:   schedule.NewDigester(r.db, rs, time.UTC, log, now), Feeds: fl, Log: log, Now: now}
	return r
}

// hostRouter sends requests for one host to a transport of its own, the
// rest to the farm.
type hostRouter struct {
	host  string
	to    atomic.Pointer[http.RoundTripper]
	other http.RoundTripper
}

func (h *hostRouter) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.URL.Host == h.host {
		return (*h.to.Load()).RoundTrip(req)
	}
	return h.other.RoundTrip(req)
}

// TestFaultTLSUntrustedCertificate: one feed's server presents a
// certificate no authority signed, beside good feeds. Its poll fails with
// the certificate named in the log and its state, a retry is scheduled and
// made on the next run; the other feeds are stored and delivered; once
// the certificate is trusted, the feed's items come in.
func TestFaultTLSUntrustedCertificate(t *testing.T) {
	var handshakes atomic.Int64
	doc := `<?xml version="1.0"?><rss version="2.0"><channel><title>Secure</title><link>https://secure.example/</link>
<item><guid>s-1</guid><title>The minister said the talks would go on</title><link>https://secure.example/1</link>
<description>The minister said the talks in the capital would go on.</description><pubDate>` +
		time.Now().UTC().Add(-time.Hour).Format(time.RFC1123Z) + `</pubDate></item></channel></rss>`
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprint(w, doc)
	}))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			handshakes.Add(1)
		}
	}
	srv.StartTLS()
	t.Cleanup(srv.Close)
	fmFeeds := 3
	router := &hostRouter{host: strings.TrimPrefix(srv.URL, "https://")}
	var untrusting http.RoundTripper = &http.Transport{}
	router.to.Store(&untrusting)
	r := newOnceRig(t, fmFeeds, router, bot.Feed{Name: "secure", URL: srv.URL + "/feed"})
	router.other = r.farm.Transport()
	ctx := context.Background()

	res, err := r.svc.Once(ctx, false)
	if err != nil {
		t.Fatal(err)
	}
	if res.FeedsOK != fmFeeds || res.FeedsFailed != 1 {
		t.Fatalf("first run: %d feeds ok, %d failed, want %d and 1", res.FeedsOK, res.FeedsFailed, fmFeeds)
	}
	if !strings.Contains(r.log.String(), "feed poll failed") || !strings.Contains(r.log.String(), "feed=secure") ||
		!strings.Contains(r.log.String(), "certificate") {
		t.Errorf("the log does not name the feed and its certificate error:\n%s", r.log.String())
	}
	st, err := r.db.FeedState(ctx, "secure")
	if err != nil {
		t.Fatal(err)
	}
	if st.Failures != 1 || !strings.Contains(st.LastError, "certificate") || !st.NextPoll.After(st.LastAttempt) {
		t.Errorf("secure's state: %d failures, error %q, next poll %v after attempt %v; want 1, the certificate, a retry",
			st.Failures, st.LastError, st.NextPoll, st.LastAttempt)
	}
	for i := range fmFeeds {
		if st, err := r.db.FeedState(ctx, fmt.Sprintf("f%d", i)); err != nil || st.Failures != 0 || st.ItemCount == 0 {
			t.Errorf("farm feed %d: state %+v (%v), want items and no failure", i, st, err)
		}
	}
	sent := len(r.out.Msgs)
	if sent == 0 {
		t.Fatal("the good feeds delivered nothing")
	}

	// The next run tries again, and fails again.
	before := handshakes.Load()
	if res, err := r.svc.Once(ctx, false); err != nil || res.FeedsFailed != 1 {
		t.Fatalf("second run: %+v, %v; want secure failed again", res, err)
	}
	if handshakes.Load() == before {
		t.Error("the second run did not try the feed again")
	}
	if st, _ := r.db.FeedState(ctx, "secure"); st.Failures != 2 {
		t.Errorf("after the second run: %d failures, want 2", st.Failures)
	}

	// Its certificate trusted, the feed's item comes in and is delivered.
	trusting := srv.Client().Transport
	router.to.Store(&trusting)
	if res, err := r.svc.Once(ctx, false); err != nil || res.FeedsFailed != 0 {
		t.Fatalf("trusted: %+v, %v; want every feed ok", res, err)
	}
	if st, _ := r.db.FeedState(ctx, "secure"); st.Failures != 0 || st.ItemCount != 1 {
		t.Errorf("trusted: secure has %d failures, %d items, want 0 and 1", st.Failures, st.ItemCount)
	}
	if len(r.out.Msgs) != sent+1 {
		t.Errorf("trusted: %d messages after %d, want one more (secure's)", len(r.out.Msgs), sent)
	}
}

// TestFaultDiskFullDuringPoll: the store's writes fail part way through a
// poll (SQLite's "database or disk is full", raised by a trigger once a few
// of the poll's items are in: a write path that fails on demand, without
// filling a disk). The poll fails cleanly: nothing of it is stored or
// queued and its validators are not kept, so the next poll, the space
// back, gets the whole document again, stores every item once and alerts
// each once.
func TestFaultDiskFullDuringPoll(t *testing.T) {
	if storetest.OnPostgres() {
		t.Skip("the full disk is a trigger in the SQLite file")
	}
	r := newFarmRig(t)
	path := filepath.Join(t.TempDir(), "wirewatch.db")
	db := storetest.MustOpenAt(t, path)
	log := slog.New(slog.DiscardHandler)
	rs := []bot.Rule{bottest.MustRule(t, "any", "the OR said OR of OR to OR in OR and OR a", bot.ModeAlert, "desk")}
	clock := func() time.Time { return r.now }
	pipeline := bot.NewPipeline(db, stories.Exact{Window: 72 * time.Hour}, rs, log, clock)
	poller := bot.NewPoller(db, feeds.NewFetcher(feeds.FetcherOptions{Transport: r.farm.Transport()}), pipeline, log, clock)
	disp := bot.NewDispatcher(db, rs, map[string]bot.Sender{"desk": r.out}, log, clock)
	raw, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { raw.Close() })
	count := func(table string) int {
		var n int
		if err := raw.QueryRow("SELECT COUNT(*) FROM " + table).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if _, err := raw.Exec(`CREATE TRIGGER disk_full BEFORE INSERT ON items WHEN (SELECT COUNT(*) FROM items) >= 2
		BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END`); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()

	res, err := poller.Poll(ctx, r.feed)
	if err == nil || !strings.Contains(err.Error(), "disk is full") {
		t.Fatalf("a poll with the disk full: %v, want the store's error", err)
	}
	if res.Failures != 1 || !res.RetryAt.After(r.now) {
		t.Errorf("the failed poll: %d failures, retry at %v; want 1 and a retry", res.Failures, res.RetryAt)
	}
	if n := count("items"); n != 0 {
		t.Errorf("after the failed poll: %d items stored, want none", n)
	}
	if n := count("deliveries"); n != 0 {
		t.Errorf("after the failed poll: %d deliveries queued, want none", n)
	}
	if st, err := db.FeedState(ctx, r.feed.Name); err != nil || st.ETag != "" || st.ItemCount != 0 {
		t.Errorf("after the failed poll: state %+v (%v), want no validators kept, no items", st, err)
	}

	if _, err := raw.Exec(`DROP TRIGGER disk_full`); err != nil {
		t.Fatal(err)
	}
	r.now = r.now.Add(10 * time.Minute)
	res, err = poller.Poll(ctx, r.feed)
	if err != nil {
		t.Fatalf("the poll after: %v", err)
	}
	if res.NotModified || res.New == 0 || res.New != res.Items || count("items") != res.Items {
		t.Errorf("the poll after: %d new of %d items, %d stored (not modified: %v), want all", res.New, res.Items, count("items"), res.NotModified)
	}
	if _, err := disp.Flush(ctx, false); err != nil {
		t.Fatal(err)
	}
	sent := len(r.out.Msgs)
	r.now = r.now.Add(10 * time.Minute)
	if _, err := poller.Poll(ctx, r.feed); err != nil {
		t.Fatal(err)
	}
	disp.Flush(ctx, false)
	if sent == 0 || len(r.out.Msgs) != sent {
		t.Errorf("got %d messages, then %d after another poll, want some, then no more", sent, len(r.out.Msgs))
	}
}

// TestFaultDiskFullDuringOnce: in `once`, the store's writes fail for one
// feed's items (the trigger as above). Its poll fails cleanly — none of its
// items stored, its state not saved but for the failure — while the other
// feeds' items, ingested in the same batch, are stored and delivered; the
// next run, the space back, stores its items and alerts them once.
func TestFaultDiskFullDuringOnce(t *testing.T) {
	if storetest.OnPostgres() {
		t.Skip("the full disk is a trigger in the SQLite file")
	}
	r := newOnceRig(t, 3, nil)
	raw, err := sql.Open("sqlite", "file:"+r.path+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { raw.Close() })
	itemsOf := func(feed string) int {
		var n int
		if err := raw.QueryRow("SELECT COUNT(*) FROM items WHERE feed = ?", feed).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if _, err := raw.Exec(`CREATE TRIGGER disk_full BEFORE INSERT ON items WHEN NEW.feed = 'f1'
		BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END`); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	res, err := r.svc.Once(ctx, false)
	if err != nil {
		t.Fatal(err)
	}
	if res.FeedsOK != 2 || res.FeedsFailed != 1 {
		t.Fatalf("with f1's writes failing: %d feeds ok, %d failed, want 2 and 1", res.FeedsOK, res.FeedsFailed)
	}
	if n := itemsOf("f1"); n != 0 {
		t.Errorf("f1 has %d items stored, want none", n)
	}
	if st, err := r.db.FeedState(ctx, "f1"); err != nil || st.Failures != 1 || st.ETag != "" || !strings.Contains(st.LastError, "disk is full") {
		t.Errorf("f1's state %+v (%v), want one failure, the store's error, no validators", st, err)
	}
	for _, f := range []string{"f0", "f2"} {
		if itemsOf(f) == 0 {
			t.Errorf("%s has no items stored", f)
		}
	}
	sent := len(r.out.Msgs)
	if sent == 0 {
		t.Fatal("the other feeds delivered nothing")
	}

	if _, err := raw.Exec(`DROP TRIGGER disk_full`); err != nil {
		t.Fatal(err)
	}
	if res, err := r.svc.Once(ctx, false); err != nil || res.FeedsFailed != 0 {
		t.Fatalf("the space back: %+v, %v; want every feed ok", res, err)
	}
	st, err := r.db.FeedState(ctx, "f1")
	if err != nil {
		t.Fatal(err)
	}
	if n := itemsOf("f1"); n == 0 || int64(n) != st.ItemCount || st.Failures != 0 {
		t.Errorf("the space back: f1 has %d items stored, its state %d and %d failures; want all, counted, none", n, st.ItemCount, st.Failures)
	}
	again := len(r.out.Msgs)
	if again == sent {
		t.Error("f1's items were not delivered")
	}
	if _, err := r.svc.Once(ctx, false); err != nil {
		t.Fatal(err)
	}
	if len(r.out.Msgs) != again {
		t.Errorf("a third run sent %d more messages, want none", len(r.out.Msgs)-again)
	}
}
