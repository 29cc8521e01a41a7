// Package store persists feeds' fetch state, items, stories and the
// delivery outbox in SQLite (Open: the default, one process) or PostgreSQL
// (OpenPostgres: several replicas), behind one type, DB.
//
// # One schema, two dialects
//
// Package migrations holds the numbered steps, each applied in a
// transaction, on one connection (PostgreSQL: under an advisory lock per
// schema, so that replicas starting together migrate once). A line ending
// in "-- only: sqlite" or "-- only: postgres" is kept for that dialect
// alone.
//
// The SQL in Go is written once: $n placeholders, ON CONFLICT … DO
// NOTHING/UPDATE, RETURNING id and CAST read the same in both. The few
// statements that cannot (the full-text index, FOR UPDATE SKIP LOCKED,
// rowid) are written for SQLite where they are used, and pgQueries
// (postgres.go) holds their PostgreSQL text under the SQLite text: on
// PostgreSQL every statement goes through that map (sqlx.Rewriting, and the
// prepared statements), so the code that runs them never asks which
// dialect it speaks. Times are Unix milliseconds (BIGINT), booleans 0/1.
//
// # Full-text search
//
// SQLite: an FTS5 table (migration 010, search.go). PostgreSQL: a table of
// weighted tsvectors with a GIN index, queried with a tsquery rendered from
// the same rules.Plan, answering the same candidates (search_postgres.go).
//
// # Replicas (PostgreSQL)
//
// Coordination goes through the database alone (leases.go, migrations 011, 012):
//   - a feed is polled by the replica that claims it (ClaimFeed: due by its
//     stored next poll, no other lease running, FOR UPDATE SKIP LOCKED),
//     for a lease renewed while the poll runs; a dead replica's feeds are
//     claimed by the others when its leases run out. Leases and claims
//     have a pool of their own (leaseQ);
//   - a delivery is claimed before it is sent (claims.go), SKIP LOCKED on
//     PostgreSQL; its idempotency key (channel, kind, story, rule, seq) is
//     unique;
//   - assigning items to stories is serialized by LockGrouping (a
//     transaction-scoped advisory lock); each replica's in-memory index
//     first replays what was stored since it last looked (ChangesAfter):
//     the items, by id, and the joins of stories (migration 012), each
//     after the items stored before it;
//   - one lease (HoldLease) makes a leader, which times digests, prunes and
//     runs the Matrix sync.
//
// With SQLite one process runs per database (runlock); LockGrouping does
// nothing there (SQLite has one writer) and nothing else here is called.
//
// storetest opens a fresh store per test: SQLite, or a PostgreSQL schema
// when WIREWATCH_TEST_POSTGRES is set (storetest.Main runs a package's tests
// on both).
package store
