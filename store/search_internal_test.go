package store

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/wirewatch/wirewatch/feeds"
	"github.com/wirewatch/wirewatch/store/internal/ftsquery"
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
			if _, err := tx.AddItem(ctx, it, nil, sid, at); err != nil {
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
			_, err = tx.AddItem(ctx, &feeds.Item{Feed: "f", ID: id, Title: "Kabulov " + id, Source: "x.org", Published: time.Now()}, nil, sid, time.Now())
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

// TestPruneRestoresAutomerge: a prune turns the index's automatic merging
// off while it deletes and back on after, leaving no merge due; a database
// left with it off (a prune that stopped) has it back on when opened.
func TestPruneRestoresAutomerge(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "w.db")
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	automerge := func() int {
		t.Helper()
		var v int
		if err := db.q.QueryRowContext(ctx, `SELECT v FROM item_fts_config WHERE k = 'automerge'`).Scan(&v); err != nil {
			t.Fatal(err)
		}
		return v
	}
	at := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	for batch := range 20 { // a segment each
		err := db.InTx(ctx, func(tx *Tx) error {
			for i := range 20 {
				id := fmt.Sprint(batch, "-", i)
				sid, err := tx.CreateStory(ctx, id, id, at)
				if err != nil {
					return err
				}
				it := &feeds.Item{Feed: "f", ID: id, Title: "Kabulov " + id, Text: "talks on security", Source: "x.org", Published: at}
				if _, err := tx.AddItem(ctx, it, nil, sid, at.Add(time.Duration(batch)*time.Hour)); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if n, err := db.Prune(ctx, at.Add(15*time.Hour), at.AddDate(0, 0, 1)); err != nil || n != 300 {
		t.Fatalf("prune: %d stories, %v; want 300", n, err)
	}
	if got := automerge(); got != indexAutomerge {
		t.Errorf("automerge after a prune: %d, want %d", got, indexAutomerge)
	}
	var wrote bool
	err = db.InTx(ctx, func(tx *Tx) (err error) {
		wrote, err = ftsquery.MergeStep(ctx, tx.q, 1000)
		return err
	})
	if err != nil || wrote {
		t.Errorf("a merge after the prune wrote rows (%v): the prune left merging to do", err)
	}
	if n, err := db.IndexRows(ctx); err != nil || n != 100 {
		t.Errorf("index rows after the prune: %d, %v; want 100", n, err)
	}

	if err := db.setAutomerge(ctx, 0); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if db, err = Open(ctx, path); err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if got := automerge(); got != indexAutomerge {
		t.Errorf("automerge when opened after a prune stopped: %d, want %d", got, indexAutomerge)
	}
}
