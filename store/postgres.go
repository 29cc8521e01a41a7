package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"

	_ "github.com/jackc/pgx/v5/stdlib" // the PostgreSQL driver, "pgx", through database/sql
	"github.com/wirewatch/wirewatch/store/internal/sqlx"
	"github.com/wirewatch/wirewatch/store/internal/stmts"
)

// pgQueries maps a statement's SQLite text to its PostgreSQL text, where
// they differ (doc.go). Dynamic statements are not here: they switch on
// the dialect.
var pgQueries = map[string]string{
	// The full-text index: see search_postgres.go.
	insertIndex: `INSERT INTO item_fts (id, doc) VALUES ($1, setweight(to_tsvector('simple', $2), 'A')
		|| setweight(to_tsvector('simple', $3), 'B') || setweight(to_tsvector('simple', $4), 'C'))`,
	deleteIndex:     `DELETE FROM item_fts WHERE id = $1`,
	selectMatch:     `SELECT i.id, i.story_id, i.published FROM item_fts f JOIN items i ON i.id = f.id` + pgWhereMatch,
	selectMatchRank: `SELECT i.id, i.story_id, i.published, ` + tsRank + ` FROM item_fts f JOIN items i ON i.id = f.id` + pgWhereMatch,
	selectMatchText: `SELECT i.id, i.story_id, i.published, ` + tsRank + `, i.feed, i.title, i.body, i.source, i.url
		FROM item_fts f JOIN items i ON i.id = f.id` + pgWhereMatch,
	// A subquery in FROM needs a name (before PostgreSQL 16).
	selectFirstSince: `SELECT COUNT(*), COALESCE(MIN(id), 0) FROM (SELECT id FROM items WHERE published >= $1 LIMIT $2) AS w`,
	selectRefs: `SELECT i.feed, i.guid, i.id, i.story_id, i.hash FROM json_array_elements(CAST($1 AS json)) AS j(v)
		JOIN items i ON i.feed = j.v ->> 0 AND i.guid = j.v ->> 1`,
	insertStoryRules: `INSERT INTO story_rules (story_id, rule, matched_at)
		SELECT CAST($1 AS BIGINT), v, CAST($2 AS BIGINT) FROM json_array_elements_text(CAST($3 AS json)) AS j(v) ON CONFLICT DO NOTHING`,
	selectURLs: `SELECT DISTINCT i.url FROM json_array_elements_text(CAST($1 AS json)) AS j(v) JOIN items i ON i.url = j.v`,
	// Claims skip the rows another replica is claiming (leases.go, claims.go).
	claimFeed: strings.TrimSuffix(claimFeed, ")") + ` FOR UPDATE SKIP LOCKED)`,
	claimDelivery: `UPDATE deliveries SET claimed_by = $2, claimed_until = $3 WHERE id = (SELECT id FROM deliveries
		WHERE id = $1 AND sent_at = 0 AND (claimed_until < $4 OR claimed_by = $2) FOR UPDATE SKIP LOCKED) RETURNING ` + deliveryColumns,
	// No rowid: the physical row's ctid.
	pruneRowStatements[1]: `DELETE FROM item_tombstones WHERE ctid IN (SELECT ctid FROM item_tombstones WHERE last_seen < $1 LIMIT ` +
		strconv.Itoa(pruneRows) + `)`,
}

// pgWhereMatch is whereMatch for item_fts f (a limit of -1 is none).
const pgWhereMatch = ` WHERE f.doc @@ CAST(CAST($1 AS TEXT) AS tsquery) AND f.id >= $2 AND f.id < $3 AND i.published >= $4%s
	ORDER BY f.id DESC LIMIT NULLIF(CAST($5 AS BIGINT), -1)`

// rewrite returns the query in the dialect's text.
func (d Dialect) rewrite(query string) string {
	if d == Postgres {
		if q, ok := pgQueries[query]; ok {
			return q
		}
	}
	return query
}

// wrap returns q speaking the dialect.
func (d Dialect) wrap(q queryer) queryer {
	if d == Postgres {
		return sqlx.Rewriting{Q: q, Rewrite: d.rewrite}
	}
	return q
}

// Options are the settings of a PostgreSQL store.
type Options struct {
	MaxConns int // the pool's size; 0: DefaultMaxConns
}

// DefaultMaxConns is the pool size of a PostgreSQL store by default.
const DefaultMaxConns = 10

const leaseConns = 2 // the pool of leases and claims (leaseQ), beside MaxConns

// OpenPostgres opens the PostgreSQL database at dsn (a postgres:// URL)
// and brings its schema up to date, under an advisory lock so that
// replicas starting together migrate it once.
func OpenPostgres(ctx context.Context, dsn string, opts Options) (*DB, error) {
	sqldb, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, fmt.Errorf("open postgres: %w", sqlx.Redact(err, dsn, "postgres://…"))
	}
	n := opts.MaxConns
	if n <= 0 {
		n = DefaultMaxConns
	}
	sqldb.SetMaxOpenConns(n)
	sqldb.SetMaxIdleConns(n)
	leaseDB, _ := sql.Open("pgx", dsn) // it fails as the one above would, which did not
	leaseDB.SetMaxOpenConns(leaseConns)
	leaseDB.SetMaxIdleConns(leaseConns)
	db := &DB{db: sqldb, ro: Postgres.wrap(sqldb), dialect: Postgres, q: Postgres.wrap(sqldb), stmts: stmts.NewCache(false),
		leaseDB: leaseDB}
	fail := func(err error) (*DB, error) {
		sqldb.Close()
		leaseDB.Close()
		return nil, fmt.Errorf("open postgres: %w", sqlx.Redact(err, dsn, "postgres://…"))
	}
	if err := db.migrate(ctx); err != nil {
		return fail(err)
	}
	if err := db.prepare(ctx); err != nil {
		return fail(err)
	}
	return db, nil
}
