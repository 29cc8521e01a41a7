package store

import (
	"context"
	"database/sql"
	"sync"
)

// The store's statements are constant strings run again and again (one
// item, its story, its matches and deliveries each take several); parsing
// their SQL each time was a fifth of ingest CPU. A statement seen a few
// times is prepared once on the database, outside any transaction (the
// one connection is busy inside one), and transactions use it through
// Tx.StmtContext, which reuses what the connection prepared.

const (
	prepareAfter = 3   // runs of a statement before it is prepared
	maxPrepared  = 256 // statements prepared at most (queries with IN lists vary)
)

// stmtCache holds the prepared statements of a DB.
type stmtCache struct {
	db *sql.DB

	mu    sync.Mutex
	stmts map[string]*sql.Stmt // nil for a statement that failed to prepare
	seen  map[string]int       // runs of statements not prepared yet
}

func newStmtCache(db *sql.DB) *stmtCache {
	return &stmtCache{db: db, stmts: map[string]*sql.Stmt{}, seen: map[string]int{}}
}

// get returns query's prepared statement, or nil (counting the run).
func (c *stmtCache) get(query string) *sql.Stmt {
	c.mu.Lock()
	defer c.mu.Unlock()
	if s, ok := c.stmts[query]; ok {
		return s
	}
	if len(c.stmts) < maxPrepared {
		c.seen[query]++
	}
	return nil
}

// prepare prepares the statements run often enough; it must be called
// outside a transaction. A statement that does not prepare (several
// statements in one string) is run unprepared from then on.
func (c *stmtCache) prepare(ctx context.Context) {
	c.mu.Lock()
	var due []string
	for q, n := range c.seen {
		if n >= prepareAfter {
			due = append(due, q)
			delete(c.seen, q)
		}
	}
	c.mu.Unlock()
	for _, q := range due {
		s, err := c.db.PrepareContext(ctx, q)
		if err != nil {
			s = nil
		}
		c.mu.Lock()
		if len(c.stmts) < maxPrepared {
			c.stmts[q] = s
		} else if s != nil {
			s.Close()
		}
		c.mu.Unlock()
	}
}

// close closes the prepared statements.
func (c *stmtCache) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for q, s := range c.stmts {
		if s != nil {
			s.Close()
		}
		delete(c.stmts, q)
	}
}

// txQueryer runs a transaction's statements, prepared ones through the
// cache.
type txQueryer struct {
	tx *sql.Tx
	c  *stmtCache
}

func (q txQueryer) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if s := q.c.get(query); s != nil {
		return q.tx.StmtContext(ctx, s).ExecContext(ctx, args...)
	}
	return q.tx.ExecContext(ctx, query, args...)
}

func (q txQueryer) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if s := q.c.get(query); s != nil {
		return q.tx.StmtContext(ctx, s).QueryContext(ctx, args...)
	}
	return q.tx.QueryContext(ctx, query, args...)
}

func (q txQueryer) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	if s := q.c.get(query); s != nil {
		return q.tx.StmtContext(ctx, s).QueryRowContext(ctx, args...)
	}
	return q.tx.QueryRowContext(ctx, query, args...)
}

// dbQueryer runs statements outside a transaction, prepared ones through
// the cache.
type dbQueryer struct {
	db *sql.DB
	c  *stmtCache
}

func (q dbQueryer) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if s := q.c.get(query); s != nil {
		return s.ExecContext(ctx, args...)
	}
	defer q.c.prepare(ctx)
	return q.db.ExecContext(ctx, query, args...)
}

func (q dbQueryer) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if s := q.c.get(query); s != nil {
		return s.QueryContext(ctx, args...)
	}
	return q.db.QueryContext(ctx, query, args...)
}

func (q dbQueryer) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	if s := q.c.get(query); s != nil {
		return s.QueryRowContext(ctx, args...)
	}
	return q.db.QueryRowContext(ctx, query, args...)
}
