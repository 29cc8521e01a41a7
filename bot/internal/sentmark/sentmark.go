// Package sentmark holds the one delivery a dispatcher has sent and not
// yet marked sent: it is marked in the transaction that claims the next
// delivery (one commit where two were), or when the flush ends. Only a
// crash between its send and that commit sends it again, as a crash
// before its own mark did: at most one delivery is ever sent and
// unrecorded.
package sentmark

import (
	"context"
	"log/slog"
	"time"

	"github.com/wirewatch/wirewatch/store"
)

// Last is the delivery sent last and not yet marked sent; the zero value
// holds none.
type Last struct {
	id     int64
	remote string
	at     time.Time
	log    *slog.Logger // the delivery's logger; nil when none waits
}

// Set makes delivery id, which went out as remote at at, the one waiting
// (log is its logger).
func (l *Last) Set(id int64, remote string, at time.Time, log *slog.Logger) {
	*l = Last{id: id, remote: remote, at: at, log: log}
}

// Mark marks the delivery sent through db, which may be a transaction's
// (nothing when none waits). Done forgets it once that is committed.
func (l *Last) Mark(ctx context.Context, db *store.DB) error {
	if l.log == nil {
		return nil
	}
	return db.MarkSent(ctx, l.id, l.remote, l.at)
}

// Done forgets the delivery, whose mark was committed.
func (l *Last) Done() {
	if l.log != nil {
		l.log.Debug("delivered", slog.String("remote_id", l.remote))
	}
	*l = Last{}
}

// Record marks the delivery sent in a statement of its own and forgets
// it; a failure is logged (it stays claimed and started: a later attempt
// is a resend).
func (l *Last) Record(ctx context.Context, db *store.DB) {
	if err := l.Mark(ctx, db); err != nil {
		l.log.Error("delivery sent but not recorded", slog.Any("error", err))
		*l = Last{}
		return
	}
	l.Done()
}
