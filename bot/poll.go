package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/wirewatch/wirewatch/bot/internal/unchanged"
	"github.com/wirewatch/wirewatch/feeds"
	"github.com/wirewatch/wirewatch/store"
)

// Poller fetches a feed, hands its items to the pipeline and keeps the
// feed's fetch state (validators, failures, next poll).
type Poller struct {
	db       *store.DB
	fetcher  *feeds.Fetcher
	pipeline *Pipeline
	log      *slog.Logger
	now      Clock

	mu      sync.Mutex
	found   map[string]string // a page's URL → the feed found for it (discovery)
	digests unchanged.Memory  // the feeds' entries last stored
}

// NewPoller returns a poller.
func NewPoller(db *store.DB, fetcher *feeds.Fetcher, pipeline *Pipeline, log *slog.Logger, now Clock) *Poller {
	return &Poller{db: db, fetcher: fetcher, pipeline: pipeline, log: log, now: now}
}

// PollResult says what one poll did.
type PollResult struct {
	IngestResult
	NotModified bool
	Items       int           // items in the feed document
	Unchanged   int           // of those, the ones unchanged since the last poll, not normalized again
	FetchTime   time.Duration // how long the fetch took (0 when it never started)

	// After a failure: the failures in a row, and when the feed is tried next.
	Failures int
	RetryAt  time.Time
	// RetryUntil is when the feed's server asked to be polled again at the
	// earliest (its Retry-After), zero when it did not ask: the wait that
	// `once` honours too. Skipped: the feed was not polled, its server's
	// wait (RetryUntil) not over.
	RetryUntil time.Time
	Skipped    bool
}

// Poll fetches and ingests one feed now. A failure is recorded in the feed's
// state with its next retry time (exponential backoff, honouring
// Retry-After), and returned for the caller to log, with the failure count
// and retry time in the result.
func (p *Poller) Poll(ctx context.Context, f Feed) (PollResult, error) {
	fd, err := p.Fetch(ctx, f)
	if err != nil {
		return fd.Result, err
	}
	ir, err := p.pipeline.Ingest(ctx, f, fd.Items, fd.ok(p.now()))
	if err != nil {
		return p.failed(ctx, fd, fmt.Errorf("store: %w", err))
	}
	fd.Result.IngestResult = ir
	p.digests.Stored(fd.Feed.Name, fd.digests)
	p.logPolled(fd)
	return fd.Result, nil
}

// Fetched is a feed fetched and parsed whose items are not ingested yet
// (Fetch, then the pipeline, then Done).
type Fetched struct {
	Feed   Feed
	Items  []feeds.Item // the feed document's items (none when not modified)
	Result PollResult   // add what the ingests of Items did

	state *store.FeedState // as before the poll
	work  *store.FeedState // as after it: new validators
	start time.Time
	saved bool // its state was saved with its last items (IngestAll)
	// digests is what the poll gave, remembered once its items are stored.
	digests unchanged.Digests
}

// ok returns the feed state to save with the ingest of a successful poll
// that ends now.
func (fd *Fetched) ok(now time.Time) *store.FeedState {
	fd.work.Failures, fd.work.LastError, fd.work.RetryUntil = 0, "", time.Time{}
	fd.work.LastSuccess = now
	fd.work.NextPoll = fd.Feed.Schedule.Next(now)
	return fd.work
}

// Fetch fetches and parses one feed now, without ingesting it: Poll is
// Fetch then the ingest of its items with the feed's state; `once` fetches
// every feed, then ingests all their items in publication order (IngestAll,
// then Done). A failure is recorded as Poll records it.
func (p *Poller) Fetch(ctx context.Context, f Feed) (*Fetched, error) {
	state, err := p.db.FeedState(ctx, f.Name)
	if errors.Is(err, store.ErrNotFound) {
		state, err = nil, nil
	}
	if err != nil {
		return &Fetched{Feed: f}, err
	}
	return p.FetchState(ctx, f, state)
}

// FetchState is Fetch given the feed's state as stored (nil: none yet),
// which `once` reads for every feed in one query (store.FeedStates).
func (p *Poller) FetchState(ctx context.Context, f Feed, stored *store.FeedState) (*Fetched, error) {
	fd := &Fetched{Feed: f}
	st := store.FeedState{Name: f.Name}
	if stored != nil {
		st = *stored // a copy: the caller's stays as it was
	}
	st = st.At(f.URL)
	state := &st
	fd.start = p.now()
	state.LastAttempt = fd.start
	fd.state = state
	// The poll works on a copy: a failure must not keep new validators
	// (ETag) whose items were never stored, or the next poll would get a 304.
	work := *state
	fd.work = &work
	err := p.fetchParsed(ctx, fd)
	p.pipeline.Crash.at("fetched")
	if err != nil {
		if ctx.Err() != nil {
			return fd, ctx.Err()
		}
		if errors.Is(err, ErrClaimLost) {
			return fd, ErrClaimLost // nothing fetched, nothing to record
		}
		_, err = p.failed(ctx, fd, err)
		return fd, err
	}
	return fd, nil
}

// ErrClaimLost ends the poll of a feed whose claim (a replica's lease on
// it) no longer lasts long enough for its fetch to begin, before the
// request is sent: the replica that takes the feed over polls it. It is no
// failure of the feed's and is not recorded as one.
var ErrClaimLost = errors.New("the claim on the feed is running out: left to the replica that takes it over")

type claimKey struct{}

// WithClaim returns ctx for the poll of a feed this replica has claimed:
// held, asked right before the feed's request is sent, reports whether
// the claim still lasts long enough for the fetch; when it does not, the
// poll ends with ErrClaimLost.
func WithClaim(ctx context.Context, held func() bool) context.Context {
	return context.WithValue(ctx, claimKey{}, held)
}

// claimReady returns the Ready of a feed request polled under ctx.
func claimReady(ctx context.Context) func() error {
	held, _ := ctx.Value(claimKey{}).(func() bool)
	if held == nil {
		return nil
	}
	return func() error {
		if !held() {
			return ErrClaimLost
		}
		return nil
	}
}

// FetchedItem is item I of a fetched feed.
type FetchedItem struct {
	Fetched *Fetched
	I       int
}

// IngestAll ingests items of fetched feeds in the order given and saves the
// state of each feed in ends (whose last items these are), all in one
// transaction: a crash or a failure leaves all or none. Done then only
// reports those polls.
func (p *Poller) IngestAll(ctx context.Context, items []FetchedItem, ends []*Fetched) error {
	entries := make([]Entry, len(items))
	for i, it := range items {
		fd := it.Fetched
		entries[i] = Entry{Feed: fd.Feed, Item: &fd.Items[it.I], Result: &fd.Result.IngestResult}
	}
	now := p.now()
	states := make([]*store.FeedState, len(ends))
	for i, fd := range ends {
		st := *fd.ok(now) // a copy: a failed ingest leaves fd as it was
		st.ItemCount += int64(fd.Result.New)
		states[i] = &st
	}
	if err := p.pipeline.IngestBatch(ctx, entries, states); err != nil {
		return fmt.Errorf("ingest: %w", err)
	}
	for _, fd := range ends {
		fd.saved = true
	}
	return nil
}

// Done ends the poll of a fetched feed whose items were ingested: it saves
// the feed's state (unless IngestAll did), or records the failure err (an
// ingest's), and returns the poll's result as Poll does.
func (p *Poller) Done(ctx context.Context, fd *Fetched, err error) (PollResult, error) {
	if err == nil && !fd.saved {
		st := fd.ok(p.now())
		st.ItemCount += int64(fd.Result.New)
		_, err = p.pipeline.Ingest(ctx, fd.Feed, nil, st)
	}
	if err != nil {
		return p.failed(ctx, fd, fmt.Errorf("store: %w", err))
	}
	p.digests.Stored(fd.Feed.Name, fd.digests)
	p.logPolled(fd)
	return fd.Result, nil
}

// failed records a failed poll in the feed's state: the failures in a row
// and the next try (backoff, honouring Retry-After).
func (p *Poller) failed(ctx context.Context, fd *Fetched, err error) (PollResult, error) {
	state, f := fd.state, fd.Feed
	state.Failures++
	state.LastError = err.Error()
	var httpErr *feeds.HTTPError
	var retryAfter time.Duration
	if errors.As(err, &httpErr) {
		retryAfter = httpErr.RetryAfter
	}
	state.NextPoll = later(f.Schedule.Next(fd.start), fd.start.Add(feeds.Backoff(state.Failures, retryAfter)))
	state.RetryUntil = time.Time{}
	if retryAfter > 0 {
		state.RetryUntil = fd.start.Add(retryAfter)
	}
	fd.Result.Failures, fd.Result.RetryAt, fd.Result.RetryUntil = state.Failures, state.NextPoll, state.RetryUntil
	if serr := p.db.SaveFeedState(ctx, state); serr != nil {
		err = errors.Join(err, fmt.Errorf("save feed state: %w", serr))
	}
	return fd.Result, err
}

func (p *Poller) logPolled(fd *Fetched) {
	res := fd.Result
	p.log.Info("feed polled", slog.String("feed", fd.Feed.Name), slog.Int("items", res.Items), slog.Int("new", res.New),
		slog.Int("alerts", res.Alerts), slog.Int("updates", res.Updates), slog.Bool("not_modified", res.NotModified))
}

// fetchParsed fetches and parses the feed into fd (its articles too, with
// fetch_article); the new validators go in fd.work.
func (p *Poller) fetchParsed(ctx context.Context, fd *Fetched) error {
	f := fd.Feed
	began := time.Now()
	resp, feedURL, err := p.fetch(ctx, f, fd.work)
	fd.Result.FetchTime = time.Since(began)
	if err != nil {
		return err
	}
	if resp.NotModified {
		fd.Result.NotModified = true
		return nil
	}
	now := p.now()
	last := p.digests.Last(f.Name, now)
	parsed, err := feeds.Parse(resp.Body, feeds.ParseOptions{Feed: f.Name, Source: f.Source, FeedURL: feedURL,
		ContentType: resp.ContentType, Now: now, Unchanged: last.Sums})
	if err != nil {
		return err
	}
	fd.Items = parsed.Items
	fd.Result.Items, fd.Result.Unchanged = len(fd.Items)+parsed.Unchanged, parsed.Unchanged
	fd.digests = unchanged.Digests{Sums: parsed.Digests, Since: last.Since}
	if f.FetchArticle {
		if err := p.fetchArticles(ctx, f, fd.Items); err != nil {
			return err
		}
	}
	fd.work.ETag, fd.work.LastModified = resp.ETag, resp.LastModified
	return nil
}

// fetch fetches the feed: at its URL, or, when that is a web page, at the
// feed the page links (or a common path holds), found once and remembered
// while the process runs. It returns the response and the feed's URL.
func (p *Poller) fetch(ctx context.Context, f Feed, state *store.FeedState) (*feeds.Response, string, error) {
	p.mu.Lock()
	url := p.found[f.URL]
	p.mu.Unlock()
	if url == "" {
		url = f.URL
	}
	claimed := claimReady(ctx)
	resp, err := p.fetcher.Fetch(ctx, feeds.Request{URL: url, ETag: state.ETag, LastModified: state.LastModified, Headers: f.Headers,
		Ready: func() error {
			if claimed != nil {
				if err := claimed(); err != nil {
					return err
				}
			}
			p.log.Debug("fetching feed", slog.String("feed", f.Name)) // when its request starts, at level debug
			return nil
		}})
	if err != nil || resp.NotModified || !feeds.IsHTML(resp.ContentType, resp.Body) {
		return resp, url, err
	}
	if url != f.URL {
		// The feed found before has become a page: look again next time.
		p.mu.Lock()
		delete(p.found, f.URL)
		p.mu.Unlock()
		return nil, url, fmt.Errorf("%s (found for %s) is a web page now, not a feed", feeds.RedactRawURL(url), feeds.RedactRawURL(f.URL))
	}
	d, err := p.fetcher.FindFeed(ctx, resp, f.Headers)
	if err != nil {
		return nil, url, fmt.Errorf("%s is a web page: %w", feeds.RedactRawURL(f.URL), err)
	}
	p.log.Info("feed url is a web page; polling the feed it leads to", slog.String("feed", f.Name),
		slog.String("page", feeds.RedactRawURL(f.URL)), slog.String("feed_url", feeds.RedactRawURL(d.FeedURL)), slog.String("how", d.How))
	p.mu.Lock()
	if p.found == nil {
		p.found = map[string]string{}
	}
	p.found[f.URL] = d.FeedURL
	p.mu.Unlock()
	return d.Response, d.FeedURL, nil
}

// maxArticlesPerPoll bounds the article pages fetched after one poll of a
// feed; the rest keep the feed's text.
const maxArticlesPerPoll = 20

// fetchArticles replaces the feed text of new, fresh items with their
// article's main text when that is longer. Pages are fetched one at a time;
// one that fails keeps the feed's text. Hash stays the feed's, so that the
// next poll does not take the article text for an edit.
func (p *Poller) fetchArticles(ctx context.Context, f Feed, items []feeds.Item) error {
	ids := make([]string, len(items))
	for i := range items {
		ids[i] = items[i].ID
	}
	known, err := p.db.KnownItems(ctx, f.Name, ids)
	if err != nil {
		return err
	}
	fetched := 0
	for i := range items {
		it := &items[i]
		if known[it.ID] || it.URL == "" || p.now().Sub(it.Published) > f.MaxAge || fetched >= maxArticlesPerPoll {
			continue
		}
		fetched++
		text, err := p.fetcher.FetchArticle(ctx, it.URL, f.AllowPrivate)
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			p.log.Warn("article fetch failed; using the feed's text", slog.String("feed", f.Name),
				slog.String("url", feeds.RedactRawURL(it.URL)), slog.Any("error", err))
			continue
		}
		if len(text) > len(it.Text) {
			it.Text = text
		}
	}
	return nil
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
