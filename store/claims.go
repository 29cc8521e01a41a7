package store

import (
	"context"
	"fmt"
	"time"

	"github.com/wirewatch/wirewatch/store/internal/sqlx"
)

const (
	// A delivery is claimed when unsent and unclaimed (or its claim ran out,
	// or it is the claimant's own), in one statement: two processes cannot
	// both get it.
	claimDelivery = `UPDATE deliveries SET claimed_by = $2, claimed_until = $3
		WHERE id = $1 AND sent_at = 0 AND (claimed_until < $4 OR claimed_by = $2)`
	releaseClaim    = `UPDATE deliveries SET claimed_by = '', claimed_until = 0 WHERE id = $1 AND claimed_by = $2`
	selectClaimants = `SELECT DISTINCT claimed_by FROM deliveries WHERE sent_at = 0 AND claimed_until >= $1 AND claimed_by <> ''`
	releaseClaimant = `UPDATE deliveries SET claimed_by = '', claimed_until = 0 WHERE claimed_by = $1`
)

// ClaimDelivery claims an unsent delivery for owner until until, and
// reports whether it got it: false when it was sent meanwhile or another
// owner's claim runs after now. Marking it sent, failed or given up ends
// the claim.
func (db *DB) ClaimDelivery(ctx context.Context, id int64, owner string, now, until time.Time) (bool, error) {
	n, err := sqlx.Count(ctx, db.q, claimDelivery, id, owner, sqlx.MS(until), sqlx.MS(now))
	if err != nil {
		return false, fmt.Errorf("claim delivery %d: %w", id, err)
	}
	return n == 1, nil
}

// ReleaseClaim gives up owner's claim on a delivery without recording an
// attempt (the sender was never called).
func (db *DB) ReleaseClaim(ctx context.Context, id int64, owner string) error {
	if _, err := db.q.ExecContext(ctx, releaseClaim, id, owner); err != nil {
		return fmt.Errorf("release delivery %d: %w", id, err)
	}
	return nil
}

// Claimants returns the owners holding claims that run at or after now.
func (db *DB) Claimants(ctx context.Context, now time.Time) ([]string, error) {
	out, err := sqlx.All(ctx, db.q, sqlx.String, selectClaimants, sqlx.MS(now))
	if err != nil {
		return nil, fmt.Errorf("claimants: %w", err)
	}
	return out, nil
}

// ReleaseClaimant ends every claim of owner (a process that died).
func (db *DB) ReleaseClaimant(ctx context.Context, owner string) error {
	if _, err := db.q.ExecContext(ctx, releaseClaimant, owner); err != nil {
		return fmt.Errorf("release claims of %s: %w", owner, err)
	}
	return nil
}
