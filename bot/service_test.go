package bot_test

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/wirewatch/wirewatch/bot"
	"github.com/wirewatch/wirewatch/feeds"
)

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
		DB:         f.db,
		Poller:     bot.NewPoller(f.db, feeds.NewFetcher(feeds.FetcherOptions{}), f.p, pollerLog, f.clk.now),
		Dispatcher: bot.NewDispatcher(f.db, nil, log, f.clk.now),
		Digester:   bot.NewDigester(f.db, f.rules, time.UTC, log, f.clk.now),
		Feeds:      []bot.Feed{feed},
		Log:        log,
		Now:        f.clk.now,
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
