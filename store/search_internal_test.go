package store

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/wirewatch/wirewatch/feeds"
)

// TestBackfillIndex: items stored before the index existed are indexed
// when the database is opened.
func TestBackfillIndex(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "w.db")
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	err = db.InTx(ctx, func(tx *Tx) error {
		for i := range backfillBatch + 10 {
			sid, err := tx.CreateStory(ctx, "t", "t", at)
			if err != nil {
				return err
			}
			it := &feeds.Item{Feed: "f", ID: time.Duration(i).String(), Title: "Kabulov", Source: "x.org", Published: at}
			if _, err := tx.AddItem(ctx, it, sid, at); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// As a database of the version before: no index rows, the counter at 0.
	if _, err := db.db.ExecContext(ctx, `DELETE FROM item_fts; UPDATE counters SET value = 0 WHERE name = 'fts_backfill'`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if db, err = Open(ctx, path); err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if n, err := db.IndexRows(ctx); err != nil || n != backfillBatch+10 {
		t.Errorf("index rows after backfill: %d, %v; want %d", n, err, backfillBatch+10)
	}
}
