package ftsquery

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/wirewatch/wirewatch/store/internal/sqlx"
)

// FTS5 merges index segments as it writes, in proportion to what it
// writes; a segment a tenth of whose rows were deleted is merged too
// (deletemerge), so that deleting old items rewrites the oldest, largest
// segments. The store's pruning turns automatic merging off while it
// deletes, then merges a few pages a transaction (MergeStep), and turns it
// back on.
const (
	setAutomerge = `INSERT INTO item_fts (item_fts, rank) VALUES ('automerge', $1)`
	getAutomerge = `SELECT v FROM item_fts_config WHERE k = 'automerge'`
	mergeIndex   = `INSERT INTO item_fts (item_fts, rank) VALUES ('merge', $1)`
	totalChanges = `SELECT total_changes()`
)

// SetAutomerge sets how many index segments FTS5 merges at once as it
// writes; 0: it does not merge.
func SetAutomerge(ctx context.Context, q sqlx.Queryer, n int) error {
	_, err := q.ExecContext(ctx, setAutomerge, n)
	return err
}

// AutomergeOff reports whether automatic merging was turned off (a prune
// stopped before it turned it back on).
func AutomergeOff(ctx context.Context, q sqlx.Queryer) (bool, error) {
	var v int
	err := q.QueryRowContext(ctx, getAutomerge).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	} else if err != nil {
		return false, fmt.Errorf("index automerge: %w", err)
	}
	return v == 0, nil
}

// MergeStep merges up to pages pages of the index's segments and reports
// whether FTS5 wrote anything (false: no merge was due).
func MergeStep(ctx context.Context, q sqlx.Queryer, pages int) (bool, error) {
	var before, after int64
	err := q.QueryRowContext(ctx, totalChanges).Scan(&before)
	if err == nil {
		_, err = q.ExecContext(ctx, mergeIndex, pages)
	}
	if err == nil {
		err = q.QueryRowContext(ctx, totalChanges).Scan(&after)
	}
	if err != nil {
		return false, fmt.Errorf("merge index: %w", err)
	}
	return after-before >= 2, nil
}
