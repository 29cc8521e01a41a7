package store

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wirewatch/wirewatch/store/internal/sqlx"
)

// TestJoinStatementsUseIndexes: the statements that move or drop a
// story's rows when two stories are joined find them through an index, not
// by reading the whole table (the outbox keeps every sent delivery for
// the retention period, so a scan grew with it).
func TestJoinStatementsUseIndexes(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "w.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, stmt := range []string{mergeRules, mergeAlerts, mergePending, mergeDeliveries,
		dropUnsent, dropRules, dropAlerts, dropPending, moveItems, markMerged, selectUnsentAlerts} {
		args := []any{1, 2}
		if !strings.Contains(stmt, "$2") {
			args = args[:1]
		}
		plan, err := sqlx.Plan(ctx, db.db, stmt, args...)
		if err != nil {
			t.Fatal(err)
		}
		for _, step := range plan {
			if strings.HasPrefix(step, "SCAN ") {
				t.Errorf("%s\nreads a whole table: %s", stmt, strings.Join(plan, "; "))
			}
		}
	}
}
