package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/wirewatch/wirewatch/store/internal/sqlx"
)

const (
	upsertMute = `INSERT INTO mutes (rule, until, muted_by, muted_at) VALUES ($1, $2, $3, $4)
		ON CONFLICT (rule) DO UPDATE SET until = excluded.until, muted_by = excluded.muted_by, muted_at = excluded.muted_at`
	deleteMute      = `DELETE FROM mutes WHERE rule = $1 RETURNING until`
	selectMutes     = `SELECT rule, until, muted_by, muted_at FROM mutes WHERE until > $1 ORDER BY rule`
	selectMutedRule = `SELECT rule FROM mutes WHERE until > $1`
)

// Mute silences a rule in every channel until a time: its hits meanwhile
// are dropped, not held.
type Mute struct {
	Rule  string
	Until time.Time
	By    string    // who muted it (a chat user id), "" when unknown
	At    time.Time // when it was muted
}

func scanMute(row sqlx.Scanner) (*Mute, error) {
	var m Mute
	var until, at int64
	if err := row.Scan(&m.Rule, &until, &m.By, &at); err != nil {
		return nil, err
	}
	m.Until, m.At = sqlx.FromMS(until), sqlx.FromMS(at)
	return &m, nil
}

// SetMute mutes a rule until m.Until, replacing an earlier mute of it.
func (db *DB) SetMute(ctx context.Context, m *Mute) error {
	return exec(ctx, db.q, fmt.Sprintf("mute %s", m.Rule), upsertMute, m.Rule, sqlx.MS(m.Until), m.By, sqlx.MS(m.At))
}

// Unmute ends a rule's mute and reports whether one was in force at now.
func (db *DB) Unmute(ctx context.Context, rule string, now time.Time) (bool, error) {
	until, err := sqlx.One(ctx, db.q, sqlx.Int64, deleteMute, rule)
	if errors.Is(err, ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("unmute %s: %w", rule, err)
	}
	return sqlx.FromMS(until).After(now), nil
}

// Mutes returns the mutes in force at now, by rule.
func (db *DB) Mutes(ctx context.Context, now time.Time) ([]*Mute, error) {
	out, err := sqlx.All(ctx, db.q, scanMute, selectMutes, sqlx.MS(now))
	return named(out, err, "mutes")
}

// MutedRules returns the rules muted at now.
func (tx *Tx) MutedRules(ctx context.Context, now time.Time) (map[string]bool, error) {
	names, err := sqlx.All(ctx, tx.q, sqlx.String, selectMutedRule, sqlx.MS(now))
	if err != nil {
		return nil, fmt.Errorf("muted rules: %w", err)
	}
	out := make(map[string]bool, len(names))
	for _, n := range names {
		out[n] = true
	}
	return out, nil
}
