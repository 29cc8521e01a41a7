// Package storetest gives tests a real, opened store and a fake clock.
//
// The store is SQLite, or PostgreSQL when the environment says so:
// WIREWATCH_TEST_POSTGRES is the DSN of a database the tests may create
// schemas in (scripts/postgres.sh starts one), and Main runs a package's
// tests a second time on it. Each store opened is a fresh schema of that
// database, dropped when the test ends.
package storetest

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/wirewatch/wirewatch/store"
)

// The environment variables that choose the backend.
const (
	// EnvPostgres is the DSN of the PostgreSQL database for tests; unset,
	// the tests that need PostgreSQL skip.
	EnvPostgres = "WIREWATCH_TEST_POSTGRES"
	// envBackend is "postgres" while Main runs the tests on PostgreSQL.
	envBackend = "WIREWATCH_TEST_BACKEND"
)

// Main runs a package's tests on SQLite, then, when WIREWATCH_TEST_POSTGRES
// is set, again with every store on PostgreSQL; use it as
// func TestMain(m *testing.M) { os.Exit(storetest.Main(m)) }.
func Main(m *testing.M) int {
	code := m.Run()
	if os.Getenv(EnvPostgres) == "" || os.Getenv(envBackend) == "postgres" {
		return code
	}
	fmt.Println("== the same tests with the store on PostgreSQL (" + EnvPostgres + ")")
	os.Setenv(envBackend, "postgres")
	defer os.Unsetenv(envBackend)
	if c := m.Run(); c != 0 {
		code = c
	}
	return code
}

// OnPostgres reports whether the stores of this test run are PostgreSQL.
func OnPostgres() bool {
	return os.Getenv(envBackend) == "postgres" && os.Getenv(EnvPostgres) != ""
}

// MustOpen opens a fresh store (SQLite in a temporary directory, or a new
// PostgreSQL schema); it is closed when the test ends.
func MustOpen(tb testing.TB) *store.DB {
	tb.Helper()
	return MustOpenAt(tb, filepath.Join(tb.TempDir(), "wirewatch.db"))
}

// MustOpenAt opens (creating when needed) the store at path, as a restart
// does: the SQLite database there, or on PostgreSQL the schema that path
// names. It is closed when the test ends.
func MustOpenAt(tb testing.TB, path string) *store.DB {
	tb.Helper()
	ctx := context.Background()
	var db *store.DB
	var err error
	if OnPostgres() {
		db, err = store.OpenPostgres(ctx, Schema(tb, path), store.Options{MaxConns: 4})
	} else {
		db, err = store.Open(ctx, path)
	}
	if err != nil {
		tb.Fatalf("open the store: %v", err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

// Schema makes (when missing) the PostgreSQL schema that name stands for
// in the WIREWATCH_TEST_POSTGRES database and returns a DSN whose
// connections use it; the schema is dropped when the test ends. The test
// skips when WIREWATCH_TEST_POSTGRES is unset.
func Schema(tb testing.TB, name string) string {
	tb.Helper()
	base := os.Getenv(EnvPostgres)
	if base == "" {
		tb.Skip(EnvPostgres + " is not set")
	}
	sum := sha256.Sum256([]byte(name))
	schema := "t_" + hex.EncodeToString(sum[:10])
	admin, err := sql.Open("pgx", base)
	if err != nil {
		tb.Fatalf("postgres: %v", err)
	}
	defer admin.Close()
	if _, err := admin.Exec(`CREATE SCHEMA IF NOT EXISTS ` + schema); err != nil {
		tb.Fatalf("postgres: create schema: %v", err)
	}
	tb.Cleanup(func() {
		admin, err := sql.Open("pgx", base)
		if err != nil {
			return
		}
		defer admin.Close()
		admin.Exec(`DROP SCHEMA IF EXISTS ` + schema + ` CASCADE`)
	})
	u, err := url.Parse(base)
	if err != nil {
		tb.Fatalf("postgres: %s: %v", EnvPostgres, err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// Clock is a settable clock, safe for concurrent use; pass its Now where
// a func() time.Time is wanted.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// NewClock returns a clock stopped at t.
func NewClock(t time.Time) *Clock { return &Clock{t: t} }

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Advance moves the clock forward by d and returns the new time.
func (c *Clock) Advance(d time.Duration) time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
	return c.t
}

// Set moves the clock to t.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}
