package bot_test

import (
	"context"
	"database/sql"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"github.com/robfig/cron/v3"
	_ "modernc.org/sqlite"

	"github.com/wirewatch/wirewatch/bench/farm"
	"github.com/wirewatch/wirewatch/bot"
	"github.com/wirewatch/wirewatch/bot/bottest"
	"github.com/wirewatch/wirewatch/feeds"
	"github.com/wirewatch/wirewatch/feeds/stories"
	"github.com/wirewatch/wirewatch/store/storetest"
)

// TestFaultStoreLockedDuringPoll: another process holds the database's
// write lock while a feed is polled. The poll fails cleanly (an error, no
// item stored, its validators not kept) and the next one, the lock gone,
// stores every item once and alerts them once.
func TestFaultStoreLockedDuringPoll(t *testing.T) {
	if storetest.OnPostgres() {
		t.Skip("SQLite's write lock")
	}
	fm, err := farm.Start(farm.Options{Feeds: 1, MaxItems: 8, MaxBytes: 2000})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { fm.Close() })
	path := filepath.Join(t.TempDir(), "wirewatch.db")
	db := storetest.MustOpenAt(t, path)
	log := slog.New(slog.DiscardHandler)
	rs := []bot.Rule{bottest.MustRule(t, "any", "the OR said OR of OR to OR in OR and OR a", bot.ModeAlert, "desk")}
	pipeline := bot.NewPipeline(db, stories.Exact{Window: 72 * time.Hour}, rs, log, time.Now)
	poller := bot.NewPoller(db, feeds.NewFetcher(feeds.FetcherOptions{Transport: fm.Transport()}), pipeline, log, time.Now)
	out := &bottest.Recorder{}
	disp := bot.NewDispatcher(db, rs, map[string]bot.Sender{"desk": out}, log, time.Now)
	sched, _ := cron.ParseStandard("@every 10m")
	feed := bot.Feed{Name: "f0", URL: fm.URL(0), Schedule: sched, MaxAge: 48 * time.Hour}

	other, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(0)")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { other.Close() })
	conn, err := other.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := conn.ExecContext(context.Background(), "BEGIN IMMEDIATE"); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	_, err = poller.Poll(ctx, feed)
	cancel()
	if err == nil {
		t.Fatal("a poll with the store locked succeeded")
	}
	conn.ExecContext(context.Background(), "ROLLBACK")
	conn.Close()
	var n int
	if err := other.QueryRow("SELECT COUNT(*) FROM items").Scan(&n); err != nil || n != 0 {
		t.Fatalf("after the failed poll: %d items stored (%v), want none", n, err)
	}

	res, err := poller.Poll(context.Background(), feed)
	if err != nil {
		t.Fatalf("the poll after the lock: %v", err)
	}
	if res.NotModified || res.New == 0 || res.New != res.Items {
		t.Errorf("the poll after the lock: got %d new of %d items (not modified: %v), want all new", res.New, res.Items, res.NotModified)
	}
	if _, err := disp.Flush(context.Background(), false); err != nil {
		t.Fatal(err)
	}
	sent := len(out.Msgs)
	if _, err := poller.Poll(context.Background(), feed); err != nil {
		t.Fatal(err)
	}
	disp.Flush(context.Background(), false)
	if sent == 0 || len(out.Msgs) != sent {
		t.Errorf("got %d messages, then %d after another poll, want some, then no more", sent, len(out.Msgs))
	}
}
