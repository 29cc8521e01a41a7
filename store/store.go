package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"sync"

	"github.com/wirewatch/wirewatch/store/internal/refs"
	"github.com/wirewatch/wirewatch/store/internal/sqlx"
	"github.com/wirewatch/wirewatch/store/internal/stmts"
	"github.com/wirewatch/wirewatch/store/internal/storyq"
	"github.com/wirewatch/wirewatch/store/migrations"
	"go.mau.fi/util/dbutil"
	_ "modernc.org/sqlite" // the embedded, pure-Go SQLite driver
)

// ErrNotFound is returned when a looked-up row does not exist.
var ErrNotFound = sqlx.ErrNotFound

// Dialect names the SQL flavour a DB speaks.
type Dialect string

// The supported dialects.
const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// DB is the wirewatch database. Its methods are safe for concurrent use.
type DB struct {
	db      *sql.DB
	ro      queryer // the read pool for lookups (search): WAL lets them read while a poll writes
	roDB    *sql.DB // SQLite's read pool, which ro reads through; PostgreSQL reads on db
	dialect Dialect
	q       queryer
	leaseDB *sql.DB // PostgreSQL: the pool of leases and claims apart (leases.go); nil: they use q

	stmts *stmts.Cache // statements prepared on db, for every transaction to bind

	cryptoOnce sync.Once // CryptoDatabase
	cryptoDB   *dbutil.Database
	cryptoErr  error
}

// queryer is what *sql.DB and *sql.Tx have in common.
type queryer = sqlx.Queryer

// Tx is a transaction; it has the write methods the pipeline needs, so that
// an item, its story, its matches and its deliveries commit together.
type Tx struct {
	q          queryer
	dialect    Dialect
	db         *DB
	index      []indexRow // index rows written at commit (flushIndex)
	fresh      freshStory // the story created last, until an item is added to it
	tombstones int8       // SQLite: 1 when none exists (pruning makes them in transactions of its own), 2 when some may
	refs       refs.Set   // which items are stored, looked up for a batch (LoadItemRefs)
	alerts     storyq.Queued
}

// hotStatements are prepared when the database opens (not inside a
// transaction, which holds the one connection): parsing them for every
// item was a fifth of the cost of storing one.
var hotStatements = []string{insertItem, insertIndex, deleteIndex, storyAdded, refreshStory}

// prepare prepares the hot statements.
func (db *DB) prepare(ctx context.Context) error {
	for _, q := range hotStatements {
		q = db.dialect.rewrite(q) // statements are cached by the text they run
		st, err := db.db.PrepareContext(ctx, q)
		if err != nil {
			return fmt.Errorf("prepare: %w", err)
		}
		db.stmts.Put(q, st)
	}
	db.q = db.dialect.wrap(stmts.NewDB(db.db, db.stmts))
	return nil
}

// exec runs a statement in the transaction (prepared once, as all are).
func (tx *Tx) exec(ctx context.Context, query string, args ...any) error {
	_, err := tx.q.ExecContext(ctx, query, args...)
	return err
}

// Open opens (creating when needed) the SQLite database at path and brings
// its schema up to date.
func Open(ctx context.Context, path string) (*DB, error) {
	// The WAL is copied back into the database every 8,000 pages (32 MB),
	// not every 1,000 (4 MB, of the order of one batch of new items):
	// fewer checkpoints, a page many batches changed copied once. The
	// writer's page cache is 16 MB: 32 MB took 30 MB more peak RSS with
	// 10,000 feeds (297 against 265 MB) for no CPU that showed, the pages
	// it adds being in the operating system's cache anyway.
	dsn := "file:" + (&url.URL{Path: path}).EscapedPath() +
		"?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)&_pragma=cache_size(-16384)&_pragma=temp_store(MEMORY)&_pragma=wal_autocheckpoint(8000)&_txlock=immediate"
	sqldb, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	// One writer at a time is what SQLite allows; a single connection also
	// keeps transactions from waiting on each other's locks.
	sqldb.SetMaxOpenConns(1)
	db := &DB{db: sqldb, dialect: SQLite, q: sqldb, stmts: stmts.NewCache(true)}
	if err := db.migrate(ctx); err != nil {
		sqldb.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	if err := db.prepare(ctx); err != nil {
		sqldb.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	if err := db.backfillIndex(ctx); err != nil {
		sqldb.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	if err := db.restoreAutomerge(ctx); err != nil {
		sqldb.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	// Lookups read on connections of their own, which never write: in WAL
	// mode they see the last commit and neither wait for a poll's
	// transaction nor make it wait.
	rodb, err := sql.Open("sqlite", "file:"+(&url.URL{Path: path}).EscapedPath()+
		"?_pragma=busy_timeout(10000)&_pragma=query_only(1)&_pragma=cache_size(-32768)")
	if err != nil {
		sqldb.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	rodb.SetMaxOpenConns(readConns)
	db.ro, db.roDB = rodb, rodb
	return db, nil
}

// readConns is the size of the read pool: one search at a time. A search
// keeps a core busy; with two of them, polls waited for the CPU (the
// benchmark's polls during searches).
const readConns = 1

// Close closes the database.
func (db *DB) Close() error {
	db.stmts.Close()
	err := db.db.Close()
	if db.roDB != nil {
		err = errors.Join(err, db.roDB.Close())
	}
	if db.leaseDB != nil {
		err = errors.Join(err, db.leaseDB.Close())
	}
	return err
}

// exec runs a statement that returns no rows; its error names what it did.
func exec(ctx context.Context, q queryer, what, query string, args ...any) error {
	if _, err := q.ExecContext(ctx, query, args...); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	return nil
}

// named returns v, or err wrapped with what failed (a format and its args).
func named[T any](v T, err error, format string, args ...any) (T, error) {
	if err != nil {
		var zero T
		return zero, fmt.Errorf(format+": %w", append(args, err)...)
	}
	return v, nil
}

// Ping checks that the database answers a query.
func (db *DB) Ping(ctx context.Context) error {
	var one int
	if err := db.q.QueryRowContext(ctx, `SELECT 1`).Scan(&one); err != nil {
		return fmt.Errorf("ping: %w", err)
	}
	return nil
}

// Dialect reports the SQL flavour of the database.
func (db *DB) Dialect() Dialect { return db.dialect }

// InView runs fn in a transaction with a DB bound to it, committing when fn
// returns nil: what fn reads and writes through it is one consistent state
// that no other transaction changes meanwhile (the dispatcher renders a
// delivery and marks it started so, and an ingest either comes before both
// or sees it started). fn must not start transactions of its own. On
// SQLite, ctx ends it between statements (stmts.Cache.Begin).
func (db *DB) InView(ctx context.Context, fn func(v *DB) error) error {
	sqltx, release, err := db.stmts.Begin(ctx, db.db)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	txq := stmts.NewTx(sqltx, db.stmts)
	defer txq.Ended(ctx, db.db)
	defer release() // before Ended, which prepares on the pool
	if err := fn(&DB{db: db.db, dialect: db.dialect, q: db.dialect.wrap(txq), stmts: db.stmts}); err != nil {
		sqltx.Rollback()
		return err
	}
	if err := sqltx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// InTx runs fn in a transaction, committing when it returns nil.
func (db *DB) InTx(ctx context.Context, fn func(tx *Tx) error) error {
	return db.inTx(ctx, fn, false)
}

// InBatch is InTx for a transaction that runs its statements many times
// each (an ingest's): on SQLite they run on a connection, without
// database/sql's transaction (see stmts.Cache.BeginTx).
func (db *DB) InBatch(ctx context.Context, fn func(tx *Tx) error) error {
	return db.inTx(ctx, fn, true)
}

// inTx is InTx, on a connection when onConn is set. A panic in fn rolls
// the transaction back.
func (db *DB) inTx(ctx context.Context, fn func(tx *Tx) error, onConn bool) error {
	txq, err := db.stmts.BeginTx(ctx, db.db, onConn)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	ended := false
	defer func() {
		if !ended {
			txq.End(ctx, db.db, false)
		}
	}()
	tx := &Tx{q: db.dialect.wrap(txq), dialect: db.dialect, db: db}
	if err = fn(tx); err == nil {
		err = tx.flushIndex(ctx)
	}
	ended = true
	if err != nil {
		txq.End(ctx, db.db, false)
		return err
	}
	if err := txq.End(ctx, db.db, true); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// migrate applies every migration newer than the stored version
// (migrations.Apply).
func (db *DB) migrate(ctx context.Context) error {
	return migrations.Apply(ctx, db.db, string(db.dialect))
}

// SchemaVersion reports the schema version the database is at.
func (db *DB) SchemaVersion(ctx context.Context) (int, error) {
	var v int
	err := db.q.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_version`).Scan(&v)
	return v, err
}
