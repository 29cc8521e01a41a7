package store

import (
	"context"
	"fmt"
	"time"
)

// oldStories selects the stories to prune: latest item older than the
// cut-off, and no unsent alert or update waiting for them.
const oldStories = `SELECT id FROM stories WHERE updated < $1
	AND id NOT IN (SELECT story_id FROM deliveries WHERE sent_at = 0)`

// pruneStatements run in dependency order; the story rows go last but one.
var pruneStatements = []string{
	`DELETE FROM items WHERE story_id IN (` + oldStories + `)`,
	`DELETE FROM story_rules WHERE story_id IN (` + oldStories + `)`,
	`DELETE FROM story_alerts WHERE story_id IN (` + oldStories + `)`,
	`DELETE FROM digest_pending WHERE story_id IN (` + oldStories + `)`,
	`DELETE FROM stories WHERE id IN (` + oldStories + `)`,
	`DELETE FROM deliveries WHERE sent_at > 0 AND sent_at < $1`,
}

// Prune deletes stories (with their items) whose latest item is older than
// before, and sent deliveries older than before. Unsent deliveries and their
// stories are kept. It returns how many stories it deleted.
func (db *DB) Prune(ctx context.Context, before time.Time) (int64, error) {
	var n int64
	err := db.InTx(ctx, func(tx *Tx) error {
		for i, stmt := range pruneStatements {
			res, err := tx.q.ExecContext(ctx, stmt, ms(before))
			if err != nil {
				return err
			}
			if i == len(pruneStatements)-2 {
				n, _ = res.RowsAffected()
			}
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("prune: %w", err)
	}
	return n, nil
}
