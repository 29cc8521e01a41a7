package schedule

import (
	"context"
	"errors"
	"log/slog"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/wirewatch/wirewatch/bot"
	"github.com/wirewatch/wirewatch/store"
)

// Service runs the whole job: polls feeds on their schedules, queues due
// digests and dispatches the outbox.
type Service struct {
	DB          *store.DB
	Poller      *bot.Poller
	Dispatcher  *bot.Dispatcher
	Digester    *Digester
	Feeds       []bot.Feed
	Log         *slog.Logger
	Now         bot.Clock
	Concurrency int           // feeds polled at once (default 4)
	RetryEvery  time.Duration // how often the outbox is checked for retries (default 30s)
	Retention   time.Duration // stories older than this are pruned (0: never)
	Heartbeat   time.Duration // how often Run's loop ticks at least (default DefaultHeartbeat)
	// OnPoll, when set, is called by Once after each feed's poll (failed:
	// err set, logged already), from the polling goroutines at once.
	OnPoll func(f bot.Feed, res bot.PollResult, err error)
	// Observer, when set, hears of every poll (for metrics).
	Observer bot.Observer
	// Ops, when set, tells the ops channel of problems: checked at each
	// heartbeat of Run, and by Once before its last flush.
	Ops *Ops
	// Replica, when set, coordinates this process with the other replicas
	// of a PostgreSQL store (replica.go); nil: the only process.
	Replica *Replica

	ticked atomic.Int64 // the scheduler's last tick, Unix ns
	pruned time.Time    // when this process last pruned (read and set by Run alone)

	mu      sync.Mutex    // guards Feeds once the service runs, and changed
	changed chan struct{} // SetFeeds tells Run of new feeds
}

// SetFeeds replaces the feeds (a configuration reload): Run polls a new
// feed when it is due (at once when never polled), stops polling a removed
// one (a poll under way finishes), and moves a feed whose schedule changed
// to its new schedule's next time unless it is backing off after failures.
func (s *Service) SetFeeds(fs []bot.Feed) {
	s.mu.Lock()
	s.Feeds = fs
	ch := s.changedChan()
	s.mu.Unlock()
	select {
	case ch <- struct{}{}:
	default: // Run has a change to read already
	}
}

// feedList returns the feeds.
func (s *Service) feedList() []bot.Feed {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.Feeds
}

// changedChan returns the channel SetFeeds signals; s.mu is held.
func (s *Service) changedChan() chan struct{} {
	if s.changed == nil {
		s.changed = make(chan struct{}, 1)
	}
	return s.changed
}

// pruneEvery is how often the leader prunes; Run asks every pruneCheck,
// so that a replica that becomes the leader prunes within the hour (with
// replicas restarted daily, none might live to a 24-hour tick).
const pruneEvery, pruneCheck = 24 * time.Hour, time.Hour

// prune deletes what is older than the retention period, when this
// process leads and has not pruned within pruneEvery.
func (s *Service) prune(ctx context.Context) {
	if s.Retention <= 0 || !s.Replica.Leader() {
		return
	}
	now := s.Now()
	if !s.pruned.IsZero() && now.Sub(s.pruned) < pruneEvery {
		return
	}
	n, err := s.DB.Prune(ctx, now.Add(-s.Retention), now)
	if err != nil {
		s.Log.Error("cannot prune old stories", slog.Any("error", err))
		return
	}
	s.pruned = now
	if n > 0 {
		s.Log.Info("pruned old stories", slog.Int64("stories", n), slog.Duration("retention", s.Retention))
	}
}

// due returns when a feed polled with the outcome res, err is due next:
// when its stored state says, or, after a failure, at its retry at the
// soonest, since the store may not have taken the failure (failing too)
// and would leave the feed due at once. A claim ran short (ErrClaimLost)
// fetched nothing and changes nothing.
func (s *Service) due(ctx context.Context, f bot.Feed, res bot.PollResult, err error) time.Time {
	at := f.Schedule.Next(s.Now())
	if st, serr := s.DB.FeedState(context.WithoutCancel(ctx), f.Name); serr == nil && !st.NextPoll.IsZero() {
		at = st.NextPoll
	}
	if err != nil && ctx.Err() == nil && !errors.Is(err, bot.ErrClaimLost) {
		retry := res.RetryAt
		if retry.IsZero() { // it failed before a retry was set (reading the feed's state)
			retry = f.Schedule.Next(s.Now())
		}
		if retry.After(at) {
			at = retry
		}
	}
	return at
}

func (s *Service) concurrency() int {
	if s.Concurrency > 0 {
		return s.Concurrency
	}
	return 4
}

// Run polls each feed when its next poll is due (at once for feeds never
// polled or overdue after a restart), and dispatches deliveries as they are
// queued, until ctx is done. On shutdown it stops polling and lets the
// delivery in flight finish.
func (s *Service) Run(ctx context.Context) error {
	kick := make(chan struct{}, 1)
	dispatchDone := make(chan struct{})
	if s.Replica != nil {
		s.Replica.lead(ctx, s.DB, s.Now(), s.Log)
		lctx, stopLead := context.WithCancel(ctx)
		leadDone := make(chan struct{})
		go func() {
			defer close(leadDone)
			s.Replica.leadLoop(lctx, s.DB, s.Now, s.Log)
		}()
		defer func() { stopLead(); <-leadDone }() // Run may return before ctx is done
	}
	go func() {
		defer close(dispatchDone)
		s.dispatchLoop(ctx, kick)
	}()

	s.mu.Lock()
	feedList, changed := s.Feeds, s.changedChan()
	s.mu.Unlock()
	next := make(map[string]time.Time, len(feedList))
	states, err := s.DB.FeedStates(ctx)
	if err != nil {
		return err
	}
	stored := make(map[string]*store.FeedState, len(states))
	for _, st := range states {
		next[st.Name], stored[st.Name] = st.NextPoll, st
	}
	for _, f := range feedList {
		if st := stored[f.Name]; st != nil {
			next[f.Name] = storedDue(f, st) // moved since its last poll: at once
		}
	}
	type result struct {
		name string
		at   time.Time
	}
	results := make(chan result, len(feedList))
	running := map[string]bool{}
	never := map[string]bool{}       // feeds whose schedule has no next time
	rescheduled := map[string]bool{} // running feeds whose schedule changed meanwhile
	sem := make(chan struct{}, s.concurrency())
	// Polls started and not ended: no more than Concurrency start at once,
	// so that 10,000 feeds due together are not 10,000 goroutines waiting.
	active := 0
	var wg sync.WaitGroup
	timer := time.NewTimer(0)
	defer timer.Stop()
	s.prune(ctx)
	s.checkOps(ctx)
	pruneTick := time.NewTicker(pruneCheck)
	defer pruneTick.Stop()
	heartbeat := time.NewTicker(s.heartbeat())
	defer heartbeat.Stop()

	for {
		now := s.Now()
		s.ticked.Store(time.Now().UnixNano())
		var wake time.Time
		for _, f := range feedList {
			if running[f.Name] || never[f.Name] {
				continue
			}
			if due := next[f.Name]; due.After(now) {
				if wake.IsZero() || due.Before(wake) {
					wake = due
				}
				continue
			}
			if active >= s.concurrency() {
				continue // due: started when a poll under way ends
			}
			running[f.Name] = true
			active++
			wg.Add(1)
			go func(f bot.Feed) {
				defer wg.Done()
				select {
				case sem <- struct{}{}:
				case <-ctx.Done():
					results <- result{name: f.Name}
					return
				}
				defer func() { <-sem }()
				pctx, release := ctx, func(time.Time) {}
				if s.Replica != nil {
					held, rel, retry, ok := s.Replica.claim(ctx, s.DB, f, s.Now, s.Log)
					if !ok {
						// Polled by another replica this tick, or being polled.
						results <- result{name: f.Name, at: retry}
						return
					}
					pctx, release = bot.WithClaim(ctx, held), rel
				}
				res, err := s.poll(pctx, f)
				at := s.due(ctx, f, res, err)
				release(at)
				results <- result{name: f.Name, at: at}
			}(f)
		}
		if !wake.IsZero() {
			resetTimer(timer, wake.Sub(now))
		}
		select {
		case <-ctx.Done():
			// Polls under way may outnumber results' buffer (feeds added
			// since): take their results while they finish.
			go func() { wg.Wait(); close(results) }()
			for range results {
			}
			<-dispatchDone
			return nil
		case <-changed:
			old := feedList
			feedList = s.feedList()
			s.reschedule(ctx, old, feedList, next, never, running, rescheduled)
		case r := <-results:
			running[r.name] = false
			active--
			if rescheduled[r.name] {
				// It was polled on its old schedule: the new one applies now.
				delete(rescheduled, r.name)
				if i := slices.IndexFunc(feedList, func(f bot.Feed) bool { return f.Name == r.name }); i >= 0 && ctx.Err() == nil {
					if st, err := s.DB.FeedState(ctx, r.name); err == nil && st.Failures == 0 {
						r.at = feedList[i].Schedule.Next(s.Now())
					}
				}
			}
			next[r.name] = r.at
			if r.at.IsZero() && ctx.Err() == nil {
				// A schedule that never fires (0 0 30 2 *) gives no next
				// time; polling again at once would spin.
				never[r.name] = true
				s.Log.Warn("feed schedule has no next time: not polled again", slog.String("feed", r.name))
			}
			select {
			case kick <- struct{}{}:
			default:
			}
		case <-timer.C:
		case <-pruneTick.C:
			s.prune(ctx)
		case <-heartbeat.C:
			s.checkOps(ctx)
			select {
			case kick <- struct{}{}: // a notice may be queued
			default:
			}
		}
	}
}

// checkOps queues the ops channel's notices due; a failure is logged.
func (s *Service) checkOps(ctx context.Context) {
	if s.Ops == nil || !s.Replica.Leader() {
		return
	}
	s.Ops.Feeds = s.feedList() // as a reload left them (Ops is read by this loop alone)
	if err := s.Ops.Check(ctx); err != nil && ctx.Err() == nil {
		s.Log.Error("cannot check for the ops channel", slog.Any("error", err))
	}
}

// DefaultHeartbeat is how often Run's scheduler loop ticks when no feed is
// due sooner: a loop that has not ticked for several times this is stuck.
const DefaultHeartbeat = time.Minute

func (s *Service) heartbeat() time.Duration {
	if s.Heartbeat > 0 {
		return s.Heartbeat
	}
	return DefaultHeartbeat
}

// LastTick returns when Run's scheduler loop last went round (by the wall
// clock), zero before Run started it.
func (s *Service) LastTick() time.Time {
	ns := s.ticked.Load()
	if ns == 0 {
		return time.Time{}
	}
	return time.Unix(0, ns)
}

// reschedule updates the next poll times for the feeds now, after old:
// a feed not seen before takes its stored next poll (none: at once); one
// whose schedule changed takes its new schedule's next time, unless it is
// backing off after failures (one being polled, when its poll ends: it is
// marked in rescheduled).
func (s *Service) reschedule(ctx context.Context, old, now []bot.Feed, next map[string]time.Time, never, running, rescheduled map[string]bool) {
	before := make(map[string]bot.Feed, len(old))
	for _, f := range old {
		before[f.Name] = f
	}
	t := s.Now()
	for _, f := range now {
		prev, ok := before[f.Name]
		if !ok {
			delete(next, f.Name)
			delete(never, f.Name)
			if st, err := s.DB.FeedState(ctx, f.Name); err == nil {
				next[f.Name] = storedDue(f, st)
			}
			s.Log.Info("feed added", slog.String("feed", f.Name), slog.Time("next_poll", next[f.Name]))
			continue
		}
		if prev.URL != f.URL && !running[f.Name] {
			if st, err := s.DB.FeedState(ctx, f.Name); err == nil && st.FailedElsewhere(f.URL) {
				next[f.Name] = time.Time{} // at once
				s.Log.Info("feed moved: its old URL's backoff no longer applies", slog.String("feed", f.Name))
				continue
			}
		}
		at := f.Schedule.Next(t)
		if prev.Schedule == nil || at.Equal(prev.Schedule.Next(t)) {
			continue // the same schedule, or one that comes to the same
		}
		if at.IsZero() {
			never[f.Name] = true
			s.Log.Warn("feed schedule has no next time: not polled again", slog.String("feed", f.Name))
			continue
		}
		delete(never, f.Name)
		if running[f.Name] {
			rescheduled[f.Name] = true
			continue
		}
		if st, err := s.DB.FeedState(ctx, f.Name); err == nil && st.Failures > 0 && next[f.Name].After(t) {
			continue // its backoff stands; the new schedule applies after
		}
		next[f.Name] = at
		s.Log.Info("feed schedule changed", slog.String("feed", f.Name), slog.Time("next_poll", at))
	}
	for name := range before {
		if !slices.ContainsFunc(now, func(f bot.Feed) bool { return f.Name == name }) {
			s.Log.Info("feed removed: no longer polled", slog.String("feed", name))
		}
	}
}

// storedDue returns when a feed is due by its stored state: its stored
// next poll, unless that is a backoff after failures at another URL than
// the feed's now (a reload or a restart moved it, as to fix a broken
// feed): the old URL's failures and its server's wait say nothing of the
// new one (store.FeedState.At), which is polled at once, as a new feed is.
func storedDue(f bot.Feed, st *store.FeedState) time.Time {
	if st.FailedElsewhere(f.URL) {
		return time.Time{}
	}
	return st.NextPoll
}

// dispatchLoop flushes the outbox when kicked, when a retry or a digest is
// due, and at least every RetryEvery.
func (s *Service) dispatchLoop(ctx context.Context, kick <-chan struct{}) {
	every := s.RetryEvery
	if every <= 0 {
		every = 30 * time.Second
	}
	// Sends run on a context that outlives ctx, so that the delivery in
	// flight at shutdown completes and is recorded.
	sendCtx := context.WithoutCancel(ctx)
	timer := time.NewTimer(0)
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-kick:
		case <-timer.C:
		}
		wait := every
		var nextDigest time.Time
		var err error
		if s.Replica.Leader() { // digests are timed by one replica
			if _, nextDigest, err = s.Digester.Queue(sendCtx, false); err != nil {
				s.Log.Error("cannot queue digests", slog.Any("error", err))
			}
		}
		if !nextDigest.IsZero() {
			if d := nextDigest.Sub(s.Now()); d < wait {
				wait = d
			}
		}
		flushCtx, cancel := context.WithCancel(sendCtx)
		stop := context.AfterFunc(ctx, func() {
			// Shutdown: let the current send finish, but bounded.
			time.AfterFunc(10*time.Second, cancel)
		})
		res, err := s.Dispatcher.Flush(flushCtx, false)
		stop()
		cancel()
		if err != nil {
			s.Log.Error("cannot dispatch", slog.Any("error", err))
		}
		if res.Sent > 0 || res.Failed > 0 {
			s.Log.Info("dispatched", slog.Int("sent", res.Sent), slog.Int("failed", res.Failed), slog.Int("pending", res.Pending))
		}
		// Wake when a held update or a retry falls due (a rate limit asks
		// for seconds), not only at the next tick.
		if next, err := s.DB.NextAttempt(sendCtx, s.Now()); err == nil && !next.IsZero() {
			if d := next.Sub(s.Now()); d < wait {
				wait = d
			}
		}
		resetTimer(timer, wait)
	}
}

func resetTimer(t *time.Timer, d time.Duration) {
	if d < 0 {
		d = 0
	}
	t.Stop()
	select {
	case <-t.C:
	default:
	}
	t.Reset(d)
}
