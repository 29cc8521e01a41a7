package bot_test

import (
	"context"
	"testing"
	"time"

	"github.com/wirewatch/wirewatch/bot"
	"github.com/wirewatch/wirewatch/bot/bottest"
)

const retention = 90 * 24 * time.Hour

// prune runs retention as the service does, at the fixture's now.
func (f *fixture) prune(t *testing.T) int64 {
	t.Helper()
	n, err := f.DB.Prune(context.Background(), f.Clock.Now().Add(-retention), f.Clock.Now())
	if err != nil {
		t.Fatalf("Prune: %v", err)
	}
	return n
}

// TestRetentionCountsFromFirstSeen is the regression test of retention
// counting from publication dates: an archive was deleted on the run after
// it was stored, found "new" again by the next poll, and re-alerted when
// max_age was longer than retention.
func TestRetentionCountsFromFirstSeen(t *testing.T) {
	f := newFixture(t, bottest.MustRule(t, "kabulov", "kabulov", bot.ModeAlert, "ops"))
	f.Feed.MaxAge = 1000 * 24 * time.Hour // longer than retention
	old := bottest.Item("1", "tass.com", headline, f.Clock.Now().Add(-200*24*time.Hour))
	if res := f.Ingest(t, old); res.New != 1 || res.Alerts != 1 {
		t.Fatalf("first ingest = %+v, want 1 new item alerted", res)
	}
	if msgs := f.Sent(t); len(msgs) != 1 {
		t.Fatalf("sent %d, want the alert", len(msgs))
	}
	// Published 200 days ago, stored today: retention keeps it.
	if n := f.prune(t); n != 0 {
		t.Fatalf("pruned %d stories stored today, want 0", n)
	}
	if res := f.Ingest(t, old); res.New != 0 {
		t.Errorf("next poll = %+v, want nothing new", res)
	}
	// Ninety days after it was stored it goes, and its feed, still
	// carrying it, does not bring it back: no new item, no second alert,
	// for as long as the feed carries it (polled every 45 days here).
	f.Clock.Advance(retention + time.Hour)
	f.prune(t)
	if list, err := f.DB.Stories(context.Background(), time.Time{}, 0); err != nil || len(list) != 0 {
		t.Fatalf("stories after retention = %d (%v), want 0", len(list), err)
	}
	for range 4 {
		if res := f.Ingest(t, old); res.New != 0 || res.Alerts != 0 {
			t.Fatalf("poll at %v after pruning = %+v, want nothing new and no alert", f.Clock.Now(), res)
		}
		if msgs := f.Sent(t); len(msgs) != 0 {
			t.Fatalf("sent %d after pruning, want 0", len(msgs))
		}
		f.Clock.Advance(retention / 2)
		f.prune(t)
	}
	// Once its feed has dropped it for a retention period, it is forgotten.
	f.Clock.Advance(retention + time.Hour)
	f.prune(t)
	if res := f.Ingest(t, old); res.New != 1 {
		t.Errorf("poll long after the feed dropped it = %+v, want it new again", res)
	}
}

// TestPruneWithRevisionsDeliveriesDigestsAndCorrections is the regression
// test of retention failing for good ("FOREIGN KEY constraint failed") once
// an edited item aged out: children are pruned before their parents.
func TestPruneWithRevisionsDeliveriesDigestsAndCorrections(t *testing.T) {
	f := newFixture(t, bottest.MustRule(t, "kabulov", "kabulov", bot.ModeAlert, "ops"),
		bottest.MustRule(t, "csto", "csto", bot.ModeDigest, "desk"))
	ctx := context.Background()
	first := bottest.Item("1", "tass.com", headline, f.Clock.Now())
	f.Ingest(t, first, bottest.Item("2", "eurasianet.org", "CSTO secretary general visits Dushanbe", f.Clock.Now()),
		bottest.Item("3", "tolonews.com", "Taliban delegation arrives in Moscow for talks", f.Clock.Now()))
	f.Sent(t)
	edited := first
	edited.Title, edited.Text, edited.Hash = headline+" (updated)", headline+" (updated)", "v2"
	if res := f.Ingest(t, edited); res.Revised != 1 {
		t.Fatalf("edit = %+v, want a revision", res)
	}
	list, err := f.DB.Stories(ctx, time.Time{}, 0)
	if err != nil || len(list) != 3 {
		t.Fatalf("stories = %d (%v), want 3", len(list), err)
	}
	var a, b int64
	for _, s := range list {
		switch s.Items[0].ID {
		case "1":
			a = s.ID
		case "3":
			b = s.ID
		}
	}
	if err := f.DB.MergeStories(ctx, a, b); err != nil {
		t.Fatalf("merge: %v", err)
	}
	f.Clock.Advance(retention + time.Hour)
	if n := f.prune(t); n != 2 {
		t.Errorf("pruned %d stories, want 2 (the digest story and the merged one)", n)
	}
	if list, err := f.DB.Stories(ctx, time.Time{}, 0); err != nil || len(list) != 0 {
		t.Errorf("stories after pruning = %d (%v), want 0", len(list), err)
	}
}

// TestPruneKeepsTheStoriesOfAWaitingDigest: a digest waiting in the outbox
// (its channel down or not configured) lists its stories in its payload,
// not in story_id, so retention deleted them and the digest went out later
// with no story in it; alerts waiting kept theirs.
func TestPruneKeepsTheStoriesOfAWaitingDigest(t *testing.T) {
	f := newFixture(t, bottest.MustRule(t, "csto", "csto", bot.ModeDigest, "later"))
	ctx := context.Background()
	f.Ingest(t, bottest.Item("1", "eurasianet.org", "CSTO secretary general visits Dushanbe", f.Clock.Now()))
	if n, _, err := f.Digester.Queue(ctx, true); err != nil || n != 1 {
		t.Fatalf("Queue = %d, %v; want 1 digest", n, err)
	}
	if res := f.Flush(t); res.Sent != 0 || res.Pending != 1 {
		t.Fatalf("flush = %+v, want the digest waiting", res)
	}
	f.Clock.Advance(retention + time.Hour)
	if n := f.prune(t); n != 0 {
		t.Errorf("pruned %d stories, want 0: the digest listing it waits", n)
	}
	f.Record("later")
	msgs := f.Sent(t)
	if len(msgs) != 1 || len(msgs[0].Stories) != 1 {
		t.Fatalf("sent %d messages (%+v), want the digest with its story", len(msgs), msgs)
	}
	// Once it is sent, the story goes with the next prune.
	f.Clock.Advance(retention + time.Hour)
	if n := f.prune(t); n != 1 {
		t.Errorf("pruned %d stories after the digest went out, want 1", n)
	}
}
