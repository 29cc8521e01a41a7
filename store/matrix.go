package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/wirewatch/wirewatch/store/internal/sqlx"
	"go.mau.fi/util/dbutil"
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

func scanMatrixSession(row sqlx.Scanner) (*MatrixSession, error) {
	var s MatrixSession
	var created, updated int64
	if err := row.Scan(&s.UserID, &s.DeviceID, &s.AccessToken, &s.NextBatch, &s.TxnPrefix, &created, &updated); err != nil {
		return nil, err
	}
	s.Created, s.Updated = sqlx.FromMS(created), sqlx.FromMS(updated)
	return &s, nil
}

// MatrixSession returns the session of a Matrix user, or ErrNotFound.
func (db *DB) MatrixSession(ctx context.Context, userID string) (*MatrixSession, error) {
	s, err := sqlx.One(ctx, db.q, scanMatrixSession, selectMatrixSession, userID)
	return named(s, err, "matrix session %s", userID)
}

// InitMatrixSession makes sure a Matrix user has a session, creating an
// empty one with txnPrefix when there is none, and returns the session's
// transaction id prefix (an existing session keeps its own).
func (db *DB) InitMatrixSession(ctx context.Context, userID, txnPrefix string, now time.Time) (string, error) {
	if _, err := db.q.ExecContext(ctx, insertMatrixSession, userID, txnPrefix, sqlx.MS(now)); err != nil {
		return "", fmt.Errorf("matrix session %s: %w", userID, err)
	}
	s, err := db.MatrixSession(ctx, userID)
	if err != nil {
		return "", err
	}
	return s.TxnPrefix, nil
}

// MatrixLogin returns the device and access token of a Matrix user's last
// password login ("" when there was none), or ErrNotFound without a session.
func (db *DB) MatrixLogin(ctx context.Context, userID string) (deviceID, accessToken string, err error) {
	s, err := db.MatrixSession(ctx, userID)
	if err != nil {
		return "", "", err
	}
	return s.DeviceID, s.AccessToken, nil
}

// MatrixSyncToken returns the sync token a Matrix user's sync resumes from
// ("" before the first sync), or ErrNotFound without a session.
func (db *DB) MatrixSyncToken(ctx context.Context, userID string) (string, error) {
	s, err := db.MatrixSession(ctx, userID)
	if err != nil {
		return "", err
	}
	return s.NextBatch, nil
}

// SaveMatrixLogin records the device and access token of a password login.
func (db *DB) SaveMatrixLogin(ctx context.Context, userID, deviceID, accessToken string, now time.Time) error {
	return db.updateMatrixSession(ctx, userID, updateMatrixLogin, deviceID, accessToken, sqlx.MS(now))
}

// SaveMatrixSyncToken records the sync token to resume from.
func (db *DB) SaveMatrixSyncToken(ctx context.Context, userID, nextBatch string, now time.Time) error {
	return db.updateMatrixSession(ctx, userID, updateMatrixBatch, nextBatch, sqlx.MS(now))
}

func (db *DB) updateMatrixSession(ctx context.Context, userID, query string, args ...any) error {
	n, err := sqlx.Count(ctx, db.q, query, append([]any{userID}, args...)...)
	if err != nil {
		return fmt.Errorf("matrix session %s: %w", userID, err)
	}
	if n == 0 {
		return fmt.Errorf("matrix session %s: %w", userID, ErrNotFound)
	}
	return nil
}

// matrixPickleKey names the setting that holds the generated pickle key.
const matrixPickleKey = "matrix_pickle_key"

// MatrixPickleKey returns the key generated for this database to encrypt
// the Matrix olm state, "" when none was stored.
func (db *DB) MatrixPickleKey(ctx context.Context) (string, error) {
	v, err := db.Setting(ctx, matrixPickleKey)
	if errors.Is(err, ErrNotFound) {
		return "", nil
	}
	return v, err
}

// InitMatrixPickleKey stores key as the database's Matrix pickle key
// unless one is stored, and returns the stored one.
func (db *DB) InitMatrixPickleKey(ctx context.Context, key string, now time.Time) (string, error) {
	return db.InitSetting(ctx, matrixPickleKey, key, now)
}

// CryptoDatabase returns this database wrapped for mautrix's stores (the
// olm machine's crypto store and the rooms' state store), which keep
// tables and migrations of their own in it: one connection pool for all.
func (db *DB) CryptoDatabase() (*dbutil.Database, error) {
	db.cryptoOnce.Do(func() {
		db.cryptoDB, db.cryptoErr = dbutil.NewWithDB(db.db, string(db.dialect))
	})
	return db.cryptoDB, db.cryptoErr
}
