package store_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/wirewatch/wirewatch/store"
)

// MustOpen opens a fresh database in a temporary directory, closed at cleanup.
func MustOpen(tb testing.TB) *store.DB {
	tb.Helper()
	db, err := store.Open(context.Background(), filepath.Join(tb.TempDir(), "test.db"))
	if err != nil {
		tb.Fatalf("open: %v", err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

func TestMigrateIsIdempotent(t *testing.T) {
	path := filepath.Join(t.TempDir(), "w.db")
	ctx := context.Background()
	for i := 0; i < 2; i++ {
		db, err := store.Open(ctx, path)
		if err != nil {
			t.Fatalf("open %d: %v", i, err)
		}
		v, err := db.SchemaVersion(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if v < 1 {
			t.Errorf("open %d: schema version = %d, want >= 1", i, v)
		}
		db.Close()
	}
}
