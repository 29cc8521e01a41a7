package bot_test

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wirewatch/wirewatch/bot"
	"github.com/wirewatch/wirewatch/feeds"
)

// neverSchedule is a cron schedule with no next time, as "0 0 30 2 *" is.
type neverSchedule struct{}

func (neverSchedule) Next(time.Time) time.Time { return time.Time{} }

// soonSchedule fires a millisecond after any time.
type soonSchedule struct{}

func (soonSchedule) Next(t time.Time) time.Time { return t.Add(time.Millisecond) }

// TestRunNeverSpinsOnScheduleWithoutNextTime is the regression test of a
// cron spec that never fires: run polled that feed in a tight loop. Another
// feed, polled every millisecond, is the yardstick: by its fifth poll the
// never-firing feed must have been polled once (at start) and no more.
func TestRunNeverSpinsOnScheduleWithoutNextTime(t *testing.T) {
	var neverHits atomic.Int32
	yard := make(chan struct{}, 100)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/never.rss" {
			neverHits.Add(1)
		} else {
			select {
			case yard <- struct{}{}:
			default:
			}
		}
		w.Write([]byte(`<rss version="2.0"><channel><title>t</title></channel></rss>`))
	}))
	t.Cleanup(srv.Close)
	f := newFixture(t)
	log := slog.New(slog.DiscardHandler)
	p := bot.NewPoller(f.DB, feeds.NewFetcher(feeds.FetcherOptions{}), f.Pipeline, log, time.Now)
	s := &bot.Service{DB: f.DB, Poller: p, Dispatcher: f.Dispatcher, Digester: f.Digester, Log: log, Now: time.Now,
		Feeds: []bot.Feed{
			{Name: "never", URL: srv.URL + "/never.rss", Schedule: neverSchedule{}, MaxAge: time.Hour},
			{Name: "yardstick", URL: srv.URL + "/yard.rss", Schedule: soonSchedule{}, MaxAge: time.Hour},
		}}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	for range 5 {
		<-yard
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if n := neverHits.Load(); n != 1 {
		t.Errorf("the never-firing feed was polled %d times, want 1 (at start)", n)
	}
}

// TestOnceLogsAFailedPollOnce: the poller records a failure and returns it;
// the service, which handles it, logs it — one line, naming the feed.
func TestOnceLogsAFailedPollOnce(t *testing.T) {
	fs, srv := newFeedServer(t)
	fs.serve(http.StatusServiceUnavailable, "", "", "down")
	f, _, feed := newPoller(t, srv)
	var logs, pollerLogs bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logs, nil))
	pollerLog := slog.New(slog.NewTextHandler(&pollerLogs, nil))
	svc := &bot.Service{
		DB:         f.DB,
		Poller:     bot.NewPoller(f.DB, feeds.NewFetcher(feeds.FetcherOptions{}), f.Pipeline, pollerLog, f.Clock.Now),
		Dispatcher: bot.NewDispatcher(f.DB, f.Rules, nil, log, f.Clock.Now),
		Digester:   bot.NewDigester(f.DB, f.Rules, time.UTC, log, f.Clock.Now),
		Feeds:      []bot.Feed{feed},
		Log:        log,
		Now:        f.Clock.Now,
	}
	res, err := svc.Once(context.Background(), false)
	if err != nil {
		t.Fatalf("Once: %v", err)
	}
	if res.FeedsFailed != 1 || res.FeedsOK != 0 {
		t.Errorf("Once = %d ok, %d failed; want 0 and 1", res.FeedsOK, res.FeedsFailed)
	}
	if got := strings.Count(logs.String(), "feed poll failed"); got != 1 {
		t.Errorf("%d log lines say the poll failed, want 1:\n%s", got, logs.String())
	}
	if pollerLogs.Len() > 0 {
		t.Errorf("the poller logged what it returned:\n%s", pollerLogs.String())
	}
	for _, want := range []string{"feed=f ", "failures=1", "retry_at="} {
		if !strings.Contains(logs.String(), want) {
			t.Errorf("log lacks %q:\n%s", want, logs.String())
		}
	}
}
