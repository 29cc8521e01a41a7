package store_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/wirewatch/wirewatch/feeds"
	"github.com/wirewatch/wirewatch/store/storetest"

	"github.com/wirewatch/wirewatch/store"
)

func TestMigrateIsIdempotent(t *testing.T) {
	path := filepath.Join(t.TempDir(), "w.db")
	ctx := context.Background()
	for i := 0; i < 2; i++ {
		db, err := store.Open(ctx, path)
		if err != nil {
			t.Fatalf("open %d: %v", i, err)
		}
		v, err := db.SchemaVersion(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if v < 1 {
			t.Errorf("open %d: schema version = %d, want >= 1", i, v)
		}
		db.Close()
	}
}

func TestPruneKeepsRecentAndUnsent(t *testing.T) {
	db := storetest.MustOpen(t)
	ctx := context.Background()
	now := time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)
	add := func(id string, at time.Time, unsent bool) int64 {
		var storyID int64
		err := db.InTx(ctx, func(tx *store.Tx) error {
			var err error
			if storyID, err = addItem(ctx, tx, 0, id, at, at); err != nil {
				return err
			}
			if unsent {
				return tx.Enqueue(ctx, &store.Delivery{Channel: "c", Kind: store.KindAlert, StoryID: storyID, Created: at})
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		return storyID
	}
	old := add("old", now.Add(-100*24*time.Hour), false)
	waiting := add("waiting", now.Add(-100*24*time.Hour), true)
	recent := add("recent", now.Add(-time.Hour), false)

	n, err := db.Prune(ctx, now.Add(-90*24*time.Hour), now)
	if err != nil {
		t.Fatal(err)
	}
	if n != 1 {
		t.Errorf("pruned %d stories, want 1", n)
	}
	if _, err := db.Story(ctx, old); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("old story: err = %v, want ErrNotFound", err)
	}
	for _, id := range []int64{waiting, recent} {
		s, err := db.Story(ctx, id)
		if err != nil {
			t.Fatalf("story %d: %v", id, err)
		}
		if len(s.Items) != 1 {
			t.Errorf("story %d has %d items, want 1", id, len(s.Items))
		}
	}
}

// TestScanHoldsNoConnectionWhileCalling is the regression test of a chat
// search over years holding the only SQLite connection for its whole scan,
// stalling polls: while the scan's callback runs, a write goes through.
func TestScanHoldsNoConnectionWhileCalling(t *testing.T) {
	db := storetest.MustOpen(t)
	ctx := context.Background()
	at := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	for i := range 600 {
		err := db.InTx(ctx, func(tx *store.Tx) error {
			id, err := tx.CreateStory(ctx, "s", "", at)
			if err != nil {
				return err
			}
			it := &feeds.Item{Feed: "f", ID: fmt.Sprint(i), URL: fmt.Sprintf("https://x.org/%d", i), Title: "t", Source: "x.org",
				Published: at.Add(-time.Duration(i) * time.Minute)}
			_, err = tx.AddItem(ctx, it, nil, id, at)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	seen := map[string]bool{}
	err := db.ScanItems(ctx, time.Time{}, func(it *store.Item) error {
		if seen[it.ID] {
			t.Fatalf("item %s scanned twice", it.ID)
		}
		seen[it.ID] = true
		if len(seen) == 1 || len(seen) == 300 {
			wctx, cancel := context.WithTimeout(ctx, 5*time.Second)
			defer cancel()
			if err := db.InTx(wctx, func(tx *store.Tx) error {
				_, err := tx.CreateStory(wctx, "written during the scan", "", at)
				return err
			}); err != nil {
				t.Fatalf("write during the scan: %v", err)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(seen) != 600 {
		t.Errorf("scanned %d items, want 600", len(seen))
	}
}

// TestPruneKeepsTheAlertsOfLiveStories: retention deletes the sent
// deliveries of stories it deletes, not the alert of a story that goes on
// (an item stored within the period): its updates edit that alert or
// reply in its thread (AlertRemoteID), and a reply to it in chat names the
// story (StoryOfMessage).
func TestPruneKeepsTheAlertsOfLiveStories(t *testing.T) {
	db := storetest.MustOpen(t)
	ctx := context.Background()
	now := time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)
	long := now.Add(-100 * 24 * time.Hour)
	var live, old int64
	err := db.InTx(ctx, func(tx *store.Tx) error {
		var err error
		if live, err = addItem(ctx, tx, 0, "first", long, long); err != nil {
			return err
		}
		if old, err = addItem(ctx, tx, 0, "old", long, long); err != nil {
			return err
		}
		for _, id := range []int64{live, old} {
			if err := tx.Enqueue(ctx, &store.Delivery{Channel: "c", Kind: store.KindAlert, StoryID: id, Created: long}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	due, err := db.DueDeliveries(ctx, long)
	if err != nil || len(due) != 2 {
		t.Fatalf("due: %v, %v; want 2", due, err)
	}
	for _, d := range due {
		if err := db.MarkSent(ctx, d.ID, fmt.Sprintf("ts-%d", d.StoryID), long); err != nil {
			t.Fatal(err)
		}
	}
	// The story goes on: an item stored an hour ago.
	err = db.InTx(ctx, func(tx *store.Tx) error {
		_, err := addItem(ctx, tx, live, "latest", now.Add(-time.Hour), now.Add(-time.Hour))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if n, err := db.Prune(ctx, now.Add(-90*24*time.Hour), now); err != nil || n != 1 {
		t.Fatalf("prune: %d stories, %v; want 1", n, err)
	}
	if remote, err := db.AlertRemoteID(ctx, "c", live); err != nil || remote != fmt.Sprintf("ts-%d", live) {
		t.Errorf("alert of the live story: %q, %v; want ts-%d", remote, err, live)
	}
	if id, err := db.StoryOfMessage(ctx, fmt.Sprintf("ts-%d", live)); err != nil || id != live {
		t.Errorf("story of the live story's alert: %d, %v; want %d", id, err, live)
	}
	if _, err := db.StoryOfMessage(ctx, fmt.Sprintf("ts-%d", old)); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("story of the pruned story's alert: err = %v, want ErrNotFound", err)
	}
}
