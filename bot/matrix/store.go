package matrix

import (
	"context"
	"time"

	"go.mau.fi/util/dbutil"
)

// Store keeps what the Matrix client needs across restarts in wirewatch's
// database: the account's session and its encryption state. The store
// package's *DB implements it.
type Store interface {
	SessionStore
	CryptoStore
}

// SessionStore keeps the bot account's login and sync position, per user.
type SessionStore interface {
	// InitMatrixSession makes sure userID has a session, created with
	// txnPrefix when new, and returns the session's transaction id prefix.
	InitMatrixSession(ctx context.Context, userID, txnPrefix string, now time.Time) (string, error)
	// MatrixLogin returns the device and access token of the last
	// password login ("" when none).
	MatrixLogin(ctx context.Context, userID string) (deviceID, accessToken string, err error)
	// SaveMatrixLogin records the device and access token of a login.
	SaveMatrixLogin(ctx context.Context, userID, deviceID, accessToken string, now time.Time) error
	// MatrixSyncToken returns the sync token to resume from ("" at first).
	MatrixSyncToken(ctx context.Context, userID string) (string, error)
	// SaveMatrixSyncToken records the sync token to resume from.
	SaveMatrixSyncToken(ctx context.Context, userID, nextBatch string, now time.Time) error
}

// CryptoStore keeps the end-to-end encryption state (used by goolm builds).
type CryptoStore interface {
	// CryptoDatabase returns the database that mautrix's crypto and room
	// state stores keep their own tables in.
	CryptoDatabase() (*dbutil.Database, error)
	// MatrixPickleKey returns the pickle key generated for this database,
	// "" when none was.
	MatrixPickleKey(ctx context.Context) (string, error)
	// InitMatrixPickleKey stores key as the generated pickle key unless
	// one is stored, and returns the stored one.
	InitMatrixPickleKey(ctx context.Context, key string, now time.Time) (string, error)
}
