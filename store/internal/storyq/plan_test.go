package storyq

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"

	_ "modernc.org/sqlite"

	"github.com/wirewatch/wirewatch/store/internal/sqlx"
	"github.com/wirewatch/wirewatch/store/migrations"
)

// TestFactsReadIndexesOnly: what an ingest reads of a story comes from
// indexes alone, with no temporary tree for sorting. An item's row keeps
// its outlet behind its text, so a plan that reads items' rows reads the
// whole story's text from disk for every item ingested.
func TestFactsReadIndexesOnly(t *testing.T) {
	plan := plan(t, selectFacts, 1, "example.com")
	searches := 0
	for _, step := range plan {
		switch {
		case strings.HasPrefix(step, "SCAN ") && step != "SCAN CONSTANT ROW", strings.Contains(step, "TEMP B-TREE"):
			t.Errorf("reads a whole table or sorts: %s", step)
		case strings.HasPrefix(step, "SEARCH items") && !strings.Contains(step, "COVERING INDEX"):
			t.Errorf("reads items' rows: %s", step)
		case strings.HasPrefix(step, "SEARCH "):
			searches++
		}
	}
	if searches != 4 {
		t.Errorf("%d searches, want 4 (the story, its items, rules and alerts): %s", searches, strings.Join(plan, "; "))
	}
}

// TestHeadSortsNothing: a story's head (the dispatcher reads it for every
// delivery) is read without a temporary tree for sorting its rules.
func TestHeadSortsNothing(t *testing.T) {
	for _, step := range plan(t, selectHead, 1) {
		if strings.Contains(step, "TEMP B-TREE") {
			t.Errorf("sorts: %s", step)
		}
	}
}

// plan returns SQLite's query plan of query with args, on a database with
// every migration applied.
func plan(t *testing.T, query string, args ...any) []string {
	t.Helper()
	ctx := context.Background()
	db, err := sql.Open("sqlite", filepath.Join(t.TempDir(), "w.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	steps, err := migrations.For("sqlite")
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range steps {
		if _, err := db.ExecContext(ctx, s.SQL); err != nil {
			t.Fatalf("%s: %v", s.Name, err)
		}
	}
	plan, err := sqlx.Plan(ctx, db, query, args...)
	if err != nil {
		t.Fatal(err)
	}
	return plan
}
