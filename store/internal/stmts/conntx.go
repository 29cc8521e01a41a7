package stmts

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
)

// runner is where a Tx's statements run: a *sql.Tx or a *sql.Conn.
type runner interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// BeginTx begins a transaction on db, for End to end. With onConn, on a
// cache that detaches (SQLite), it is begun by a statement (BEGIN IMMEDIATE, as the
// driver's would be) on a connection of db's, not as a database/sql
// transaction: database/sql watches a transaction's context with a
// goroutine for every query run in it, which cost an ingest more than
// many of its queries did. Its statements are then prepared on that
// connection for the transaction (the cache's are prepared on the pool
// and cannot be bound to a connection): for a transaction that runs each
// many times. Else it is a database/sql transaction, as db.BeginTx makes,
// that binds the cache's statements.
func (c *Cache) BeginTx(ctx context.Context, db *sql.DB, onConn bool) (*Tx, error) {
	if !c.detach || !onConn {
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			return nil, err
		}
		return NewTx(tx, c), nil
	}
	conn, err := db.Conn(ctx)
	if err != nil {
		return nil, err
	}
	if _, err := conn.ExecContext(context.WithoutCancel(ctx), "BEGIN IMMEDIATE"); err != nil {
		conn.Close()
		return nil, err
	}
	return &Tx{tx: conn, conn: conn, cache: c, stmts: map[string]*sql.Stmt{}}, nil
}

// End ends a transaction BeginTx began: it commits it when commit is
// set and ctx is not done (ctx's error is returned then), else rolls it
// back. A connection that could not be brought back out of its
// transaction is closed, not returned to the pool.
func (q *Tx) End(ctx context.Context, db *sql.DB, commit bool) error {
	if q.conn == nil {
		defer q.Ended(ctx, db)
		if !commit {
			return q.sqltx.Rollback()
		}
		return q.sqltx.Commit()
	}
	q.mu.Lock()
	for _, st := range q.stmts {
		st.Close()
	}
	q.stmts = nil
	q.mu.Unlock()
	run := context.WithoutCancel(ctx)
	var err error
	if commit {
		if err = ctx.Err(); err == nil {
			_, err = q.conn.ExecContext(run, "COMMIT")
		}
	}
	if !commit || err != nil {
		// After a failed COMMIT SQLite may have rolled back already, and
		// ROLLBACK fails: the connection is dropped, whichever it was.
		if _, rerr := q.conn.ExecContext(run, "ROLLBACK"); rerr != nil {
			q.conn.Raw(func(any) error { return driver.ErrBadConn })
			err = errors.Join(err, rerr)
		}
	}
	q.conn.Close()
	return err
}
