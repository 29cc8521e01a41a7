package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/wirewatch/wirewatch/store/internal/sqlx"
)

const (
	insertPending = `INSERT INTO digest_pending (rule, channel, story_id, matched_at) VALUES ($1, $2, $3, $4)
		ON CONFLICT DO NOTHING`
	insertDigest = `INSERT INTO digests (rule, channel, last_sent, seq) VALUES ($1, $2, $3, 0)
		ON CONFLICT DO NOTHING`
	selectDigests = `SELECT d.rule, d.channel, d.last_sent, d.seq,
		(SELECT COUNT(*) FROM digest_pending p WHERE p.rule = d.rule AND p.channel = d.channel),
		(SELECT COALESCE(MIN(p.matched_at), 0) FROM digest_pending p WHERE p.rule = d.rule AND p.channel = d.channel)
		FROM digests d ORDER BY d.rule, d.channel`
	selectPendingStories = `SELECT story_id FROM digest_pending WHERE rule = $1 AND channel = $2 ORDER BY matched_at, story_id`
	deletePending        = `DELETE FROM digest_pending WHERE rule = $1 AND channel = $2`
	advanceDigest        = `UPDATE digests SET last_sent = $3, seq = seq + 1 WHERE rule = $1 AND channel = $2 RETURNING seq`
	touchDigest          = `UPDATE digests SET last_sent = $3 WHERE rule = $1 AND channel = $2`
)

// DigestState is the digest bookkeeping of one (rule, channel).
type DigestState struct {
	Rule     string
	Channel  string
	LastSent time.Time // the last digest, or when the first story waited for one
	Seq      int       // digests sent so far
	Pending  int       // stories waiting
	Oldest   time.Time // when the longest-waiting story was matched (zero when none waits)
}

// DigestPayload is the payload of a digest delivery.
type DigestPayload struct {
	Stories []int64 `json:"stories"`
}

// AddToDigest puts a story in the next digest of a (rule, channel).
func (tx *Tx) AddToDigest(ctx context.Context, rule, channel string, storyID int64, at time.Time) error {
	what := fmt.Sprintf("digest %s/%s", rule, channel)
	if err := exec(ctx, tx.q, what, insertDigest, rule, channel, sqlx.MS(at)); err != nil {
		return err
	}
	return exec(ctx, tx.q, what, insertPending, rule, channel, storyID, sqlx.MS(at))
}

// DigestStates returns the digest bookkeeping of every (rule, channel).
func (db *DB) DigestStates(ctx context.Context) ([]DigestState, error) {
	out, err := sqlx.All(ctx, db.q, func(row sqlx.Scanner) (d DigestState, err error) {
		var last, oldest int64
		err = row.Scan(&d.Rule, &d.Channel, &last, &d.Seq, &d.Pending, &oldest)
		d.LastSent = sqlx.FromMS(last)
		if oldest != 0 {
			d.Oldest = sqlx.FromMS(oldest)
		}
		return d, err
	}, selectDigests)
	if err != nil {
		return nil, fmt.Errorf("digests: %w", err)
	}
	return out, nil
}

// TakeDigest moves the waiting stories of a (rule, channel) into one digest
// delivery, atomically. It reports whether a delivery was queued (false when
// no story was waiting).
func (db *DB) TakeDigest(ctx context.Context, rule, channel string, now time.Time) (bool, error) {
	queued := false
	err := db.InTx(ctx, func(tx *Tx) error {
		var p DigestPayload
		var err error
		if p.Stories, err = sqlx.All(ctx, tx.q, sqlx.Int64, selectPendingStories, rule, channel); err != nil {
			return err
		}
		if len(p.Stories) == 0 {
			_, err := tx.q.ExecContext(ctx, touchDigest, rule, channel, sqlx.MS(now))
			return err
		}
		var seq int
		if err := tx.q.QueryRowContext(ctx, advanceDigest, rule, channel, sqlx.MS(now)).Scan(&seq); err != nil {
			return err
		}
		payload, err := json.Marshal(p)
		if err != nil {
			return err
		}
		if _, err := tx.q.ExecContext(ctx, deletePending, rule, channel); err != nil {
			return err
		}
		queued = true
		return tx.Enqueue(ctx, &Delivery{Channel: channel, Kind: KindDigest, Rule: rule, Seq: seq, Payload: payload, Created: now})
	})
	if err != nil {
		return false, fmt.Errorf("take digest %s/%s: %w", rule, channel, err)
	}
	return queued, nil
}
