package store

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/wirewatch/wirewatch/feeds"
)

// TestPruneKeepsFewStatements: pruning many stories prepares a few
// statements, not some for every pair of stories it deletes, which filled
// the statement cache (256) with statements never run again, and left no
// room for those run after.
func TestPruneKeepsFewStatements(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "w.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	at := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	const stories = 600
	err = db.InTx(ctx, func(tx *Tx) error {
		for i := range stories {
			sid, err := tx.CreateStory(ctx, "t", "t", at)
			if err != nil {
				return err
			}
			it := &feeds.Item{Feed: "f", ID: fmt.Sprint(i), Title: "Kabulov", Source: "x.org", Published: at}
			if _, err := tx.AddItem(ctx, it, nil, sid, at); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	before := db.stmts.Len()
	if n, err := db.Prune(ctx, at.Add(time.Hour), at.Add(time.Hour)); err != nil || n != stories {
		t.Fatalf("Prune: %d, %v; want %d, nil", n, err, stories)
	}
	if added := db.stmts.Len() - before; added > 40 {
		t.Errorf("the prune left %d statements in the cache (%d before); want a few", added, before)
	}
	var left int
	if err := db.q.QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM stories) + (SELECT COUNT(*) FROM items)`).Scan(&left); err != nil || left != 0 {
		t.Errorf("stories and items left: %d, %v; want 0", left, err)
	}
	var tombs int
	if err := db.q.QueryRowContext(ctx, `SELECT COUNT(*) FROM item_tombstones`).Scan(&tombs); err != nil || tombs != stories {
		t.Errorf("tombstones: %d, %v; want %d", tombs, err, stories)
	}
}
