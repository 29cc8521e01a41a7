package store

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/wirewatch/wirewatch/store/internal/sqlx"
)

const (
	selectSetting = `SELECT value FROM settings WHERE name = $1`
	insertSetting = `INSERT INTO settings (name, value, created) VALUES ($1, $2, $3) ON CONFLICT (name) DO NOTHING`
	upsertSetting = `INSERT INTO settings (name, value, created) VALUES ($1, $2, $3)
		ON CONFLICT (name) DO UPDATE SET value = excluded.value, created = excluded.created`
)

// Setting returns the value stored under name, or ErrNotFound.
func (db *DB) Setting(ctx context.Context, name string) (string, error) {
	v, err := sqlx.One(ctx, db.q, sqlx.String, selectSetting, name)
	return named(v, err, "setting %s", name)
}

// InitSetting stores value under name unless a value is stored there
// already, and returns the stored value: the first writer wins.
func (db *DB) InitSetting(ctx context.Context, name, value string, now time.Time) (string, error) {
	if _, err := db.q.ExecContext(ctx, insertSetting, name, value, sqlx.MS(now)); err != nil {
		return "", fmt.Errorf("setting %s: %w", name, err)
	}
	return db.Setting(ctx, name)
}

// PutSetting stores value under name, replacing any value there (created
// then says when it was written): for what changes over a database's life,
// such as the configuration a run has live.
func (db *DB) PutSetting(ctx context.Context, name, value string, now time.Time) error {
	return exec(ctx, db.q, fmt.Sprintf("setting %s", name), upsertSetting, name, value, sqlx.MS(now))
}

// InstallationID returns this database's installation id: random, made the
// first time it is asked for and kept. Messages that carry it (Slack
// metadata) are told apart from another installation's, or from those of
// an earlier database, that post to the same channel.
func (db *DB) InstallationID(ctx context.Context, now time.Time) (string, error) {
	var b [12]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("installation id: %w", err)
	}
	return db.InitSetting(ctx, "installation_id", hex.EncodeToString(b[:]), now)
}
