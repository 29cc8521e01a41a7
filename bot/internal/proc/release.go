package proc

import (
	"context"
	"log/slog"
	"time"

	"github.com/wirewatch/wirewatch/store"
)

// ReleaseDead ends the claims of processes on this machine that are no
// longer running (killed while sending): their deliveries need not wait
// for the lease to run out. Claims of other machines run out by
// themselves. It reports whether it ended any. A dispatcher calls it when
// a claim fails, not before each: a claim is taken on a due delivery, and
// only a failed attempt, which ends the claim, makes it due later, so a
// dead process's claims hold up nothing but due deliveries, whose claims
// are tried.
func ReleaseDead(ctx context.Context, db *store.DB, now time.Time, log *slog.Logger) (bool, error) {
	owners, err := db.Claimants(ctx, now)
	if err != nil {
		return false, err
	}
	released := false
	for _, o := range owners {
		if !Stopped(o) {
			continue
		}
		if err := db.ReleaseClaimant(ctx, o); err != nil {
			return released, err
		}
		released = true
		log.Info("released the deliveries of a process that stopped", slog.String("claimant", o))
	}
	return released, nil
}
