package store

import (
	"context"
	"fmt"
	"time"
)

const (
	insertMatrixSession = `INSERT INTO matrix_sessions (user_id, txn_prefix, created, updated) VALUES ($1, $2, $3, $3)
		ON CONFLICT (user_id) DO NOTHING`
	selectMatrixSession = `SELECT user_id, device_id, access_token, next_batch, txn_prefix, created, updated
		FROM matrix_sessions WHERE user_id = $1`
	updateMatrixLogin = `UPDATE matrix_sessions SET device_id = $2, access_token = $3, updated = $4 WHERE user_id = $1`
	updateMatrixBatch = `UPDATE matrix_sessions SET next_batch = $2, updated = $3 WHERE user_id = $1`
)

// MatrixSession is what wirewatch keeps about its Matrix account: the
// device and token of a password login (empty with a configured access
// token), the sync position, and the prefix of its transaction ids.
type MatrixSession struct {
	UserID      string
	DeviceID    string
	AccessToken string // secret
	NextBatch   string // the sync token to resume from; "" before the first sync
	TxnPrefix   string
	Created     time.Time
	Updated     time.Time
}

func scanMatrixSession(row scanner) (*MatrixSession, error) {
	var s MatrixSession
	var created, updated int64
	if err := row.Scan(&s.UserID, &s.DeviceID, &s.AccessToken, &s.NextBatch, &s.TxnPrefix, &created, &updated); err != nil {
		return nil, err
	}
	s.Created, s.Updated = fromMS(created), fromMS(updated)
	return &s, nil
}

// MatrixSession returns the session of a Matrix user, or ErrNotFound.
func (db *DB) MatrixSession(ctx context.Context, userID string) (*MatrixSession, error) {
	s, err := queryOne(ctx, db.q, scanMatrixSession, selectMatrixSession, userID)
	if err != nil {
		return nil, fmt.Errorf("matrix session %s: %w", userID, err)
	}
	return s, nil
}

// EnsureMatrixSession returns the session of a Matrix user, creating an
// empty one with txnPrefix when there is none (an existing session keeps
// its prefix).
func (db *DB) EnsureMatrixSession(ctx context.Context, userID, txnPrefix string, now time.Time) (*MatrixSession, error) {
	if _, err := db.q.ExecContext(ctx, insertMatrixSession, userID, txnPrefix, ms(now)); err != nil {
		return nil, fmt.Errorf("matrix session %s: %w", userID, err)
	}
	return db.MatrixSession(ctx, userID)
}

// SaveMatrixLogin records the device and access token of a password login.
func (db *DB) SaveMatrixLogin(ctx context.Context, userID, deviceID, accessToken string, now time.Time) error {
	return db.updateMatrixSession(ctx, userID, updateMatrixLogin, deviceID, accessToken, ms(now))
}

// SaveMatrixSyncToken records the sync token to resume from.
func (db *DB) SaveMatrixSyncToken(ctx context.Context, userID, nextBatch string, now time.Time) error {
	return db.updateMatrixSession(ctx, userID, updateMatrixBatch, nextBatch, ms(now))
}

func (db *DB) updateMatrixSession(ctx context.Context, userID, query string, args ...any) error {
	res, err := db.q.ExecContext(ctx, query, append([]any{userID}, args...)...)
	if err != nil {
		return fmt.Errorf("matrix session %s: %w", userID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("matrix session %s: %w", userID, ErrNotFound)
	}
	return nil
}
