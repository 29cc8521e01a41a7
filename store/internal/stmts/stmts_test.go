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
		switch {
		case detach && !errors.Is(err, context.Canceled):
			t.Errorf("detach %v: insert after cancel: %v, want context.Canceled", detach, err)
		case err == nil:
			// database/sql rolls the transaction back in its own goroutine
			// once ctx ends: the statement may find the transaction done
			// or the statement closed, but it must not run.
			t.Errorf("detach %v: insert after cancel: no error", detach)
		}
		if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM t WHERE v = $1`, 1).Scan(&n); err == nil {
			t.Errorf("detach %v: query after cancel: no error", detach)
		}
		sqltx.Rollback()
		release()
		if err := db.QueryRow(`SELECT COUNT(*) FROM t`).Scan(&n); err != nil || n != 0 {
			t.Errorf("detach %v: %d rows after the rollback, %v; want 0", detach, n, err)
		}
		q.Ended(context.Background(), db)
		cache.Close()
	}
}

// A transaction begun on a connection (BeginTx with onConn) commits what
// it wrote, rolls back what it did not commit, and does not commit once
// its context is done; its connection is left outside any transaction.
func TestConnTransactions(t *testing.T) {
	db, err := sql.Open("sqlite", "file:"+t.TempDir()+"/t.db")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	db.SetMaxOpenConns(1)
	if _, err := db.Exec(`CREATE TABLE t (v INTEGER)`); err != nil {
		t.Fatal(err)
	}
	cache := NewCache(true)
	t.Cleanup(cache.Close)
	tests := []struct {
		name   string
		cancel bool
		commit bool
		want   int // rows of v = 1 after
	}{
		{"commit", false, true, 1},
		{"rollback", false, false, 0},
		{"cancelled before commit", true, true, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := db.Exec(`DELETE FROM t`); err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			q, err := cache.BeginTx(ctx, db, true)
			if err != nil {
				t.Fatal(err)
			}
			if q.conn == nil {
				t.Fatal("not begun on a connection")
			}
			for range 2 { // the second run reuses the statement
				if _, err := q.ExecContext(ctx, `INSERT INTO t (v) VALUES ($1)`, 1); err != nil {
					t.Fatal(err)
				}
			}
			if tt.cancel {
				cancel()
			}
			err = q.End(ctx, db, tt.commit)
			if tt.cancel != errors.Is(err, context.Canceled) {
				t.Errorf("End: %v", err)
			}
			var n int
			if err := db.QueryRow(`SELECT COUNT(*) / 2 FROM t WHERE v = 1`).Scan(&n); err != nil || n != tt.want {
				t.Errorf("got %d, %v; want %d", n, err, tt.want)
			}
			// The connection is back in the pool outside a transaction:
			// another one begins.
			q, err = cache.BeginTx(context.Background(), db, true)
			if err != nil {
				t.Fatal(err)
			}
			if err := q.End(context.Background(), db, false); err != nil {
				t.Fatal(err)
			}
		})
	}
}
