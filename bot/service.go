package bot

import (
	"context"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/wirewatch/wirewatch/store"
)

// Service runs the whole job: polls feeds on their schedules, queues due
// digests and dispatches the outbox.
type Service struct {
	DB          *store.DB
	Poller      *Poller
	Dispatcher  *Dispatcher
	Digester    *Digester
	Feeds       []Feed
	Log         *slog.Logger
	Now         Clock
	Concurrency int           // feeds polled at once (default 4)
	RetryEvery  time.Duration // how often the outbox is checked for retries (default 30s)
	Retention   time.Duration // stories older than this are pruned (0: never)
	Heartbeat   time.Duration // how often Run's loop ticks at least (default DefaultHeartbeat)
	// OnPoll, when set, is called by Once after each feed's poll (failed:
	// err set, logged already), from the polling goroutines at once.
	OnPoll func(f Feed, res PollResult, err error)
	// Observer, when set, hears of every poll (for metrics).
	Observer Observer
	// Ops, when set, tells the ops channel of problems: checked at each
	// heartbeat of Run, and by Once before its last flush.
	Ops *Ops

	ticked atomic.Int64 // the scheduler's last tick, Unix ns

	mu      sync.Mutex    // guards Feeds once the service runs, and changed
	changed chan struct{} // SetFeeds tells Run of new feeds
}

// SetFeeds replaces the feeds (a configuration reload): Run polls a new
// feed when it is due (at once when never polled), stops polling a removed
// one (a poll under way finishes), and moves a feed whose schedule changed
// to its new schedule's next time unless it is backing off after failures.
func (s *Service) SetFeeds(fs []Feed) {
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
func (s *Service) feedList() []Feed {
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

// prune deletes what is older than the retention period.
func (s *Service) prune(ctx context.Context) {
	if s.Retention <= 0 {
		return
	}
	now := s.Now()
	n, err := s.DB.Prune(ctx, now.Add(-s.Retention), now)
	if err != nil {
		s.Log.Error("cannot prune old stories", slog.Any("error", err))
		return
	}
	if n > 0 {
		s.Log.Info("pruned old stories", slog.Int64("stories", n), slog.Duration("retention", s.Retention))
	}
}

// OnceResult says what Once did.
type OnceResult struct {
	FeedsOK     int
	FeedsFailed int
	Digests     int
	Flush       FlushResult // every flush of the run: Sent and Failed summed, Pending at the end
}

// Once polls every feed once, sending what each poll queues while the
// other feeds are polled (as Run does); then it queues the digests that are
// due (or every pending one with forceDigests), sends everything left in
// the outbox — held and retrying deliveries too — and returns. OnPoll, when
// set, hears of each poll as it ends.
func (s *Service) Once(ctx context.Context, forceDigests bool) (OnceResult, error) {
	var res OnceResult
	s.prune(ctx)
	kick := make(chan struct{}, 1)
	during := make(chan FlushResult, 1)
	go func() {
		// While feeds are polled, send what is due now; what waits for
		// a retry or a merge goes in the last flush below.
		var sum FlushResult
		for range kick {
			r, err := s.Dispatcher.Flush(ctx, false)
			if err != nil && ctx.Err() == nil {
				s.Log.Error("cannot dispatch", slog.Any("error", err))
			}
			sum.Sent += r.Sent
			sum.Failed += r.Failed
		}
		during <- FlushResult{Sent: sum.Sent, Failed: sum.Failed}
	}()
	kickIf := func(r IngestResult) {
		if r.Alerts+r.Updates > 0 {
			select {
			case kick <- struct{}{}:
			default: // a flush is due already
			}
		}
	}
	done := func(f Feed, pr PollResult, err error) {
		if err != nil {
			res.FeedsFailed++
		} else {
			res.FeedsOK++
		}
		if s.OnPoll != nil {
			s.OnPoll(f, pr, err)
		}
	}
	// The items of the feeds fetched within gatherWait are ingested
	// together in publication order, whatever order the feeds answered in:
	// a re-report meets the wire story it follows, as it did in the world,
	// and the stories formed do not depend on which feed came first. A feed
	// slower than that is ingested as it comes, so that what is due is
	// delivered while slow feeds load.
	type fetchResult struct {
		fd  *Fetched
		err error
	}
	results := make(chan fetchResult)
	go func() {
		s.forEachFeed(ctx, s.feedList(), func(fd *Fetched, err error) { results <- fetchResult{fd, err} })
		close(results)
	}()
	gather := time.NewTimer(gatherWait)
	defer gather.Stop()
	gathering := true
	var fetched []*Fetched
	for results != nil {
		select {
		case r, ok := <-results:
			switch {
			case !ok:
				results = nil
			case r.err != nil:
				s.polled(ctx, r.fd.Feed, r.fd.Result, r.err)
				done(r.fd.Feed, r.fd.Result, r.err)
			default:
				fetched = append(fetched, r.fd)
			}
		case <-gather.C:
			gathering = false
		}
		if !gathering && len(fetched) > 0 {
			s.ingestInOrder(ctx, fetched, kickIf, done)
			fetched = nil
		}
	}
	s.ingestInOrder(ctx, fetched, kickIf, done)
	close(kick)
	res.Flush = <-during
	if err := ctx.Err(); err != nil {
		return res, err
	}
	n, _, err := s.Digester.Queue(ctx, forceDigests)
	res.Digests = n
	if err != nil {
		return res, err
	}
	s.checkOps(ctx)
	last, err := s.Dispatcher.Flush(ctx, true)
	res.Flush.Sent += last.Sent
	res.Flush.Failed += last.Failed
	res.Flush.Pending = last.Pending
	return res, err
}

// poll polls one feed and logs its failure, once, here.
func (s *Service) poll(ctx context.Context, f Feed) (PollResult, error) {
	res, err := s.Poller.Poll(ctx, f)
	s.polled(ctx, f, res, err)
	return res, err
}

// polled tells the observer of a poll and logs its failure, once, here.
func (s *Service) polled(ctx context.Context, f Feed, res PollResult, err error) {
	if ctx.Err() != nil {
		return
	}
	observerOr(s.Observer).FeedPolled(f, res, res.FetchTime, err)
	if err != nil {
		s.Log.Warn("feed poll failed", slog.String("feed", f.Name), slog.Any("error", err),
			slog.Int("failures", res.Failures), slog.Time("retry_at", res.RetryAt))
	}
}

// gatherWait is how long Once waits for feeds to answer before it ingests
// what it has (in publication order) and goes on as the rest come.
const gatherWait = 2 * time.Second

// ingestInOrder ingests the items of the fetched feeds one at a time in
// publication order (ties by feed name, then document order), calling kick
// with what each ingest queued, then ends each feed's poll (its state saved)
// once its last item is in, calling done.
func (s *Service) ingestInOrder(ctx context.Context, fetched []*Fetched, kick func(IngestResult), done func(Feed, PollResult, error)) {
	type entry struct {
		fd *Fetched
		i  int
	}
	var all []entry
	left := make(map[*Fetched]int, len(fetched))
	errs := make(map[*Fetched]error)
	for _, fd := range fetched {
		for i := range fd.Items {
			all = append(all, entry{fd, i})
		}
		left[fd] = len(fd.Items)
	}
	slices.SortFunc(all, func(a, b entry) int {
		if c := a.fd.Items[a.i].Published.Compare(b.fd.Items[b.i].Published); c != 0 {
			return c
		}
		if c := strings.Compare(a.fd.Feed.Name, b.fd.Feed.Name); c != 0 {
			return c
		}
		return a.i - b.i
	})
	finish := func(fd *Fetched) {
		pr, err := s.Poller.Done(ctx, fd, errs[fd])
		s.polled(ctx, fd.Feed, pr, err)
		done(fd.Feed, pr, err)
	}
	for _, fd := range fetched {
		if left[fd] == 0 {
			finish(fd) // not modified, or empty
		}
	}
	for _, e := range all {
		if ctx.Err() != nil {
			return
		}
		if errs[e.fd] == nil {
			before := e.fd.Result.IngestResult
			errs[e.fd] = s.Poller.Ingest(ctx, e.fd, e.fd.Items[e.i:e.i+1])
			after := e.fd.Result.IngestResult
			kick(IngestResult{Alerts: after.Alerts - before.Alerts, Updates: after.Updates - before.Updates})
		}
		if left[e.fd]--; left[e.fd] == 0 {
			finish(e.fd)
		}
	}
}

// forEachFeed fetches feeds with bounded concurrency, calling done after
// each (from the fetching goroutines).
func (s *Service) forEachFeed(ctx context.Context, fs []Feed, done func(*Fetched, error)) {
	sem := make(chan struct{}, s.concurrency())
	var wg sync.WaitGroup
	for _, f := range fs {
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
			wg.Wait()
			return
		}
		wg.Add(1)
		go func(f Feed) {
			defer func() { <-sem; wg.Done() }()
			fd, err := s.Poller.Fetch(ctx, f)
			done(fd, err)
		}(f)
	}
	wg.Wait()
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
	for _, st := range states {
		next[st.Name] = st.NextPoll
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
	pruneTick := time.NewTicker(24 * time.Hour)
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
			go func(f Feed) {
				defer wg.Done()
				select {
				case sem <- struct{}{}:
				case <-ctx.Done():
					results <- result{name: f.Name}
					return
				}
				defer func() { <-sem }()
				s.poll(ctx, f)
				at := f.Schedule.Next(s.Now())
				if st, err := s.DB.FeedState(context.WithoutCancel(ctx), f.Name); err == nil && !st.NextPoll.IsZero() {
					at = st.NextPoll
				}
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
				if i := slices.IndexFunc(feedList, func(f Feed) bool { return f.Name == r.name }); i >= 0 && ctx.Err() == nil {
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
	if s.Ops == nil {
		return
	}
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
func (s *Service) reschedule(ctx context.Context, old, now []Feed, next map[string]time.Time, never, running, rescheduled map[string]bool) {
	before := make(map[string]Feed, len(old))
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
				next[f.Name] = st.NextPoll
			}
			s.Log.Info("feed added", slog.String("feed", f.Name), slog.Time("next_poll", next[f.Name]))
			continue
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
		if !slices.ContainsFunc(now, func(f Feed) bool { return f.Name == name }) {
			s.Log.Info("feed removed: no longer polled", slog.String("feed", name))
		}
	}
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
		_, nextDigest, err := s.Digester.Queue(sendCtx, false)
		if err != nil {
			s.Log.Error("cannot queue digests", slog.Any("error", err))
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
