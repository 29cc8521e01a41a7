package store

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/wirewatch/wirewatch/store/internal/ftsquery"
	"github.com/wirewatch/wirewatch/store/internal/sqlx"
)

// oldStories selects the stories to prune: none of their items was first
// stored at or after the cut-off ($1), and no alert or update waits for
// them. Retention counts from when wirewatch stored an item, not from its
// publication date: an archive or a backlog is kept as long as fresh news.
// Stories merged into another have no items of their own and go with it.
const oldStories = `SELECT s.id FROM stories s WHERE s.merged_into = 0
	AND NOT EXISTS (SELECT 1 FROM items i WHERE i.story_id = s.id AND i.first_seen >= $1)
	AND s.id NOT IN (SELECT story_id FROM deliveries WHERE sent_at = 0)`

// Prune works in small transactions, so that a poll waiting for the one
// writer connection waits a few milliseconds at most: it picks old stories
// on the read pool, a page at a time (oldStoriesPage), and deletes up to
// pruneStories of them (with their items and index rows) per transaction,
// checking each again inside it; then sent deliveries and tombstones go,
// pruneRows per transaction.
const (
	oldStoriesPage = oldStories + ` AND s.id > $2 ORDER BY s.id LIMIT $3`
	pruneStories   = 2
	pruneRows      = 500
	storiesPage    = 256
)

// pruneStoryStatements delete what belongs to the stories listed (%s:
// their placeholders, after $1 where a statement has it), in dependency
// order, children before their parents (foreign keys are on); $1 is now.
// The last one deletes the stories. Their items' index rows go at commit
// (unindexItem).
var pruneStoryStatements = []string{
	`INSERT INTO item_tombstones (feed, guid, hash, last_seen)
		SELECT feed, guid, hash, $1 FROM items WHERE story_id IN (%s)
		ON CONFLICT (feed, guid) DO UPDATE SET hash = excluded.hash, last_seen = excluded.last_seen`,
	`DELETE FROM item_revisions WHERE item_id IN (SELECT id FROM items WHERE story_id IN (%s))`,
	`DELETE FROM items WHERE story_id IN (%s)`,
	`DELETE FROM story_rules WHERE story_id IN (%s)`,
	`DELETE FROM story_alerts WHERE story_id IN (%s)`,
	`DELETE FROM digest_pending WHERE story_id IN (%s)`,
	`DELETE FROM stories WHERE merged_into IN (%s)`,
	`DELETE FROM stories WHERE id IN (%s)`,
}

// FTS5's merging of segments, as it writes, rewrites the oldest, largest
// ones when old items are deleted: done in the pruning transactions, that
// made each take a tenth to a half of a second, which a poll waited for.
// Prune turns automatic merging off while it deletes, then merges in steps
// of mergePages pages, a transaction each, and turns it back on (Open does
// too, should a prune have stopped before): ftsquery.MergeStep.
const (
	indexAutomerge = 8 // migration 010
	mergePages     = 8
)

// pruneRowStatements delete rows older than the cut-off ($1), a batch at a
// time. The alerts and updates of a story still stored stay with it: its
// updates edit its alert or reply in its thread (AlertRemoteID), and a
// reply to one in chat names the story (StoryOfMessage).
var pruneRowStatements = []string{
	`DELETE FROM deliveries WHERE id IN (SELECT id FROM deliveries WHERE sent_at > 0 AND sent_at < $1
		AND (kind NOT IN ('alert', 'update') OR NOT EXISTS (SELECT 1 FROM stories s WHERE s.id = deliveries.story_id)) LIMIT ` + strconv.Itoa(pruneRows) + `)`,
	`DELETE FROM item_tombstones WHERE rowid IN (SELECT rowid FROM item_tombstones WHERE last_seen < $1 LIMIT ` + strconv.Itoa(pruneRows) + `)`,
	`DELETE FROM story_joins WHERE id IN (SELECT id FROM story_joins WHERE joined_at < $1 LIMIT ` + strconv.Itoa(pruneRows) + `)`,
}

// Prune deletes stories (with their items, index rows, revisions, matches
// and digest entries) none of whose items was first stored at or after
// before, sent deliveries older than before (but the alerts and updates of
// the stories it keeps), tombstones not seen since
// before, and the record of joins of stories made before it. Unsent deliveries and their stories are kept. The pruned items
// leave a tombstone (TouchTombstone), dated now, so that their feed cannot
// bring them back as new. It returns how many stories it deleted.
func (db *DB) Prune(ctx context.Context, before, now time.Time) (n int64, err error) {
	if db.dialect == SQLite {
		if err := db.setAutomerge(ctx, 0); err != nil {
			return 0, fmt.Errorf("prune: %w", err)
		}
		defer func() {
			if err == nil {
				err = db.mergeIndex(ctx)
			}
			// Back on even when the prune failed or was cancelled.
			if aerr := db.setAutomerge(context.WithoutCancel(ctx), indexAutomerge); aerr != nil && err == nil {
				err = fmt.Errorf("prune: %w", aerr)
			}
		}()
	}
	key := int64(0)
	for {
		page, err := sqlx.All(ctx, db.ro, sqlx.Int64, oldStoriesPage, sqlx.MS(before), key, storiesPage)
		if err != nil {
			return n, fmt.Errorf("prune: %w", err)
		}
		for i := 0; i < len(page); i += pruneStories {
			k, err := db.pruneStories(ctx, page[i:min(len(page), i+pruneStories)], before, now)
			if err != nil {
				return n, fmt.Errorf("prune: %w", err)
			}
			n += k
		}
		if len(page) < storiesPage {
			break
		}
		key = page[len(page)-1]
	}
	for _, stmt := range pruneRowStatements {
		for {
			var k int64
			err := db.InTx(ctx, func(tx *Tx) error {
				var err error
				k, err = sqlx.Count(ctx, tx.q, stmt, sqlx.MS(before))
				return err
			})
			if err != nil {
				return n, fmt.Errorf("prune: %w", err)
			}
			if k < pruneRows {
				break
			}
		}
	}
	return n, nil
}

// setAutomerge sets how many index segments FTS5 merges at once as it
// writes; 0: it does not merge.
func (db *DB) setAutomerge(ctx context.Context, n int) error {
	return db.InTx(ctx, func(tx *Tx) error { return ftsquery.SetAutomerge(ctx, tx.q, n) })
}

// restoreAutomerge turns the index's automatic merging back on, should a
// prune have stopped with it off.
func (db *DB) restoreAutomerge(ctx context.Context) error {
	if db.dialect != SQLite {
		return nil
	}
	if off, err := ftsquery.AutomergeOff(ctx, db.q); err != nil || !off {
		return err
	}
	return db.setAutomerge(ctx, indexAutomerge)
}

// mergeIndex merges the index's segments (those with many deleted rows
// among them), mergePages pages a transaction, until none is left to merge.
func (db *DB) mergeIndex(ctx context.Context) error {
	for {
		var more bool
		err := db.InTx(ctx, func(tx *Tx) (err error) {
			more, err = ftsquery.MergeStep(ctx, tx.q, mergePages)
			return err
		})
		if err != nil || !more {
			return err
		}
	}
}

// pruneStories deletes those of the stories ids that are still old (the
// read pool picked them before this transaction) and returns how many. The
// stories are bound, not written into the statements, so that they are a
// few statements (one per length of the list), not one per list, each of
// which the statement cache would keep until it is full (stmts.Cache).
func (db *DB) pruneStories(ctx context.Context, ids []int64, before, now time.Time) (int64, error) {
	var n int64
	err := db.InTx(ctx, func(tx *Tx) error {
		old, err := sqlx.All(ctx, tx.q, sqlx.Int64, oldStories+` AND s.id IN (`+sqlx.Placeholders(2, len(ids))+`)`,
			append([]any{sqlx.MS(before)}, sqlx.Int64Args(ids)...)...)
		if err != nil || len(old) == 0 {
			return err
		}
		// A digest waiting in the outbox lists its stories in its payload,
		// not in story_id: they are kept as the other deliveries' are.
		waiting, err := digestStories(ctx, tx.q)
		if err != nil {
			return err
		}
		old = slices.DeleteFunc(old, func(id int64) bool { return waiting[id] })
		if len(old) == 0 {
			return nil
		}
		items, err := sqlx.All(ctx, tx.q, sqlx.Int64, `SELECT id FROM items WHERE story_id IN (`+sqlx.Placeholders(1, len(old))+`)`, sqlx.Int64Args(old)...)
		if err != nil {
			return err
		}
		for _, id := range items {
			tx.unindexItem(id)
		}
		for _, stmt := range pruneStoryStatements {
			var args []any
			first := 1
			if strings.Contains(stmt, "$1") {
				args, first = append(args, sqlx.MS(now)), 2
			}
			stmt = strings.ReplaceAll(stmt, "%s", sqlx.Placeholders(first, len(old)))
			if n, err = sqlx.Count(ctx, tx.q, stmt, append(args, sqlx.Int64Args(old)...)...); err != nil {
				return err
			}
		}
		return nil
	})
	return n, err
}

const selectWaitingDigests = `SELECT payload FROM deliveries WHERE kind = 'digest' AND sent_at = 0`

// digestStories returns the stories the digests not yet sent list, as
// queued and as they resolve now (a story merged since is shown as the one
// it went into).
func digestStories(ctx context.Context, q queryer) (map[int64]bool, error) {
	payloads, err := sqlx.All(ctx, q, sqlx.String, selectWaitingDigests)
	out := map[int64]bool{}
	for _, raw := range payloads {
		var p DigestPayload
		if err := json.Unmarshal([]byte(raw), &p); err != nil {
			return nil, fmt.Errorf("digest payload: %w", err)
		}
		for _, id := range p.Stories {
			root, err := resolve(ctx, q, id)
			if err != nil {
				return nil, err
			}
			out[id], out[root] = true, true
		}
	}
	return out, err
}

const (
	touchTombstone = `UPDATE item_tombstones SET last_seen = $3 WHERE feed = $1 AND guid = $2`
	anyTombstone   = `SELECT EXISTS (SELECT 1 FROM item_tombstones)`
)

// TouchTombstone reports whether a feed's item was pruned, and if so notes
// that the feed still carries it (now), so it is remembered for another
// retention period. An item with a tombstone is not new.
func (tx *Tx) TouchTombstone(ctx context.Context, feed, id string, now time.Time) (bool, error) {
	if tx.tombstones == 0 && tx.dialect == SQLite {
		tx.tombstones = 2
		if n, err := sqlx.One(ctx, tx.q, sqlx.Int64, anyTombstone); err == nil && n == 0 {
			tx.tombstones = 1
		}
	}
	if tx.tombstones == 1 {
		return false, nil
	}
	n, err := sqlx.Count(ctx, tx.q, touchTombstone, feed, id, sqlx.MS(now))
	if err != nil {
		return false, fmt.Errorf("tombstone %s/%s: %w", feed, id, err)
	}
	return n > 0, nil
}
