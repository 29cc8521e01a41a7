package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

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

	mu    sync.Mutex
	found map[string]string // a page's URL → the feed found for it (discovery)
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
	FetchTime   time.Duration // how long the fetch took (0 when it never started)

	// After a failure: the failures in a row, and when the feed is tried next.
	Failures int
	RetryAt  time.Time
}

// Poll fetches and ingests one feed now. A failure is recorded in the feed's
// state with its next retry time (exponential backoff, honouring
// Retry-After), and returned for the caller to log, with the failure count
// and retry time in the result.
func (p *Poller) Poll(ctx context.Context, f Feed) (PollResult, error) {
	state, err := p.db.FeedState(ctx, f.Name)
	if errors.Is(err, store.ErrNotFound) {
		state, err = &store.FeedState{Name: f.Name}, nil
	}
	if err != nil {
		return PollResult{}, err
	}
	if state.URL != f.URL {
		// Its URL changed: the old validators and failures say nothing
		// about the new one.
		state.ETag, state.LastModified, state.Failures, state.LastError = "", "", 0, ""
	}
	state.URL = f.URL
	start := p.now()
	state.LastAttempt = start

	// The poll works on a copy: a failure must not keep new validators
	// (ETag) whose items were never stored, or the next poll would get a 304.
	work := *state
	res, err := p.fetchAndIngest(ctx, f, &work)
	if err != nil {
		if ctx.Err() != nil {
			return res, ctx.Err()
		}
		state.Failures++
		state.LastError = err.Error()
		var httpErr *feeds.HTTPError
		var retryAfter time.Duration
		if errors.As(err, &httpErr) {
			retryAfter = httpErr.RetryAfter
		}
		state.NextPoll = later(f.Schedule.Next(start), start.Add(feeds.Backoff(state.Failures, retryAfter)))
		res.Failures, res.RetryAt = state.Failures, state.NextPoll
		if serr := p.db.SaveFeedState(ctx, state); serr != nil {
			err = errors.Join(err, fmt.Errorf("save feed state: %w", serr))
		}
		return res, err
	}
	p.log.Info("feed polled", slog.String("feed", f.Name), slog.Int("items", res.Items), slog.Int("new", res.New),
		slog.Int("alerts", res.Alerts), slog.Int("updates", res.Updates), slog.Bool("not_modified", res.NotModified))
	return res, nil
}

// fetchAndIngest does the work of one successful poll; the feed's state is
// saved in the ingest transaction.
func (p *Poller) fetchAndIngest(ctx context.Context, f Feed, state *store.FeedState) (PollResult, error) {
	var res PollResult
	began := time.Now()
	resp, feedURL, err := p.fetch(ctx, f, state)
	res.FetchTime = time.Since(began)
	if err != nil {
		return res, err
	}
	var items []feeds.Item
	if resp.NotModified {
		res.NotModified = true
	} else {
		parsed, err := feeds.Parse(resp.Body, feeds.ParseOptions{Feed: f.Name, Source: f.Source, FeedURL: feedURL, ContentType: resp.ContentType, Now: p.now()})
		if err != nil {
			return res, err
		}
		items = parsed.Items
		res.Items = len(items)
		if f.FetchArticle {
			if err := p.fetchArticles(ctx, f, items); err != nil {
				return res, err
			}
		}
		state.ETag, state.LastModified = resp.ETag, resp.LastModified
	}
	now := p.now()
	state.Failures, state.LastError = 0, ""
	state.LastSuccess = now
	state.NextPoll = f.Schedule.Next(now)
	ir, err := p.pipeline.Ingest(ctx, f, items, state)
	if err != nil {
		return res, fmt.Errorf("store: %w", err)
	}
	res.IngestResult = ir
	return res, nil
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
	resp, err := p.fetcher.Fetch(ctx, feeds.Request{URL: url, ETag: state.ETag, LastModified: state.LastModified, Headers: f.Headers})
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
