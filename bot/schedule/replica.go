package schedule

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"os"
	"sync/atomic"
	"time"

	"github.com/wirewatch/wirewatch/bot"
	"github.com/wirewatch/wirewatch/store"
)

// Replica is this process's part among replicas of one PostgreSQL store:
// Run claims each due feed before polling it (a lease, renewed while the
// poll runs, released after), and the duties of one process at a time —
// queuing digests, pruning, the ops channel's checks, the Matrix sync
// (WhileLeader) — run on the replica holding the leader lease. A replica
// that dies holds its leases until they run out: then the others take
// over its feeds and, one of them, the lead. Deliveries are claimed by
// the dispatcher as with one process.
type Replica struct {
	Name  string        // the holder of this process's leases: host, pid and a random part
	Lease time.Duration // how long a lease lasts unless renewed

	leader atomic.Bool
}

// leaderLease names the leader's lease.
const leaderLease = "leader"

// NewReplica returns this process's replica with leases of d.
func NewReplica(d time.Duration) *Replica {
	host, _ := os.Hostname()
	var b [4]byte
	rand.Read(b[:])
	return &Replica{Name: fmt.Sprintf("%s:%d:%s", host, os.Getpid(), hex.EncodeToString(b[:])), Lease: d}
}

// Leader reports whether this replica held the leader lease when it last
// looked (nil, one process: always).
func (r *Replica) Leader() bool { return r == nil || r.leader.Load() }

// lead takes or renews the leader lease now, and records whether it has it.
func (r *Replica) lead(ctx context.Context, db *store.DB, now time.Time, log *slog.Logger) {
	ok, err := db.HoldLease(ctx, leaderLease, r.Name, now, now.Add(r.Lease))
	if err != nil {
		if ctx.Err() == nil {
			log.Error("cannot renew the leader lease", slog.Any("error", err))
		}
		ok = false // a lease not renewed may run out: act as a follower
	}
	if was := r.leader.Swap(ok); was != ok {
		log.Info("leader lease", slog.Bool("leader", ok), slog.String("replica", r.Name))
	}
}

// leadLoop renews the leader lease (or tries to take it) three times a
// lease until ctx is done, then gives it up.
func (r *Replica) leadLoop(ctx context.Context, db *store.DB, now bot.Clock, log *slog.Logger) {
	t := time.NewTicker(r.Lease / 3)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			if r.leader.Swap(false) {
				db.ReleaseLease(context.WithoutCancel(ctx), leaderLease, r.Name)
			}
			return
		case <-t.C:
			r.lead(ctx, db, now(), log)
		}
	}
}

// WhileLeader runs fn whenever this replica leads, on a context done when
// it stops leading (or ctx is done), until ctx is done; with one process
// (nil) it runs fn once. It returns fn's last error.
func (r *Replica) WhileLeader(ctx context.Context, fn func(ctx context.Context) error) error {
	if r == nil {
		return fn(ctx)
	}
	var err error
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		if r.Leader() {
			lctx, cancel := context.WithCancel(ctx)
			done := make(chan struct{})
			go func() {
				defer close(done)
				err = fn(lctx)
			}()
		watch:
			for {
				select {
				case <-done:
					break watch
				case <-t.C:
					if !r.Leader() {
						cancel()
					}
				}
			}
			cancel()
		}
		select {
		case <-ctx.Done():
			return err
		case <-t.C:
		}
	}
}

// claim claims a due feed for a poll: ok, with held, which reports
// whether the claim still has a third of a lease to run (the fetch begins
// only then: a replica stalled past its lease, its renewals too, leaves
// the feed to the one that took it over), and a release to call when the
// poll ends with the time it is due next (the lease is renewed meanwhile;
// ReleaseFeed); else when to try it again.
func (r *Replica) claim(ctx context.Context, db *store.DB, f bot.Feed, now bot.Clock, log *slog.Logger) (held func() bool, release func(next time.Time), retry time.Time, ok bool) {
	t := now()
	ok, retry, err := db.ClaimFeed(ctx, f.Name, f.URL, r.Name, t, t.Add(r.Lease))
	if err != nil {
		if ctx.Err() == nil {
			log.Error("cannot claim feed", slog.String("feed", f.Name), slog.Any("error", err))
		}
		return nil, nil, t.Add(min(r.Lease/2, 5*time.Second)), false
	}
	if !ok {
		return nil, nil, retry, false
	}
	// end is when the claim runs out at the latest as this replica knows
	// it: the time before the statement that set it, plus a lease.
	var end atomic.Int64
	end.Store(t.Add(r.Lease).UnixNano())
	held = func() bool { return now().Add(r.Lease/3).UnixNano() < end.Load() }
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		tick := time.NewTicker(r.Lease / 3)
		defer tick.Stop()
		for {
			select {
			case <-stop:
				return
			case <-tick.C:
				t := now()
				ok, err := db.RenewFeed(ctx, f.Name, r.Name, t.Add(r.Lease))
				switch {
				case err == nil && ok:
					end.Store(t.Add(r.Lease).UnixNano())
				case err != nil && ctx.Err() == nil:
					log.Warn("cannot renew a feed's lease", slog.String("feed", f.Name), slog.Any("error", err))
				case err == nil:
					// It ran out and another replica took it: a fetch not
					// begun is left to that one; one under way goes on
					// (nothing is stored twice: items are unique per feed).
					end.Store(0)
					log.Warn("lost a feed's lease while polling it", slog.String("feed", f.Name))
				}
			}
		}
	}()
	return held, func(next time.Time) {
		close(stop)
		<-done
		if err := db.ReleaseFeed(context.WithoutCancel(ctx), f.Name, r.Name, next); err != nil {
			log.Warn("cannot release a feed's lease", slog.String("feed", f.Name), slog.Any("error", err))
		}
	}, time.Time{}, true
}
