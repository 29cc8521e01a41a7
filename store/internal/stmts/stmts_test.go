package stmts

import (
	"context"
	"database/sql"
	"errors"
	"testing"

	_ "modernc.org/sqlite"
)

// A detaching cache's transaction (begun without the context's
// cancellation) runs statements until its context ends, then none: the
// next reports the context's error.
func TestDetachedStatementsStopWithTheContext(t *testing.T) {
	db, err := sql.Open("sqlite", "file:"+t.TempDir()+"/t.db")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Exec(`CREATE TABLE t (v INTEGER)`); err != nil {
		t.Fatal(err)
	}
	for _, detach := range []bool{true, false} {
		cache := NewCache(detach)
		ctx, cancel := context.WithCancel(context.Background())
		sqltx, release, err := cache.Begin(ctx, db)
		if err != nil {
			t.Fatal(err)
		}
		q := NewTx(sqltx, cache)
		if _, err := q.ExecContext(ctx, `INSERT INTO t (v) VALUES ($1)`, 1); err != nil {
			t.Fatalf("detach %v: insert: %v", detach, err)
		}
		var n int
		if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM t WHERE v = $1`, 1).Scan(&n); err != nil || n != 1 {
			t.Fatalf("detach %v: count = %d, %v; want 1, nil", detach, n, err)
		}
		cancel()
		_, err = q.ExecContext(ctx, `INSERT INTO t (v) VALUES ($1)`, 2)
		if !errors.Is(err, context.Canceled) && !errors.Is(err, sql.ErrTxDone) {
			t.Errorf("detach %v: insert after cancel: %v, want context.Canceled", detach, err)
		}
		if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM t WHERE v = $1`, 1).Scan(&n); err == nil {
			t.Errorf("detach %v: query after cancel: no error", detach)
		}
		sqltx.Rollback()
		release()
		q.Ended(context.Background(), db)
		cache.Close()
	}
}
