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

// TestReadPoolLetsPollsCommit: a lookup's read, its statement open on the
// read pool, does not keep a transaction from committing (WAL).
func TestReadPoolLetsPollsCommit(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "w.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	add := func(id string) {
		err := db.InTx(ctx, func(tx *Tx) error {
			sid, err := tx.CreateStory(ctx, id, id, time.Now())
			if err != nil {
				return err
			}
			_, err = tx.AddItem(ctx, &feeds.Item{Feed: "f", ID: id, Title: "Kabulov " + id, Source: "x.org", Published: time.Now()}, sid, time.Now())
			return err
		})
		if err != nil {
			t.Fatalf("add %s: %v", id, err)
		}
	}
	add("a")
	add("b")
	rows, err := db.ro.QueryContext(ctx, `SELECT id FROM items`)
	if err != nil {
		t.Fatal(err)
	}
	if !rows.Next() { // the read is under way, mid-scan
		t.Fatal("no rows")
	}
	add("c") // commits while the read holds its snapshot
	n := 1
	for rows.Next() {
		n++
	}
	rows.Close()
	if n != 2 {
		t.Errorf("the open read saw %d items, want its snapshot's 2", n)
	}
	if rows, err := db.IndexRows(ctx); err != nil || rows != 3 {
		t.Errorf("after it: %d index rows, %v; want 3", rows, err)
	}
}
