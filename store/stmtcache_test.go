package store

import (
	"context"
	"path/filepath"
	"testing"
)

func TestStatementsPreparedOnceRunAlike(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "s.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	const create = `CREATE TABLE t (n INTEGER NOT NULL); CREATE INDEX t_n ON t (n)`
	if _, err := db.q.ExecContext(ctx, create); err != nil {
		t.Fatal(err)
	}
	const insert = `INSERT INTO t (n) VALUES ($1)`
	const count = `SELECT COUNT(*), COALESCE(SUM(n), 0) FROM t`
	for i := range 10 {
		err := db.InTx(ctx, func(tx *Tx) error {
			_, err := tx.q.ExecContext(ctx, insert, i)
			return err
		})
		if err != nil {
			t.Fatalf("insert %d: %v", i, err)
		}
		var n, sum int
		if err := db.q.QueryRowContext(ctx, count).Scan(&n, &sum); err != nil {
			t.Fatal(err)
		}
		if n != i+1 || sum != i*(i+1)/2 {
			t.Fatalf("after %d inserts: got %d rows summing to %d", i+1, n, sum)
		}
	}
	db.stmts.mu.Lock()
	prepared := db.stmts.stmts[insert] != nil
	db.stmts.mu.Unlock()
	if !prepared {
		t.Errorf("the insert run 10 times was not prepared")
	}
	// A failed transaction leaves nothing, prepared statements or not.
	db.InTx(ctx, func(tx *Tx) error {
		tx.q.ExecContext(ctx, insert, 100)
		return context.Canceled
	})
	var n int
	db.q.QueryRowContext(ctx, `SELECT COUNT(*) FROM t`).Scan(&n)
	if n != 10 {
		t.Errorf("after a rolled back insert: got %d rows, want 10", n)
	}
}
