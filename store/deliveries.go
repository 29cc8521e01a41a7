package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/wirewatch/wirewatch/store/internal/sqlx"
	"github.com/wirewatch/wirewatch/store/internal/storyq"
)

const (
	deliveryColumns = `id, channel, kind, story_id, rule, seq, payload, created, next_attempt, attempts, last_error, sent_at, remote_id`
	insertDelivery  = `INSERT INTO deliveries (channel, kind, story_id, rule, seq, payload, created, next_attempt)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING`
	selectDue = `SELECT ` + deliveryColumns + ` FROM deliveries
		WHERE sent_at = 0 AND next_attempt <= $1 ORDER BY id`
	selectPendingCount  = `SELECT COUNT(*) FROM deliveries WHERE sent_at = 0`
	selectOldestUnsent  = `SELECT COALESCE(MIN(created), 0) FROM deliveries WHERE sent_at = 0`
	selectNextAttempt   = `SELECT COALESCE(MIN(next_attempt), 0) FROM deliveries WHERE sent_at = 0 AND next_attempt > $1`
	selectDelivery      = `SELECT ` + deliveryColumns + ` FROM deliveries WHERE id = $1`
	selectStoryOfRemote = `SELECT story_id FROM deliveries
		WHERE remote_id = $1 AND kind IN ('alert', 'update') ORDER BY id LIMIT 1`
	selectSentAlert = `SELECT remote_id FROM deliveries
		WHERE channel = $1 AND story_id = $2 AND kind = 'alert' AND sent_at > 0 ORDER BY id LIMIT 1`
	setPayload = `UPDATE deliveries SET payload = $2 WHERE id = $1`
	// A delivery that waits unsent, never handed to a sender, goes.
	dropWaiting = `DELETE FROM deliveries WHERE id = $1 AND sent_at = 0 AND started_at = 0`
	markSent    = `UPDATE deliveries SET sent_at = $2, remote_id = $3, last_error = '', claimed_by = '', claimed_until = 0 WHERE id = $1`
	markFailed  = `UPDATE deliveries SET attempts = attempts + 1, last_error = $2, next_attempt = $3,
		claimed_by = '', claimed_until = 0 WHERE id = $1`
	// A story joined into another leaves the deliveries the other had too,
	// if they were on their way (dropUnsent): failed, they go.
	dropMergedLeftover = `DELETE FROM deliveries WHERE id = $1 AND story_id IN (SELECT id FROM stories WHERE merged_into <> 0)`
	// A delivery the channel refused for good is closed (sent_at set, no
	// remote id) with the reason kept.
	markGivenUp = `UPDATE deliveries SET attempts = attempts + 1, sent_at = $3, remote_id = '', last_error = $2,
		claimed_by = '', claimed_until = 0 WHERE id = $1`
	markStarted = `UPDATE deliveries SET started_at = $2 WHERE id = $1 AND started_at = 0`
	// A delivery is claimed when unsent and unclaimed (or its claim ran out,
	// or it is the claimant's own), in one statement: two processes cannot
	// both get it. The statement returns it as it is then.
	claimDelivery = `UPDATE deliveries SET claimed_by = $2, claimed_until = $3
		WHERE id = $1 AND sent_at = 0 AND (claimed_until < $4 OR claimed_by = $2) RETURNING ` + deliveryColumns
	releaseClaim    = `UPDATE deliveries SET claimed_by = '', claimed_until = 0 WHERE id = $1 AND claimed_by = $2`
	selectClaimants = `SELECT DISTINCT claimed_by FROM deliveries WHERE sent_at = 0 AND claimed_until >= $1 AND claimed_by <> ''`
	releaseClaimant = `UPDATE deliveries SET claimed_by = '', claimed_until = 0 WHERE claimed_by = $1`
)

// The kinds of delivery.
const (
	KindAlert  = "alert"
	KindUpdate = "update"
	KindDigest = "digest"
)

// Delivery is one message in the outbox. (Channel, Kind, StoryID, Rule, Seq)
// identifies it: queuing the same delivery twice keeps the first.
type Delivery struct {
	ID          int64
	Channel     string
	Kind        string // KindAlert, KindUpdate or KindDigest
	StoryID     int64  // 0 for a digest
	Rule        string // the digest's rule
	Seq         int    // the update's or digest's number
	Payload     []byte // JSON: what the sender needs beyond the story (new URLs, digest stories)
	Created     time.Time
	NextAttempt time.Time
	Attempts    int
	LastError   string
	SentAt      time.Time // zero while pending
	RemoteID    string    // the chat platform's message id, once sent
}

func scanDelivery(row sqlx.Scanner) (*Delivery, error) {
	var d Delivery
	var payload string
	var created, next, sent int64
	err := row.Scan(&d.ID, &d.Channel, &d.Kind, &d.StoryID, &d.Rule, &d.Seq, &payload,
		&created, &next, &d.Attempts, &d.LastError, &sent, &d.RemoteID)
	if err != nil {
		return nil, err
	}
	d.Payload = []byte(payload)
	d.Created, d.NextAttempt, d.SentAt = sqlx.FromMS(created), sqlx.FromMS(next), sqlx.FromMS(sent)
	return &d, nil
}

// Enqueue puts a delivery in the outbox unless an identical one is there.
// It is due at NextAttempt, or at once when that is zero.
func (tx *Tx) Enqueue(ctx context.Context, d *Delivery) error {
	payload := string(d.Payload)
	if payload == "" {
		payload = "{}"
	}
	next := d.NextAttempt
	if next.IsZero() {
		next = d.Created
	}
	n, err := sqlx.Count(ctx, tx.q, insertDelivery, d.Channel, d.Kind, d.StoryID, d.Rule, d.Seq, payload, sqlx.MS(d.Created), sqlx.MS(next))
	if err != nil {
		return fmt.Errorf("enqueue %s for %s: %w", d.Kind, d.Channel, err)
	}
	if n == 1 && d.Kind == KindAlert {
		tx.alerts.Add(d.Channel, d.StoryID)
	}
	return nil
}

// Updates is what queuing an update reads of a story's alerts and updates
// in a channel.
type Updates = storyq.Updates

// Updates reads a story's alerts and updates in a channel, in one query;
// when the transaction queued an alert there, it waits, and nothing else
// is read. On SQLite an alert the query found waiting waits until the
// transaction ends too (no other writes meanwhile; a dispatcher takes it
// in a transaction of its own), so later items of the story read nothing
// either: most items of a batch join a story whose alert the batch queued
// or found waiting. On PostgreSQL another replica may take it meanwhile.
func (tx *Tx) Updates(ctx context.Context, channel string, storyID int64) (*Updates, error) {
	if tx.alerts.Has(channel, storyID) {
		return &Updates{AlertWaits: true}, nil
	}
	u, err := storyq.ReadUpdates(ctx, tx.q, channel, storyID)
	if err == nil && u.AlertWaits && tx.dialect == SQLite {
		tx.alerts.Add(channel, storyID)
	}
	return u, err
}

// SetPayload replaces an unsent delivery's payload.
func (tx *Tx) SetPayload(ctx context.Context, id int64, payload []byte) error {
	return exec(ctx, tx.q, fmt.Sprintf("delivery %d payload", id), setPayload, id, string(payload))
}

// DropWaiting deletes a delivery that waits unsent and was never handed
// to a sender (one that was stays).
func (tx *Tx) DropWaiting(ctx context.Context, id int64) error {
	return exec(ctx, tx.q, fmt.Sprintf("drop delivery %d", id), dropWaiting, id)
}

// SetPayload replaces an unsent delivery's payload (in a view: the
// dispatcher keeps what a digest showed when it starts it).
func (db *DB) SetPayload(ctx context.Context, id int64, payload []byte) error {
	return exec(ctx, db.q, fmt.Sprintf("delivery %d payload", id), setPayload, id, string(payload))
}

// DueDeliveries returns the unsent deliveries whose next attempt is at or
// before now, oldest first.
func (db *DB) DueDeliveries(ctx context.Context, now time.Time) ([]*Delivery, error) {
	out, err := sqlx.All(ctx, db.q, scanDelivery, selectDue, sqlx.MS(now))
	return named(out, err, "due deliveries")
}

// Delivery returns one delivery, or ErrNotFound.
func (db *DB) Delivery(ctx context.Context, id int64) (*Delivery, error) {
	d, err := sqlx.One(ctx, db.q, scanDelivery, selectDelivery, id)
	return named(d, err, "delivery %d", id)
}

// NextAttempt returns when the next unsent delivery falls due after now
// (zero when none waits).
func (db *DB) NextAttempt(ctx context.Context, now time.Time) (time.Time, error) {
	var at int64
	if err := db.q.QueryRowContext(ctx, selectNextAttempt, sqlx.MS(now)).Scan(&at); err != nil {
		return time.Time{}, fmt.Errorf("next delivery: %w", err)
	}
	return sqlx.FromMS(at), nil
}

// PendingDeliveries counts the deliveries not sent yet.
func (db *DB) PendingDeliveries(ctx context.Context) (int, error) {
	var n int
	if err := db.q.QueryRowContext(ctx, selectPendingCount).Scan(&n); err != nil {
		return 0, fmt.Errorf("pending deliveries: %w", err)
	}
	return n, nil
}

// OldestPending returns when the oldest delivery not sent yet was queued
// (zero when none waits).
func (db *DB) OldestPending(ctx context.Context) (time.Time, error) {
	var at int64
	if err := db.q.QueryRowContext(ctx, selectOldestUnsent).Scan(&at); err != nil {
		return time.Time{}, fmt.Errorf("oldest pending delivery: %w", err)
	}
	return sqlx.FromMS(at), nil
}

// AlertRemoteID returns the remote message id of the story's sent alert in
// a channel, or ErrNotFound.
func (db *DB) AlertRemoteID(ctx context.Context, channel string, storyID int64) (string, error) {
	id, err := sqlx.One(ctx, db.q, sqlx.String, selectSentAlert, channel, storyID)
	return named(id, err, "alert of story %d in %s", storyID, channel)
}

// MarkSent records that a delivery went out.
func (db *DB) MarkSent(ctx context.Context, id int64, remoteID string, at time.Time) error {
	return exec(ctx, db.q, fmt.Sprintf("mark delivery %d sent", id), markSent, id, sqlx.MS(at), remoteID)
}

// MarkFailed records a failed attempt and when to try again.
func (db *DB) MarkFailed(ctx context.Context, id int64, reason string, next time.Time) error {
	err := db.InTx(ctx, func(tx *Tx) error {
		_, err := tx.q.ExecContext(ctx, markFailed, id, reason, sqlx.MS(next))
		if err == nil {
			_, err = tx.q.ExecContext(ctx, dropMergedLeftover, id)
		}
		return err
	})
	if err != nil {
		return fmt.Errorf("mark delivery %d failed: %w", id, err)
	}
	return nil
}

// MarkGivenUp closes a delivery that its channel refused for good (the
// message itself is at fault, not the channel): it is not sent again, and
// reason stays recorded.
func (db *DB) MarkGivenUp(ctx context.Context, id int64, reason string, at time.Time) error {
	return exec(ctx, db.q, fmt.Sprintf("mark delivery %d given up", id), markGivenUp, id, reason, sqlx.MS(at))
}

// StoryOfMessage returns the story whose alert or update became the chat
// message remoteID (a Matrix event ID, a Slack ts), or ErrNotFound.
func (db *DB) StoryOfMessage(ctx context.Context, remoteID string) (int64, error) {
	id, err := sqlx.One(ctx, db.q, sqlx.Int64, selectStoryOfRemote, remoteID)
	return named(id, err, "story of message %s", remoteID)
}

// StartDelivery records that a delivery is being handed to its sender and
// reports whether an earlier attempt was started already: that attempt may
// have reached the channel without being marked sent (a crash after the
// post), so a sender that can should look for it before posting again.
func (db *DB) StartDelivery(ctx context.Context, id int64, at time.Time) (bool, error) {
	n, err := sqlx.Count(ctx, db.q, markStarted, id, sqlx.MS(at))
	if err != nil {
		return false, fmt.Errorf("start delivery %d: %w", id, err)
	}
	return n == 0, nil
}

// ClaimDelivery claims an unsent delivery for owner until until, and
// returns it as it is now; nil when it did not get it (it was sent
// meanwhile, or another owner's claim runs after now). Marking it sent,
// failed or given up ends the claim.
func (db *DB) ClaimDelivery(ctx context.Context, id int64, owner string, now, until time.Time) (*Delivery, error) {
	d, err := sqlx.One(ctx, db.q, scanDelivery, claimDelivery, id, owner, sqlx.MS(until), sqlx.MS(now))
	if errors.Is(err, ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("claim delivery %d: %w", id, err)
	}
	return d, nil
}

// ReleaseClaim gives up owner's claim on a delivery without recording an
// attempt (the sender was never called).
func (db *DB) ReleaseClaim(ctx context.Context, id int64, owner string) error {
	return exec(ctx, db.q, fmt.Sprintf("release delivery %d", id), releaseClaim, id, owner)
}

// Claimants returns the owners holding claims that run at or after now.
func (db *DB) Claimants(ctx context.Context, now time.Time) ([]string, error) {
	out, err := sqlx.All(ctx, db.q, sqlx.String, selectClaimants, sqlx.MS(now))
	return named(out, err, "claimants")
}

// ReleaseClaimant ends every claim of owner (a process that died).
func (db *DB) ReleaseClaimant(ctx context.Context, owner string) error {
	return exec(ctx, db.q, fmt.Sprintf("release claims of %s", owner), releaseClaimant, owner)
}
