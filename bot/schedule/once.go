package schedule

import (
	"context"
	"errors"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/wirewatch/wirewatch/bot"
	"github.com/wirewatch/wirewatch/store"
)

// OnceResult says what Once did.
type OnceResult struct {
	FeedsOK      int
	FeedsFailed  int
	FeedsWaiting int // not polled: their servers asked to wait (Retry-After)
	Digests      int
	Flush        bot.FlushResult // every flush of the run: Sent and Failed summed, Pending at the end
}

// Once polls every feed once, sending what each poll queues while the
// other feeds are polled (as Run does); then it queues the digests that are
// due (or every pending one with forceDigests), sends everything left in
// the outbox — held and retrying deliveries too — and returns. OnPoll, when
// set, hears of each poll as it ends.
//
// A feed whose server answered its last poll with a Retry-After that has
// not passed is not polled (it is counted in FeedsWaiting, and OnPoll hears
// of it as Skipped): the server asked. The backoff after other failures is
// Run's: each Once is one more try, at the pace its caller runs it.
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
	// done ends a feed's poll: it logs a failure and tells the observer
	// (polled), then counts the poll and tells OnPoll. The next Once tries
	// a failed feed again unless its server asked to wait: that is its
	// retry time here, not Run's backoff.
	done := func(f bot.Feed, pr bot.PollResult, err error) {
		if !pr.Skipped {
			pr.RetryAt = pr.RetryUntil
			s.polled(ctx, f, pr, err)
		}
		switch {
		case pr.Skipped:
			res.FeedsWaiting++
		case err != nil:
			res.FeedsFailed++
		default:
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
	// Feeds go on being fetched and parsed while their predecessors are
	// ingested, as far as the buffer allows.
	results := make(chan fetchResult, s.concurrency())
	poll, states, waiting := s.onceFeeds(ctx)
	for _, w := range waiting {
		s.Log.Warn(MsgNotPolled, slog.String("feed", w.f.Name), slog.Time("retry_at", w.until))
		done(w.f, bot.PollResult{Skipped: true, RetryAt: w.until, RetryUntil: w.until}, nil)
	}
	go func() {
		s.forEachFeed(ctx, poll, states, func(fd *bot.Fetched, err error) { results <- fetchResult{fd, err} })
		close(results)
	}()
	gather := time.NewTimer(gatherWait)
	defer gather.Stop()
	gathering := true
	var fetched []*bot.Fetched
	take := func(r fetchResult, ok bool) {
		switch {
		case !ok:
			results = nil
		case r.err != nil:
			done(r.fd.Feed, r.fd.Result, r.err)
		default:
			fetched = append(fetched, r.fd)
		}
	}
	for results != nil {
		select {
		case r, ok := <-results:
			take(r, ok)
		case <-gather.C:
			gathering = false
		}
		if !gathering && len(fetched) > 0 {
			// Take in what else has come meanwhile, to ingest it together.
		drain:
			for results != nil {
				select {
				case r, ok := <-results:
					take(r, ok)
				default:
					break drain
				}
			}
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

// waitingFeed is a feed whose server asked not to be polled before until.
type waitingFeed struct {
	f     bot.Feed
	until time.Time
}

// onceFeeds returns the feeds Once polls with their states as stored (by
// name; nil when the store could not be read: each poll then reads its
// own), and those whose servers asked, with Retry-After, not to be polled
// yet (at the same URL).
func (s *Service) onceFeeds(ctx context.Context) (poll []bot.Feed, states map[string]*store.FeedState, waiting []waitingFeed) {
	all := s.feedList()
	list, err := s.DB.FeedStates(ctx)
	if err != nil {
		return all, nil, nil // the polls will say what is wrong with the store
	}
	states = make(map[string]*store.FeedState, len(list))
	for _, st := range list {
		states[st.Name] = st
	}
	now := s.Now()
	for _, f := range all {
		if st := states[f.Name]; st != nil && st.At(f.URL).RetryUntil.After(now) {
			waiting = append(waiting, waitingFeed{f, st.RetryUntil})
			continue
		}
		poll = append(poll, f)
	}
	return poll, states, waiting
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
	if errors.Is(err, bot.ErrClaimLost) {
		s.Log.Info("feed not fetched: its claim ran short, left to the replica that takes it over", slog.String("feed", f.Name))
		return
	}
	bot.ObserverOr(s.Observer).FeedPolled(f, res, res.FetchTime, err)
	if err != nil {
		attrs := []any{slog.String("feed", f.Name), slog.Any("error", err), slog.Int("failures", res.Failures)}
		if !res.RetryAt.IsZero() { // Once: zero when it tries again next time
			attrs = append(attrs, slog.Time("retry_at", res.RetryAt))
		}
		s.Log.Warn(MsgPollFailed, attrs...)
	}
}

// The messages of the feed lines a poll logs, which the terminal's log
// handler (cli) recognizes to print them as lines of their own.
const (
	MsgPollFailed = "feed poll failed"                                        // attrs feed, error, failures, retry_at when the server asked
	MsgNotPolled  = "feed not polled: its server asked to wait (Retry-After)" // attrs feed, retry_at
)

// gatherWait is how long Once waits for feeds to answer before it ingests
// what it has (in publication order) and goes on as the rest come.
const gatherWait = 2 * time.Second

// BatchItems is the most items Once ingests in one transaction: enough
// that a commit costs little per item (each commit writes back the index
// pages its items touched, spread over the indexes, and SQLite writes each
// page to its log with two system calls: 2,000 rather than 500 took about
// 5% less CPU on the capacity bench's first pass, and 4,000 rather than
// 2,000 write a fifth less to the log), few enough that deliveries start
// soon and the dispatcher does not wait long for the store (about a
// second).
const BatchItems = 4000

// ingestInOrder ingests the items of the fetched feeds in publication order
// (ties by feed name, then document order), BatchItems at a time in one
// transaction with the state of each feed whose last item is in it,
// calling kick with what each batch queued and done as each feed's poll
// ends. A batch that fails is ingested again feed by feed, so that a feed
// whose items cannot be stored fails alone.
func (s *Service) ingestInOrder(ctx context.Context, fetched []*bot.Fetched, kick func(bot.IngestResult), done func(bot.Feed, bot.PollResult, error)) {
	var all []bot.FetchedItem
	left := make(map[*bot.Fetched]int, len(fetched))
	errs := make(map[*bot.Fetched]error)
	var empty []*bot.Fetched
	for _, fd := range fetched {
		for i := range fd.Items {
			all = append(all, bot.FetchedItem{Fetched: fd, I: i})
		}
		left[fd] = len(fd.Items)
		if len(fd.Items) == 0 {
			empty = append(empty, fd) // not modified, or empty
		}
	}
	slices.SortFunc(all, func(a, b bot.FetchedItem) int {
		if c := a.Fetched.Items[a.I].Published.Compare(b.Fetched.Items[b.I].Published); c != 0 {
			return c
		}
		if c := strings.Compare(a.Fetched.Feed.Name, b.Fetched.Feed.Name); c != 0 {
			return c
		}
		return a.I - b.I
	})
	finish := func(fd *bot.Fetched) {
		pr, err := s.Poller.Done(ctx, fd, errs[fd])
		done(fd.Feed, pr, err)
	}
	queued := func() func() {
		var before bot.IngestResult
		for _, fd := range fetched {
			before.Alerts += fd.Result.Alerts
			before.Updates += fd.Result.Updates
		}
		return func() {
			var after bot.IngestResult
			for _, fd := range fetched {
				after.Alerts += fd.Result.Alerts
				after.Updates += fd.Result.Updates
			}
			kick(bot.IngestResult{Alerts: after.Alerts - before.Alerts, Updates: after.Updates - before.Updates})
		}
	}
	ends := empty
	for lo := 0; lo < len(all) || len(ends) > 0; lo += BatchItems {
		if ctx.Err() != nil {
			return
		}
		chunk := all[lo:min(lo+BatchItems, len(all))]
		var items []bot.FetchedItem
		for _, e := range chunk {
			if errs[e.Fetched] == nil {
				items = append(items, e)
			}
			if left[e.Fetched]--; left[e.Fetched] == 0 {
				ends = append(ends, e.Fetched)
			}
		}
		var ok []*bot.Fetched
		for _, fd := range ends {
			if errs[fd] == nil {
				ok = append(ok, fd)
			}
		}
		report := queued()
		if err := s.Poller.IngestAll(ctx, items, ok); err != nil {
			if ctx.Err() != nil {
				return
			}
			s.Log.Warn("batch ingest failed; ingesting it feed by feed", slog.Int("items", len(items)), slog.Any("error", err))
			s.ingestByFeed(ctx, items, ok, errs)
		}
		report()
		for _, fd := range ends {
			finish(fd)
		}
		ends = nil
	}
}

// ingestByFeed ingests a failed batch's items again, each feed's in a
// transaction of its own with its state when it ends here (ends), and
// records the feeds that fail in errs: their later items are skipped and
// their polls end failed, their states unsaved.
func (s *Service) ingestByFeed(ctx context.Context, items []bot.FetchedItem, ends []*bot.Fetched, errs map[*bot.Fetched]error) {
	var order []*bot.Fetched
	byFeed := make(map[*bot.Fetched][]bot.FetchedItem)
	for _, e := range items {
		if byFeed[e.Fetched] == nil {
			order = append(order, e.Fetched)
		}
		byFeed[e.Fetched] = append(byFeed[e.Fetched], e)
	}
	for _, fd := range ends {
		if byFeed[fd] == nil {
			order = append(order, fd) // ends here without items in the batch
		}
	}
	for _, fd := range order {
		var end []*bot.Fetched
		if slices.Contains(ends, fd) {
			end = []*bot.Fetched{fd}
		}
		if err := s.Poller.IngestAll(ctx, byFeed[fd], end); err != nil {
			errs[fd] = err
		}
	}
}

// forEachFeed fetches feeds with bounded concurrency, calling done after
// each (from the fetching goroutines). states holds the feeds' states as
// stored, read at once; when it is nil each fetch reads its own.
func (s *Service) forEachFeed(ctx context.Context, fs []bot.Feed, states map[string]*store.FeedState, done func(*bot.Fetched, error)) {
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
			var fd *bot.Fetched
			var err error
			if states != nil {
				fd, err = s.Poller.FetchState(ctx, f, states[f.Name])
			} else {
				fd, err = s.Poller.Fetch(ctx, f)
			}
			done(fd, err)
		}(f)
	}
	wg.Wait()
}
