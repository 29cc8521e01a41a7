package store

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// oldStories selects the stories to prune: none of their items was first
// stored at or after the cut-off ($1), and no alert or update waits for
// them. Retention counts from when wirewatch stored an item, not from its
// publication date: an archive or a backlog is kept as long as fresh news.
// Stories merged into another have no items of their own and go with it.
const oldStories = `SELECT s.id FROM stories s WHERE s.merged_into = 0
	AND NOT EXISTS (SELECT 1 FROM items i WHERE i.story_id = s.id AND i.first_seen >= $1)
	AND s.id NOT IN (SELECT story_id FROM deliveries WHERE sent_at = 0)`

// pruneStatements run in dependency order, children before their parents
// (foreign keys are on). $1 is the cut-off, $2 now. The statement that
// deletes the stories is at pruneStoriesStep.
var pruneStatements = []string{
	`INSERT INTO item_tombstones (feed, guid, hash, last_seen)
		SELECT feed, guid, hash, $2 FROM items WHERE story_id IN (` + oldStories + `)
		ON CONFLICT (feed, guid) DO UPDATE SET hash = excluded.hash, last_seen = excluded.last_seen`,
	`DELETE FROM item_revisions WHERE item_id IN (SELECT id FROM items WHERE story_id IN (` + oldStories + `))`,
	`DELETE FROM items WHERE story_id IN (` + oldStories + `)`,
	`DELETE FROM story_rules WHERE story_id IN (` + oldStories + `)`,
	`DELETE FROM story_alerts WHERE story_id IN (` + oldStories + `)`,
	`DELETE FROM digest_pending WHERE story_id IN (` + oldStories + `)`,
	`DELETE FROM stories WHERE id IN (` + oldStories + `)`,
	`DELETE FROM stories WHERE merged_into <> 0 AND merged_into NOT IN (SELECT id FROM stories)`,
	`DELETE FROM deliveries WHERE sent_at > 0 AND sent_at < $1`,
	`DELETE FROM item_tombstones WHERE last_seen < $1`,
}

const pruneStoriesStep = 6

// Prune deletes stories (with their items, revisions, matches and digest
// entries) none of whose items was first stored at or after before, sent
// deliveries older than before, and tombstones not seen since before.
// Unsent deliveries and their stories are kept. The pruned items leave a
// tombstone (TouchTombstone), dated now, so that their feed cannot bring
// them back as new. It returns how many stories it deleted.
func (db *DB) Prune(ctx context.Context, before, now time.Time) (int64, error) {
	var n int64
	err := db.InTx(ctx, func(tx *Tx) error {
		for i, stmt := range pruneStatements {
			args := []any{ms(before)}
			if strings.Contains(stmt, "$2") {
				args = append(args, ms(now))
			}
			res, err := tx.q.ExecContext(ctx, stmt, args...)
			if err != nil {
				return err
			}
			if i == pruneStoriesStep {
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

const touchTombstone = `UPDATE item_tombstones SET last_seen = $3 WHERE feed = $1 AND guid = $2`

// TouchTombstone reports whether a feed's item was pruned, and if so notes
// that the feed still carries it (now), so it is remembered for another
// retention period. An item with a tombstone is not new.
func (tx *Tx) TouchTombstone(ctx context.Context, feed, id string, now time.Time) (bool, error) {
	n, err := execCount(ctx, tx.q, touchTombstone, feed, id, ms(now))
	if err != nil {
		return false, fmt.Errorf("tombstone %s/%s: %w", feed, id, err)
	}
	return n > 0, nil
}
