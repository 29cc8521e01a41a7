package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/wirewatch/wirewatch/store/internal/sqlx"
)

// Corrections by people: merging two stories the grouper kept apart, and
// splitting an item out of a story it joined wrongly. Each bumps the
// "corrections" counter, which tells a running pipeline to rebuild its
// story index.

// ErrCorrection is returned for a correction that cannot be made.
var ErrCorrection = errors.New("cannot correct")

const (
	correctionsCounter = "corrections"
	selectCounter      = `SELECT COALESCE((SELECT value FROM counters WHERE name = $1), 0)`
	bumpCounter        = `INSERT INTO counters (name, value) VALUES ($1, 1)
		ON CONFLICT (name) DO UPDATE SET value = counters.value + 1`
	selectLive = `SELECT merged_into FROM stories WHERE id = $1`

	// The rows of story $2 move to story $1; rows $1 already has stay.
	mergeRules   = `INSERT INTO story_rules (story_id, rule, matched_at) SELECT $1, rule, matched_at FROM story_rules WHERE story_id = $2 ON CONFLICT DO NOTHING`
	mergeAlerts  = `INSERT INTO story_alerts (story_id, channel, alerted_at, updates) SELECT $1, channel, alerted_at, updates FROM story_alerts WHERE story_id = $2 ON CONFLICT DO NOTHING`
	mergePending = `INSERT INTO digest_pending (rule, channel, story_id, matched_at) SELECT rule, channel, $1, matched_at FROM digest_pending WHERE story_id = $2 ON CONFLICT DO NOTHING`
	// Deliveries follow unless the target has the same one; unsent
	// leftovers would repeat what the target says, and go.
	mergeDeliveries = `UPDATE deliveries SET story_id = $1 WHERE story_id = $2 AND NOT EXISTS (
		SELECT 1 FROM deliveries d WHERE d.story_id = $1 AND d.channel = deliveries.channel
		AND d.kind = deliveries.kind AND d.rule = deliveries.rule AND d.seq = deliveries.seq)`
	// These take story from alone, as $1. A leftover handed to its sender
	// already stays, to be marked sent, or dropped if it fails (markFailed).
	dropUnsent    = `DELETE FROM deliveries WHERE story_id = $1 AND sent_at = 0 AND started_at = 0`
	dropRules     = `DELETE FROM story_rules WHERE story_id = $1`
	dropAlerts    = `DELETE FROM story_alerts WHERE story_id = $1`
	dropPending   = `DELETE FROM digest_pending WHERE story_id = $1`
	moveItems     = `UPDATE items SET story_id = $1 WHERE story_id = $2`
	markMerged    = `UPDATE stories SET merged_into = $1 WHERE id = $2`
	refreshLatest = `UPDATE stories SET updated = (SELECT MAX(published) FROM items WHERE story_id = $1) WHERE id = $1`

	selectSplitFlag = `SELECT split FROM stories WHERE id = $1`
	markSplit       = `UPDATE stories SET split = 1 WHERE id = $1`

	selectSplit = `SELECT id, title, published FROM items WHERE story_id = $1 AND url = $2 ORDER BY published, id`
	countItems  = `SELECT COUNT(*) FROM items WHERE story_id = $1`
	moveItem    = `UPDATE items SET story_id = $1 WHERE id = $2`
)

// Corrections returns the corrections counter: it changes whenever a
// person merges or splits stories.
func (db *DB) Corrections(ctx context.Context) (int64, error) {
	var n int64
	if err := db.q.QueryRowContext(ctx, selectCounter, correctionsCounter).Scan(&n); err != nil {
		return 0, fmt.Errorf("corrections: %w", err)
	}
	return n, nil
}

// live checks that a story exists and was not merged away.
func (tx *Tx) live(ctx context.Context, id int64) error {
	into, err := sqlx.One(ctx, tx.q, sqlx.Int64, selectLive, id)
	if err != nil {
		return fmt.Errorf("story %d: %w", id, err)
	}
	if into != 0 {
		return fmt.Errorf("%w: story %d was merged into story %d", ErrCorrection, id, into)
	}
	return nil
}

// MergeStories moves every item of story from into story into: rule
// matches, alerts already made and pending digests go with them, so nothing
// is alerted again. Story from then points to into.
func (db *DB) MergeStories(ctx context.Context, into, from int64) error {
	return db.InTx(ctx, func(tx *Tx) error { return tx.MergeStories(ctx, into, from) })
}

// MergeStories is DB.MergeStories in a transaction, which may go on to
// alert the merged story.
func (tx *Tx) MergeStories(ctx context.Context, into, from int64) error {
	if into == from {
		return fmt.Errorf("%w: a story cannot be merged into itself", ErrCorrection)
	}
	for _, id := range []int64{into, from} {
		if err := tx.live(ctx, id); err != nil {
			return err
		}
	}
	if err := tx.merge(ctx, into, from); err != nil {
		return err
	}
	return tx.afterCorrection(ctx, into)
}

// JoinStories merges story from into story into, as MergeStories does, for
// the grouper: when a new item links two stories, they report one event.
// It is no correction (the counter that makes a running pipeline rebuild
// its index does not move: the grouper knows), and it declines, returning
// false, when either story was merged away or was split by a person: a
// person's split is never undone automatically. The join is recorded, made
// at now, for other replicas' indexes (ChangesAfter).
func (tx *Tx) JoinStories(ctx context.Context, into, from int64, now time.Time) (bool, error) {
	if into == from {
		return false, nil
	}
	for _, id := range []int64{into, from} {
		merged, err := sqlx.One(ctx, tx.q, sqlx.Int64, selectLive, id)
		if err != nil {
			return false, fmt.Errorf("story %d: %w", id, err)
		}
		split, err := sqlx.One(ctx, tx.q, sqlx.Int64, selectSplitFlag, id)
		if err != nil {
			return false, fmt.Errorf("story %d: %w", id, err)
		}
		if merged != 0 || split != 0 {
			return false, nil
		}
	}
	if err := tx.merge(ctx, into, from); err != nil {
		return false, err
	}
	for _, stmt := range []string{refreshStory, refreshLatest} {
		if _, err := tx.q.ExecContext(ctx, stmt, into); err != nil {
			return false, err
		}
	}
	if _, err := tx.q.ExecContext(ctx, insertJoin, into, from, sqlx.MS(now)); err != nil {
		return false, fmt.Errorf("record join: %w", err)
	}
	return true, nil
}

// merge moves story from, with its rule matches, alerts and digests, into
// story into.
func (tx *Tx) merge(ctx context.Context, into, from int64) error {
	both, fromOnly := []any{into, from}, []any{from}
	steps := []struct {
		stmt string
		args []any
	}{
		{mergeRules, both}, {mergeAlerts, both}, {mergePending, both}, {mergeDeliveries, both},
		{dropUnsent, fromOnly}, {dropRules, fromOnly}, {dropAlerts, fromOnly}, {dropPending, fromOnly},
		{moveItems, both}, {markMerged, both},
	}
	for _, s := range steps {
		if _, err := tx.q.ExecContext(ctx, s.stmt, s.args...); err != nil {
			return fmt.Errorf("merge story %d into %d: %w", from, into, err)
		}
	}
	tx.refs.Moved(from, into)
	tx.alerts.Forget() // the alerts of from moved, or went
	return nil
}

// SplitItem moves the story's items with this canonical URL into a new
// story and returns it. The new story starts without rule matches or
// alerts: later items that join it are matched and alerted as usual.
func (db *DB) SplitItem(ctx context.Context, storyID int64, url string) (int64, error) {
	var newID int64
	err := db.InTx(ctx, func(tx *Tx) error {
		var err error
		newID, err = tx.SplitItem(ctx, storyID, url)
		return err
	})
	if err != nil {
		return 0, err
	}
	return newID, nil
}

// SplitItem is DB.SplitItem in a transaction, which may go on to match
// and alert the new story.
func (tx *Tx) SplitItem(ctx context.Context, storyID int64, url string) (int64, error) {
	newID, err := tx.splitItem(ctx, storyID, url)
	if err != nil {
		return 0, fmt.Errorf("split %s from story %d: %w", url, storyID, err)
	}
	return newID, nil
}

func (tx *Tx) splitItem(ctx context.Context, storyID int64, url string) (int64, error) {
	if err := tx.live(ctx, storyID); err != nil {
		return 0, err
	}
	type row struct {
		id        int64
		title     string
		published int64
	}
	moving, err := sqlx.All(ctx, tx.q, func(sc sqlx.Scanner) (r row, err error) {
		err = sc.Scan(&r.id, &r.title, &r.published)
		return r, err
	}, selectSplit, storyID, url)
	if err != nil {
		return 0, err
	}
	if len(moving) == 0 {
		return 0, fmt.Errorf("%w: story %d has no item with URL %s", ErrCorrection, storyID, url)
	}
	var total int
	if err := tx.q.QueryRowContext(ctx, countItems, storyID).Scan(&total); err != nil {
		return 0, err
	}
	if total == len(moving) {
		return 0, fmt.Errorf("%w: %s is all of story %d", ErrCorrection, url, storyID)
	}
	newID, err := tx.CreateStory(ctx, moving[0].title, "", sqlx.FromMS(moving[0].published))
	if err != nil {
		return 0, err
	}
	for _, r := range moving {
		tx.refs.Forget()
		if _, err := tx.q.ExecContext(ctx, moveItem, newID, r.id); err != nil {
			return 0, err
		}
	}
	for _, id := range []int64{storyID, newID} {
		if _, err := tx.q.ExecContext(ctx, markSplit, id); err != nil {
			return 0, err
		}
	}
	if err := tx.afterCorrection(ctx, storyID); err != nil {
		return 0, err
	}
	return newID, tx.afterCorrection(ctx, newID)
}

// afterCorrection brings a corrected story's title and times up to date
// and bumps the corrections counter.
func (tx *Tx) afterCorrection(ctx context.Context, storyID int64) error {
	for _, stmt := range []string{refreshStory, refreshLatest} {
		if _, err := tx.q.ExecContext(ctx, stmt, storyID); err != nil {
			return err
		}
	}
	_, err := tx.q.ExecContext(ctx, bumpCounter, correctionsCounter)
	return err
}
