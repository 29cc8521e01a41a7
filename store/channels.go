package store

import (
	"context"
	"fmt"
	"time"

	"github.com/wirewatch/wirewatch/store/internal/sqlx"
)

// A channel whose sender reported a permanent error (not in the channel,
// invalid auth, …) is paused: its deliveries stay in the outbox and are
// tried again at its retry time.

const (
	insertPause = `INSERT INTO channel_pauses (channel, paused_at, reason, retry_at) VALUES ($1, $2, $3, $4)
		ON CONFLICT (channel) DO NOTHING`
	updatePause  = `UPDATE channel_pauses SET reason = $2, retry_at = $3 WHERE channel = $1`
	deletePause  = `DELETE FROM channel_pauses WHERE channel = $1`
	selectPauses = `SELECT channel, paused_at, reason, retry_at FROM channel_pauses ORDER BY channel`
	// At start, a paused channel's waiting deliveries are due at once.
	retryPausedDeliveries = `UPDATE deliveries SET next_attempt = $1 WHERE sent_at = 0 AND next_attempt > $1
		AND channel IN (SELECT channel FROM channel_pauses)`
	retryPauses = `UPDATE channel_pauses SET retry_at = $1 WHERE retry_at > $1`
	countPauses = `SELECT COUNT(*) FROM channel_pauses`
)

// ChannelPause is a paused channel.
type ChannelPause struct {
	Channel  string
	PausedAt time.Time // the first permanent error
	Reason   string    // the latest error
	RetryAt  time.Time // when its deliveries are tried again
}

func scanPause(row sqlx.Scanner) (*ChannelPause, error) {
	var p ChannelPause
	var at, retry int64
	if err := row.Scan(&p.Channel, &at, &p.Reason, &retry); err != nil {
		return nil, err
	}
	p.PausedAt, p.RetryAt = sqlx.FromMS(at), sqlx.FromMS(retry)
	return &p, nil
}

// PauseChannel records a permanent error of a channel and when to try it
// again; it reports whether the channel was not paused before.
func (db *DB) PauseChannel(ctx context.Context, channel, reason string, at, retry time.Time) (bool, error) {
	n, err := sqlx.Count(ctx, db.q, insertPause, channel, sqlx.MS(at), reason, sqlx.MS(retry))
	if err != nil {
		return false, fmt.Errorf("pause channel %s: %w", channel, err)
	}
	if n > 0 {
		return true, nil
	}
	if _, err := db.q.ExecContext(ctx, updatePause, channel, reason, sqlx.MS(retry)); err != nil {
		return false, fmt.Errorf("pause channel %s: %w", channel, err)
	}
	return false, nil
}

// ResumeChannel ends a channel's pause and reports whether it was paused.
func (db *DB) ResumeChannel(ctx context.Context, channel string) (bool, error) {
	n, err := sqlx.Count(ctx, db.q, deletePause, channel)
	if err != nil {
		return false, fmt.Errorf("resume channel %s: %w", channel, err)
	}
	return n > 0, nil
}

// PausedChannels returns the paused channels, by name.
func (db *DB) PausedChannels(ctx context.Context) ([]*ChannelPause, error) {
	out, err := sqlx.All(ctx, db.q, scanPause, selectPauses)
	return named(out, err, "paused channels")
}

// RetryPausedChannels makes the paused channels and their waiting
// deliveries due at now (as a start does: the cause may have been fixed
// meanwhile); it returns how many channels are paused.
func (db *DB) RetryPausedChannels(ctx context.Context, now time.Time) (int, error) {
	var n int
	err := db.InTx(ctx, func(tx *Tx) error {
		if _, err := tx.q.ExecContext(ctx, retryPausedDeliveries, sqlx.MS(now)); err != nil {
			return err
		}
		if _, err := tx.q.ExecContext(ctx, retryPauses, sqlx.MS(now)); err != nil {
			return err
		}
		return tx.q.QueryRowContext(ctx, countPauses).Scan(&n)
	})
	if err != nil {
		return 0, fmt.Errorf("retry paused channels: %w", err)
	}
	return n, nil
}
