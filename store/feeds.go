package store

import (
	"context"
	"fmt"
	"time"

	"github.com/wirewatch/wirewatch/store/internal/sqlx"
)

const (
	feedColumns = `name, url, etag, last_modified, last_attempt, last_success, last_error, failures, next_poll, item_count, retry_until`
	selectFeed  = `SELECT ` + feedColumns + ` FROM feeds WHERE name = $1`
	selectFeeds = `SELECT ` + feedColumns + ` FROM feeds ORDER BY name`
	upsertFeed  = `INSERT INTO feeds (` + feedColumns + `) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
		ON CONFLICT (name) DO UPDATE SET url = excluded.url, etag = excluded.etag,
		last_modified = excluded.last_modified, last_attempt = excluded.last_attempt,
		last_success = excluded.last_success, last_error = excluded.last_error,
		failures = excluded.failures, next_poll = excluded.next_poll, item_count = excluded.item_count,
		retry_until = excluded.retry_until`
)

// FeedState is what is remembered about polling one feed.
type FeedState struct {
	Name         string
	URL          string
	ETag         string
	LastModified string
	LastAttempt  time.Time
	LastSuccess  time.Time
	LastError    string // "" after a success
	Failures     int    // consecutive failures
	NextPoll     time.Time
	ItemCount    int64 // items stored from this feed
	// RetryUntil is when the feed's server asked to be polled again at the
	// earliest (Retry-After, with the failure that said so); zero when it
	// did not ask, and after a success.
	RetryUntil time.Time
}

// At returns the state as it stands for the feed at url: at another URL
// than it was polled at, none of the old URL's validators, failures or
// server's wait says anything about the new one.
func (f FeedState) At(url string) FeedState {
	if f.URL != url {
		f.ETag, f.LastModified, f.Failures, f.LastError, f.RetryUntil = "", "", 0, "", time.Time{}
		f.URL = url
	}
	return f
}

// FailedElsewhere reports whether the state's failures, and the backoff of
// its next poll, are another URL's than url: they say nothing of url (At),
// which is due at once. ClaimFeed's statement (claimFeed) asks the same.
func (f FeedState) FailedElsewhere(url string) bool { return f.URL != url && f.Failures > 0 }

func scanFeed(row sqlx.Scanner) (*FeedState, error) {
	var f FeedState
	var attempt, success, next, retry int64
	err := row.Scan(&f.Name, &f.URL, &f.ETag, &f.LastModified, &attempt, &success, &f.LastError, &f.Failures, &next, &f.ItemCount, &retry)
	if err != nil {
		return nil, err
	}
	f.LastAttempt, f.LastSuccess, f.NextPoll, f.RetryUntil = sqlx.FromMS(attempt), sqlx.FromMS(success), sqlx.FromMS(next), sqlx.FromMS(retry)
	return &f, nil
}

// FeedState returns the state of the named feed, or ErrNotFound.
func (db *DB) FeedState(ctx context.Context, name string) (*FeedState, error) {
	f, err := sqlx.One(ctx, db.q, scanFeed, selectFeed, name)
	return named(f, err, "feed %s", name)
}

// FeedStates returns every feed's state, by name.
func (db *DB) FeedStates(ctx context.Context) ([]*FeedState, error) {
	out, err := sqlx.All(ctx, db.q, scanFeed, selectFeeds)
	return named(out, err, "feeds")
}

// SaveFeedState stores a feed's state.
func (db *DB) SaveFeedState(ctx context.Context, f *FeedState) error {
	return saveFeedState(ctx, db.q, f)
}

// SaveFeedState stores a feed's state within the transaction.
func (tx *Tx) SaveFeedState(ctx context.Context, f *FeedState) error {
	return saveFeedState(ctx, tx.q, f)
}

func saveFeedState(ctx context.Context, q queryer, f *FeedState) error {
	_, err := q.ExecContext(ctx, upsertFeed, f.Name, f.URL, f.ETag, f.LastModified,
		sqlx.MS(f.LastAttempt), sqlx.MS(f.LastSuccess), f.LastError, f.Failures, sqlx.MS(f.NextPoll), f.ItemCount, sqlx.MS(f.RetryUntil))
	if err != nil {
		return fmt.Errorf("save feed %s: %w", f.Name, err)
	}
	return nil
}
