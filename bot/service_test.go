package bot_test

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
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
	p := bot.NewPoller(f.db, feeds.NewFetcher(feeds.FetcherOptions{}), f.p, log, time.Now)
	s := &bot.Service{DB: f.db, Poller: p, Dispatcher: f.disp, Digester: f.dig, Log: log, Now: time.Now,
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
