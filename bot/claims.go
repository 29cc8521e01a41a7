package bot

import (
	"context"
	"log/slog"

	"github.com/wirewatch/wirewatch/bot/internal/proc"
)

// releaseDeadClaims ends the claims of processes on this machine that are
// no longer running (killed while sending): their deliveries need not wait
// for the lease to run out. Claims of other machines run out by themselves.
func (d *Dispatcher) releaseDeadClaims(ctx context.Context) error {
	owners, err := d.db.Claimants(ctx, d.now())
	if err != nil {
		return err
	}
	for _, o := range owners {
		if !proc.Stopped(o) {
			continue
		}
		if err := d.db.ReleaseClaimant(ctx, o); err != nil {
			return err
		}
		d.log.Info("released the deliveries of a process that stopped", slog.String("claimant", o))
	}
	return nil
}
