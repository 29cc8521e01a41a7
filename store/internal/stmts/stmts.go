// Package stmts keeps the store's statements prepared: parsing the SQL of
// every statement run was a tenth of the cost of an ingest.
package stmts

import (
	"context"
	"database/sql"
	"strings"
	"sync"
)

// maxCached bounds the statements kept prepared on the writing pool (a
// statement built with a varying number of placeholders is one each).
const maxCached = 256

// Cache holds statements prepared on the writing pool: parsing the SQL
// of every statement run was a tenth of the cost of an ingest. Each
// transaction binds them, and prepares for itself those not yet here,
// which are added once it ends (when the pool's connection is free).
type Cache struct {
	mu sync.Mutex
	m  map[string]*sql.Stmt

	// detach: a transaction's statements run without their context's
	// cancellation, which is checked before each instead (see Tx.ctx).
	detach bool
}

// NewCache returns an empty cache; detach runs transactions' statements
// without their context's cancellation (SQLite).
func NewCache(detach bool) *Cache { return &Cache{m: map[string]*sql.Stmt{}, detach: detach} }

// Put keeps st, prepared for query.
func (c *Cache) Put(query string, st *sql.Stmt) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.m[query] = st
}

func (c *Cache) get(query string) *sql.Stmt {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.m[query]
}

// add prepares queries on db, outside any transaction, and keeps them.
func (c *Cache) add(ctx context.Context, db *sql.DB, queries []string) {
	for _, q := range queries {
		c.mu.Lock()
		_, ok := c.m[q]
		full := len(c.m) >= maxCached
		c.mu.Unlock()
		if ok || full {
			continue
		}
		st, err := db.PrepareContext(ctx, q)
		if err != nil {
			continue // it is prepared again where it runs, which reports the error
		}
		c.mu.Lock()
		if _, ok := c.m[q]; ok || c.m == nil {
			st.Close()
		} else {
			c.m[q] = st
		}
		c.mu.Unlock()
	}
}

// Len returns how many statements the cache holds.
func (c *Cache) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.m)
}

// Close closes the statements.
func (c *Cache) Close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, st := range c.m {
		st.Close()
	}
	c.m = nil
}

// cacheable reports whether a query runs as a prepared statement: one
// statement, with arguments (scripts such as migrations run as they are).
func cacheable(query string, args []any) bool {
	return len(args) > 0 && !strings.Contains(query, ";")
}

// Begin begins a transaction on db. With a cache that detaches, it runs
// without ctx's cancellation once it has its connection (its statements
// check ctx before each: see Tx.ctx): database/sql and SQLite's driver
// start a goroutine for a transaction, and for each of its queries, that
// can be cancelled, which cost more than short reads do. release lets go
// of the connection once the transaction is over.
func (c *Cache) Begin(ctx context.Context, db *sql.DB) (tx *sql.Tx, release func(), err error) {
	if !c.detach {
		tx, err = db.BeginTx(ctx, nil)
		return tx, func() {}, err
	}
	conn, err := db.Conn(ctx)
	if err != nil {
		return nil, nil, err
	}
	if tx, err = conn.BeginTx(context.WithoutCancel(ctx), nil); err != nil {
		conn.Close()
		return nil, nil, err
	}
	return tx, func() { conn.Close() }, nil
}

// Tx runs a transaction's statements prepared: the cache's, bound to
// it, or its own.
type Tx struct {
	tx    runner  // where the statements run: sqltx or conn
	sqltx *sql.Tx // a database/sql transaction (nil: conn's, see BeginTx)
	conn  *sql.Conn
	cache *Cache

	mu    sync.Mutex
	stmts map[string]*sql.Stmt
	fresh []string // prepared here, not in the cache
}

// NewTx returns tx running its statements prepared, through cache.
func NewTx(tx *sql.Tx, cache *Cache) *Tx {
	return &Tx{tx: tx, sqltx: tx, cache: cache, stmts: map[string]*sql.Stmt{}}
}

// Stmt returns query prepared and bound to the transaction.
func (q *Tx) Stmt(ctx context.Context, query string) (*sql.Stmt, error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if st, ok := q.stmts[query]; ok {
		return st, nil
	}
	var st *sql.Stmt
	if q.conn != nil {
		if q.stmts == nil {
			return nil, sql.ErrTxDone // ended
		}
		// The cache's statements cannot be bound to a connection.
		var err error
		if st, err = q.conn.PrepareContext(ctx, query); err != nil {
			return nil, err
		}
	} else if shared := q.cache.get(query); shared != nil {
		st = q.sqltx.StmtContext(ctx, shared)
	} else {
		var err error
		if st, err = q.sqltx.PrepareContext(ctx, query); err != nil {
			return nil, err
		}
		q.fresh = append(q.fresh, query)
	}
	q.stmts[query] = st
	return st, nil
}

// ctx returns the context to run one of the transaction's statements
// with. With a cache that detaches, it is ctx without its cancellation,
// or ctx's error once ctx is done: SQLite's driver starts a goroutine per
// statement run with a context that can end, to interrupt the statement
// when it does, which cost more than most of the transaction's statements
// themselves. A transaction holds SQLite's write lock from its start, so
// its statements wait for no lock; each is short, and once ctx is done
// the next one does not run (database/sql rolls the transaction back).
func (q *Tx) ctx(ctx context.Context) (context.Context, error) {
	if !q.cache.detach {
		return ctx, nil
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return context.WithoutCancel(ctx), nil
}

// ExecContext runs a statement.
func (q *Tx) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if !cacheable(query, args) {
		return q.tx.ExecContext(ctx, query, args...)
	}
	st, err := q.Stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	if ctx, err = q.ctx(ctx); err != nil {
		return nil, err
	}
	return st.ExecContext(ctx, args...)
}

// QueryContext runs a query.
func (q *Tx) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if !cacheable(query, args) {
		return q.tx.QueryContext(ctx, query, args...)
	}
	st, err := q.Stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	if ctx, err = q.ctx(ctx); err != nil {
		return nil, err
	}
	return st.QueryContext(ctx, args...)
}

// QueryRowContext runs a query of one row.
func (q *Tx) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	if !cacheable(query, args) {
		return q.tx.QueryRowContext(ctx, query, args...)
	}
	st, err := q.Stmt(ctx, query)
	if err != nil {
		return q.tx.QueryRowContext(ctx, query, args...) // which reports the error
	}
	run, err := q.ctx(ctx)
	if err != nil {
		return q.tx.QueryRowContext(ctx, query, args...) // which reports ctx's error
	}
	return st.QueryRowContext(run, args...)
}

// Ended adds the statements the transaction prepared to the cache.
func (q *Tx) Ended(ctx context.Context, db *sql.DB) {
	q.mu.Lock()
	fresh := q.fresh
	q.fresh = nil
	q.mu.Unlock()
	q.cache.add(context.WithoutCancel(ctx), db, fresh)
}

// DB runs statements outside a transaction, prepared once on the
// writing pool.
type DB struct {
	db    *sql.DB
	cache *Cache
}

// NewDB returns db running its statements prepared, through cache.
func NewDB(db *sql.DB, cache *Cache) DB { return DB{db: db, cache: cache} }

func (q DB) stmt(ctx context.Context, query string) *sql.Stmt {
	if st := q.cache.get(query); st != nil {
		return st
	}
	q.cache.add(ctx, q.db, []string{query})
	return q.cache.get(query) // nil when it cannot be prepared, or the cache is full
}

// ExecContext runs a statement.
func (q DB) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if cacheable(query, args) {
		if st := q.stmt(ctx, query); st != nil {
			return st.ExecContext(ctx, args...)
		}
	}
	return q.db.ExecContext(ctx, query, args...)
}

// QueryContext runs a query.
func (q DB) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if cacheable(query, args) {
		if st := q.stmt(ctx, query); st != nil {
			return st.QueryContext(ctx, args...)
		}
	}
	return q.db.QueryContext(ctx, query, args...)
}

// QueryRowContext runs a query of one row.
func (q DB) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	if cacheable(query, args) {
		if st := q.stmt(ctx, query); st != nil {
			return st.QueryRowContext(ctx, args...)
		}
	}
	return q.db.QueryRowContext(ctx, query, args...)
}
