package schedule

import (
	"context"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/wirewatch/wirewatch/bot"
)

// OnceResult says what Once did.
type OnceResult struct {
	FeedsOK     int
	FeedsFailed int
	Digests     int
	Flush       bot.FlushResult // every flush of the run: Sent and Failed summed, Pending at the end
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
	during := make(chan bot.FlushResult, 1)
	go func() {
		// While feeds are polled, send what is due now; what waits for
		// a retry or a merge goes in the last flush below.
		var sum bot.FlushResult
		for range kick {
			r, err := s.Dispatcher.Flush(ctx, false)
			if err != nil && ctx.Err() == nil {
				s.Log.Error("cannot dispatch", slog.Any("error", err))
			}
			sum.Sent += r.Sent
			sum.Failed += r.Failed
		}
		during <- bot.FlushResult{Sent: sum.Sent, Failed: sum.Failed}
	}()
	kickIf := func(r bot.IngestResult) {
		if r.Alerts+r.Updates > 0 {
			select {
			case kick <- struct{}{}:
			default: // a flush is due already
			}
		}
	}
	done := func(f bot.Feed, pr bot.PollResult, err error) {
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
		fd  *bot.Fetched
		err error
	}
	results := make(chan fetchResult)
	go func() {
		s.forEachFeed(ctx, s.feedList(), func(fd *bot.Fetched, err error) { results <- fetchResult{fd, err} })
		close(results)
	}()
	gather := time.NewTimer(gatherWait)
	defer gather.Stop()
	gathering := true
	var fetched []*bot.Fetched
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
func (s *Service) poll(ctx context.Context, f bot.Feed) (bot.PollResult, error) {
	res, err := s.Poller.Poll(ctx, f)
	s.polled(ctx, f, res, err)
	return res, err
}

// polled tells the observer of a poll and logs its failure, once, here.
func (s *Service) polled(ctx context.Context, f bot.Feed, res bot.PollResult, err error) {
	if ctx.Err() != nil {
		return
	}
	bot.ObserverOr(s.Observer).FeedPolled(f, res, res.FetchTime, err)
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
func (s *Service) ingestInOrder(ctx context.Context, fetched []*bot.Fetched, kick func(bot.IngestResult), done func(bot.Feed, bot.PollResult, error)) {
	type entry struct {
		fd *bot.Fetched
		i  int
	}
	var all []entry
	left := make(map[*bot.Fetched]int, len(fetched))
	errs := make(map[*bot.Fetched]error)
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
	finish := func(fd *bot.Fetched) {
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
			kick(bot.IngestResult{Alerts: after.Alerts - before.Alerts, Updates: after.Updates - before.Updates})
		}
		if left[e.fd]--; left[e.fd] == 0 {
			finish(e.fd)
		}
	}
}

// forEachFeed fetches feeds with bounded concurrency, calling done after
// each (from the fetching goroutines).
func (s *Service) forEachFeed(ctx context.Context, fs []bot.Feed, done func(*bot.Fetched, error)) {
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
		go func(f bot.Feed) {
			defer func() { <-sem; wg.Done() }()
			fd, err := s.Poller.Fetch(ctx, f)
			done(fd, err)
		}(f)
	}
	wg.Wait()
}
